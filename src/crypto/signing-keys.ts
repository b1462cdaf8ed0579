import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { makePrivateDirectory, restrictFile } from '../private-files.js';
import { randomToken } from './random.js';

export const signingAlgorithm = 'EdDSA';

export type SigningKeys = {
  /** The key new tokens are signed with. */
  current: { kid: string; privateKey: CryptoKey };
  /** Every key whose tokens are still accepted, by kid. */
  verificationKeys: Map<string, CryptoKey>;
  /** What /.well-known/jwks.json publishes. */
  jwks: { keys: JWK[] };
};

type StoredKey = { privateJwk: JWK; createdAt: string };

async function generateStoredKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(signingAlgorithm, { crv: 'Ed25519', extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: randomToken(12), alg: signingAlgorithm, use: 'sig' };
  return { privateJwk, createdAt: new Date().toISOString() };
}

/**
 * Keys come from JWT_PRIVATE_JWK when set; otherwise from DATA_DIR/signing-keys.json,
 * which is created on first start. The newest key signs; older ones stay in the
 * file (and in the JWKS) so tokens they signed verify until they expire.
 */
export async function loadSigningKeys(dataDir: string, privateJwkFromEnv?: string): Promise<SigningKeys> {
  let stored: StoredKey[];
  if (privateJwkFromEnv) {
    stored = [{ privateJwk: JSON.parse(privateJwkFromEnv) as JWK, createdAt: '' }];
  } else {
    const file = join(dataDir, 'signing-keys.json');
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey[];
    } else {
      stored = [await generateStoredKey()];
      makePrivateDirectory(dataDir);
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    }
    restrictFile(file);
  }
  return importSigningKeys(stored.map((key) => key.privateJwk));
}

async function importSigningKeys(privateJwks: JWK[]): Promise<SigningKeys> {
  const verificationKeys = new Map<string, CryptoKey>();
  const publicJwks: JWK[] = [];
  for (const { d: _private, ...publicJwk } of privateJwks) {
    if (!publicJwk.kid) throw new Error('every signing key needs a kid');
    verificationKeys.set(publicJwk.kid, (await importJWK(publicJwk, signingAlgorithm)) as CryptoKey);
    publicJwks.push({ ...publicJwk, alg: signingAlgorithm, use: 'sig' });
  }
  const [newest] = privateJwks;
  if (!newest?.kid) throw new Error('no signing key');
  const privateKey = (await importJWK(newest, signingAlgorithm)) as CryptoKey;
  return { current: { kid: newest.kid, privateKey }, verificationKeys, jwks: { keys: publicJwks } };
}
