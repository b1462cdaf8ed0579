import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { encodeCBOR, type CBORType } from '@levischuck/tiny-cbor';

// The CBOR library @simplewebauthn/server decodes with: canonical lengths, as a real authenticator sends.
const encode = (value: CBORType) => encodeCBOR(value);

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

/** Authenticator data flags (WebAuthn §6.1). */
const flags = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attestedData: 0x40 };

type Overrides = { origin?: string; rpId?: string; counter?: number; userVerified?: boolean; type?: string };

/**
 * A software authenticator for node tests: an ES256 key pair, a signature counter
 * and the bytes a browser would hand over (clientDataJSON, authenticatorData, a
 * "none" attestation CBOR-encoded by tiny-cbor). What a security key or a phone would
 * sign, without a browser.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  counter = 0;

  constructor(
    readonly rpId: string,
    readonly origin: string,
    private readonly options: { synced?: boolean } = {},
  ) {}

  get id() {
    return b64url(this.credentialId);
  }

  private cosePublicKey(): Buffer {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    return Buffer.from(
      encode(
        new Map<number, number | Buffer>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, 'base64url')],
          [-3, Buffer.from(jwk.y!, 'base64url')],
        ]),
      ),
    );
  }

  private authenticatorData(rpId: string, counter: number, userVerified: boolean, attested: boolean): Buffer {
    let flagByte = flags.userPresent | (userVerified ? flags.userVerified : 0);
    if (this.options.synced) flagByte |= flags.backupEligible | flags.backedUp;
    if (attested) flagByte |= flags.attestedData;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    const parts: Buffer[] = [sha256(rpId), Buffer.from([flagByte]), counterBytes];
    if (attested) {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(this.credentialId.length);
      parts.push(Buffer.alloc(16), length, this.credentialId, this.cosePublicKey());
    }
    return Buffer.concat(parts);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create's answer, as @simplewebauthn/browser's startRegistration gives it. */
  create(options: { challenge: string }, overrides: Overrides = {}) {
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.create', options.challenge, overrides.origin ?? this.origin);
    const authData = this.authenticatorData(overrides.rpId ?? this.rpId, this.counter, overrides.userVerified ?? true, true);
    const attestationObject = Buffer.from(encode(new Map<string, CBORType>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]])));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get's answer (startAuthentication's); the counter moves forward unless given. */
  get(options: { challenge: string }, overrides: Overrides = {}) {
    const counter = overrides.counter ?? (this.counter += 1);
    const clientDataJSON = this.clientData(overrides.type ?? 'webauthn.get', options.challenge, overrides.origin ?? this.origin);
    const authData = this.authenticatorData(overrides.rpId ?? this.rpId, counter, overrides.userVerified ?? true, false);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.keys.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
