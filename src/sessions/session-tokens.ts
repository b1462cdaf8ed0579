import { issueAccessToken } from '../crypto/access-token.js';
import { hmacSha256, sha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import type { ClientType } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { accessTokenClaimsOf } from './access-claims.js';

export const refreshTokenPrefix = 'rt_';

export type SessionTokens = {
  userId: string;
  sessionId: string;
  /** A BROWSER session's refresh token travels only as a cookie (see sessions/delivery.ts). */
  clientType: ClientType;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: Date;
};

export const newRefreshToken = () => refreshTokenPrefix + randomToken(32);
export const refreshTokenHash = sha256;

/**
 * The token that replaces `parent` on rotation. It is derived, not random, so a
 * tab that refreshes a moment after another can be handed the same successor
 * although only hashes are stored.
 */
export function successorOf(runtime: Runtime, parent: string): string {
  return refreshTokenPrefix + hmacSha256(runtime.serverSecret, `refresh:${parent}`);
}

export function isRefreshToken(value: string): boolean {
  return value.startsWith(refreshTokenPrefix) && value.length === refreshTokenPrefix.length + 43;
}

/** The pair for a refresh token issued at `issuedAt`; the same inputs give the same pair. */
export async function sessionTokens(
  runtime: Runtime,
  grant: { userId: string; sessionId: string; clientType: ClientType; refreshToken: string; issuedAt: Date; refreshExpiresAt: Date; amr: string[] },
): Promise<SessionTokens> {
  const accessToken = await issueAccessToken(runtime.signingKeys, runtime.accessTokens, {
    userId: grant.userId,
    sessionId: grant.sessionId,
    tokenId: hmacSha256(runtime.serverSecret, `jti:${grant.refreshToken}`).slice(0, 22),
    issuedAt: grant.issuedAt,
    amr: grant.amr,
    extra: await accessTokenClaimsOf(runtime, grant.userId),
  });
  return {
    userId: grant.userId,
    sessionId: grant.sessionId,
    clientType: grant.clientType,
    accessToken,
    expiresIn: runtime.accessTokens.ttlSeconds,
    refreshToken: grant.refreshToken,
    refreshExpiresAt: grant.refreshExpiresAt,
  };
}

/** Sliding expiry, capped by the session's absolute lifetime (SESSION_MAX_AGE; 0: no cap). */
export function refreshExpiry(runtime: Runtime, session: { createdAt: Date; rememberMe: boolean }, now: Date): Date {
  const { ttl, rememberTtl, sessionMaxAge } = runtime.config.refresh;
  const sliding = now.getTime() + (session.rememberMe ? rememberTtl : ttl) * 1000;
  if (sessionMaxAge === 0) return new Date(sliding);
  return new Date(Math.min(sliding, session.createdAt.getTime() + sessionMaxAge * 1000));
}
