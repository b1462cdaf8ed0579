import { looksLikeApiKey } from './apikeys/key-format.js';
import { spendKeyRequest } from './apikeys/quota.js';
import { verifyApiKey } from './apikeys/verify.js';
import { verifyAccessToken } from './crypto/access-token.js';
import { AppError, refusals } from './errors.js';
import type { ApiKeyPrincipal, ClientInfo, RequestCredentials, SessionPrincipal } from './principal.js';
import type { Runtime } from './runtime.js';
import { isSameOrigin } from './http/same-origin.js';
import { refreshCookieName, sessionCookieName } from './sessions/cookies.js';
import { sessionStillLive } from './sessions/revoke.js';
import { isSessionSecret, sessionOfSecret } from './sessions/session-secret.js';
import { isRefreshToken } from './sessions/session-tokens.js';

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function credentialsFrom(headers: Headers): string[] {
  const presented: string[] = [];
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError(refusals.malformedAuthorization);
    presented.push(match[1]);
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey !== null) presented.push(apiKey.trim());
  return [...new Set(presented)];
}

function readCookie(headers: Headers, name: string): string | undefined {
  for (const part of (headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** The caller's User-Agent, and its address (app.ts resolves it once, trusted proxies considered), for limits and logs. */
export function clientInfo(headers: Headers, ip?: string): ClientInfo {
  return { userAgent: headers.get('user-agent') ?? '', ip };
}

type ResolveOptions = {
  /** REST: novem's session cookie (set by POST /v1/auth) stands for the caller when no header credential is sent. */
  sessionCookie?: boolean;
};

/**
 * The one place that reads credentials from a request. An expired, revoked or
 * wrongly signed credential, or one of a disabled account (whose state is read
 * again every few seconds, so a disabling reaches every instance without Redis),
 * counts for nothing: the request goes on as anonymous, so what needs no
 * credential (login, register, refresh, forgotPassword) works for a client that
 * still sends a stale access token, as Apollo's and urql's auth links do, and what
 * needs one answers UNAUTHENTICATED. A malformed header or two credentials are
 * refused outright. Cookies count only from the server's own origin: a page
 * elsewhere, even on the same site, cannot ride on them.
 */
export async function resolveCredentials(
  runtime: Runtime,
  request: Request,
  client: ClientInfo,
  { sessionCookie = false }: ResolveOptions = {},
): Promise<RequestCredentials> {
  const { headers } = request;
  const presented = credentialsFrom(headers);
  if (presented.length > 1) {
    throw new AppError(refusals.twoCredentials);
  }
  const cookies = isSameOrigin(headers, request.url, runtime.config.publicUrl);
  const credential = presented[0] ?? ((cookies && sessionCookie && readCookie(headers, sessionCookieName(runtime))) || undefined);
  const cookieRefreshToken = (cookies && readCookie(headers, refreshCookieName(runtime))) || undefined;
  if (!credential) return { principal: { kind: 'anonymous' }, cookieRefreshToken };
  if (isRefreshToken(credential)) return { principal: { kind: 'anonymous' }, bearerRefreshToken: credential, cookieRefreshToken };
  const principal = await principalFor(runtime, credential, client).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') return null;
    throw error;
  });
  if (!principal) return { principal: { kind: 'anonymous' }, cookieRefreshToken };
  if (principal.userId !== null) {
    const owner = await runtime.whoamiViews.user(principal.userId, runtime.clock().getTime());
    if (!owner || owner.disabledAt) return { principal: { kind: 'anonymous' }, cookieRefreshToken };
  }
  return { principal, cookieRefreshToken };
}

async function principalFor(runtime: Runtime, credential: string, client: ClientInfo): Promise<SessionPrincipal | ApiKeyPrincipal> {
  if (jwtShape.test(credential)) {
    const now = runtime.clock();
    const nowMs = now.getTime();
    let claims = runtime.verifiedAccessTokens.get(credential, nowMs);
    if (!claims) {
      claims = (await verifyAccessToken(runtime.signingKeys, runtime.accessTokens, credential, now)) ?? undefined;
      if (claims) runtime.verifiedAccessTokens.set(credential, claims, claims.expiresAt.getTime());
    }
    if (!claims || runtime.revokedSessions.has(claims.sessionId, nowMs) || !(await sessionStillLive(runtime, claims.sessionId))) {
      throw new AppError('UNAUTHENTICATED');
    }
    return { kind: 'session', userId: claims.userId, sessionId: claims.sessionId, tokenId: claims.tokenId };
  }
  if (isSessionSecret(credential)) {
    const principal = await sessionOfSecret(runtime, credential);
    if (!principal) throw new AppError('UNAUTHENTICATED');
    return principal;
  }
  if (looksLikeApiKey(runtime.config.apiKeys.prefix, credential)) {
    const principal = await verifyApiKey(runtime, credential, client);
    if (!principal) throw new AppError('UNAUTHENTICATED');
    await spendKeyRequest(runtime, principal);
    return principal;
  }
  throw new AppError('UNAUTHENTICATED');
}

/** HTTP Basic username and password, for the routes that take them (novem's /v1/auth and /v1/token). */
export function readBasicCredentials(headers: Headers): { username: string; password: string } | null {
  const match = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(headers.get('authorization') ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 1) return null;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}
