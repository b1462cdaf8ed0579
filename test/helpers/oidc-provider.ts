import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export type SigningKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK };

export async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/**
 * An OpenID provider for tests: a discovery document and a JWKS on a random
 * local port, and ID tokens minted per case with keys it publishes or not.
 */
export async function startOidcProvider(options: { clientId: string; algorithms?: string[] }) {
  const published: SigningKey[] = [await signingKey('key-1')];
  const hits = { discovery: 0, jwks: 0 };
  let issuer = '';
  let discoveryIssuer: string | undefined;

  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/openid-configuration') {
      hits.discovery += 1;
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          issuer: discoveryIssuer ?? issuer,
          jwks_uri: `${issuer}/jwks`,
          id_token_signing_alg_values_supported: options.algorithms ?? ['RS256'],
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
        }),
      );
    } else if (request.url === '/jwks') {
      hits.jwks += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let subjectCounter = 0;

  /** Claims of a valid ID token for a new Google-style subject. */
  function claims(overrides: JWTPayload = {}): JWTPayload {
    subjectCounter += 1;
    return {
      iss: issuer,
      aud: options.clientId,
      sub: `10${Date.now()}${subjectCounter}`,
      email: `person${subjectCounter}@example.com`,
      email_verified: true,
      name: `Person ${subjectCounter}`,
      ...overrides,
    };
  }

  /** Signs `payload` (iat and exp relative to `now`, unless given) with a published key by default. */
  async function mint(payload: JWTPayload, mintOptions: { key?: SigningKey; kid?: string; now?: Date } = {}) {
    const key = mintOptions.key ?? published[0]!;
    const now = Math.floor((mintOptions.now ?? new Date()).getTime() / 1000);
    return new SignJWT({ iat: now, exp: now + 3600, ...payload })
      .setProtectedHeader({ alg: key.alg, kid: mintOptions.kid ?? key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  /** An unsecured token (`alg: none`), which must never be accepted. */
  function unsigned(payload: JWTPayload, now = new Date()) {
    const iat = Math.floor(now.getTime() / 1000);
    const encode = (value: object) => base64url.encode(JSON.stringify(value));
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iat, exp: iat + 3600, ...payload })}.`;
  }

  return {
    get issuer() {
      return issuer;
    },
    hits,
    claims,
    mint,
    unsigned,
    publish(key: SigningKey) {
      published.unshift(key);
    },
    declareIssuer(value: string) {
      discoveryIssuer = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OidcTestProvider = Awaited<ReturnType<typeof startOidcProvider>>;
