import { jwtVerify, SignJWT } from 'jose';
import { signingAlgorithm, type SigningKeys } from './signing-keys.js';

export type AccessTokenSettings = { issuer: string; audience: string; ttlSeconds: number };
export type AccessTokenClaims = { userId: string; sessionId: string; tokenId: string; expiresAt: Date };

/** How the session signed in (RFC 8176 `amr`: "pwd", "otp", "hwk" and "user" for a passkey; ours: "google", "recovery"), and the NIST assurance level it reaches. */
export type Assurance = { amr: string[] };
export const secondFactorMethods = new Set(['otp', 'recovery', 'hwk']);
export const assuranceLevel = ({ amr }: Assurance) => (amr.some((method) => secondFactorMethods.has(method)) ? 'aal2' : 'aal1');

/** An `at+jwt` of this issuer and audience with `payload`, signed with the current key. */
function signedAccessToken(
  keys: SigningKeys,
  settings: AccessTokenSettings,
  payload: Record<string, unknown>,
  token: { subject: string; tokenId: string; issuedAt: Date; ttlSeconds: number },
): Promise<string> {
  const issuedAt = Math.floor(token.issuedAt.getTime() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: signingAlgorithm, kid: keys.current.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(token.subject)
    .setJti(token.tokenId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + token.ttlSeconds)
    .sign(keys.current.privateKey);
}

/** Signs an access token. The same inputs give the same token (Ed25519 is deterministic). */
export function issueAccessToken(
  keys: SigningKeys,
  settings: AccessTokenSettings,
  claims: { userId: string; sessionId: string; tokenId: string; issuedAt: Date; extra?: Record<string, unknown> } & Assurance,
): Promise<string> {
  const payload = { ...claims.extra, sid: claims.sessionId, amr: claims.amr, aal: assuranceLevel(claims) };
  return signedAccessToken(keys, settings, payload, { subject: claims.userId, tokenId: claims.tokenId, issuedAt: claims.issuedAt, ttlSeconds: settings.ttlSeconds });
}

/**
 * An access token for an API key's owner (apikeys/exchange.ts): no `sid`, so authgraph
 * itself never takes it as a session; a product verifies it offline through JWKS.
 */
export function issueKeyAccessToken(
  keys: SigningKeys,
  settings: AccessTokenSettings,
  claims: { subject: string; keyId: string; tokenId: string; issuedAt: Date; ttlSeconds: number; extra: Record<string, unknown> },
): Promise<string> {
  return signedAccessToken(keys, settings, { ...claims.extra, key_id: claims.keyId }, claims);
}

/** Verifies signature (EdDSA only, by kid), issuer, audience and lifetime; null when anything is off. */
export async function verifyAccessToken(
  keys: SigningKeys,
  settings: AccessTokenSettings,
  token: string,
  now: Date,
): Promise<AccessTokenClaims | null> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid ? keys.verificationKeys.get(header.kid) : undefined;
        if (!key) throw new Error('unknown kid');
        return key;
      },
      {
        algorithms: [signingAlgorithm],
        issuer: settings.issuer,
        audience: settings.audience,
        typ: 'at+jwt',
        currentDate: now,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'jti', 'sid'],
      },
    );
    if (typeof payload.sid !== 'string' || !payload.sub || !payload.jti || !payload.exp) return null;
    return { userId: payload.sub, sessionId: payload.sid, tokenId: payload.jti, expiresAt: new Date(payload.exp * 1000) };
  } catch {
    return null;
  }
}
