import { revokeApiKey } from '../apikeys/manage.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, Principal, RequestCredentials } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { logout } from './manage.js';
import { refreshSession } from './refresh.js';
import { clearedRefreshCookie, refreshCookie } from './cookies.js';
import type { SessionTokens } from './session-tokens.js';

/**
 * How a door (GraphQL or REST) hands session tokens to a client and takes them
 * back. The rules are the same on both doors and live only here: a BROWSER
 * session's refresh token travels only as an HttpOnly cookie scoped to the
 * door's refresh path, never in a body; logout clears that cookie; a refused
 * refresh clears the cookie it came in.
 */
export type TokenDelivery = {
  /** The path the door's refresh endpoint answers on: the cookie is sent back there only. */
  cookiePath: string;
  setCookie(value: string): void;
};

export type DeliveredTokens = { tokens: SessionTokens; refreshInBody: boolean };

/** Sets the refresh cookie for a BROWSER session; says whether the body may carry the refresh token. */
export function deliverTokens(runtime: Runtime, tokens: SessionTokens, delivery: TokenDelivery): DeliveredTokens {
  const viaCookie = tokens.clientType === 'BROWSER';
  if (viaCookie) delivery.setCookie(refreshCookie(runtime, tokens.refreshToken, tokens.refreshExpiresAt, delivery.cookiePath));
  return { tokens, refreshInBody: !viaCookie };
}

/**
 * Rotates the refresh token the request presents: in the body (`explicitToken`),
 * as `Authorization: Bearer`, or in the cookie, in that order.
 */
export async function refreshPresented(
  runtime: Runtime,
  request: { credentials: RequestCredentials; client: ClientInfo; explicitToken?: string | null },
  delivery: TokenDelivery,
): Promise<DeliveredTokens> {
  const { credentials, client } = request;
  const refreshToken = request.explicitToken ?? credentials.bearerRefreshToken ?? credentials.cookieRefreshToken;
  if (!refreshToken) throw new AppError(refusals.noRefreshToken);
  try {
    return deliverTokens(runtime, await refreshSession(runtime, refreshToken, client), delivery);
  } catch (error) {
    if (refreshToken === credentials.cookieRefreshToken) delivery.setCookie(clearedRefreshCookie(runtime, delivery.cookiePath));
    throw error;
  }
}

/**
 * Ends the credential the caller used: a session ends (a BROWSER session's refresh
 * cookie is cleared), a user's own key is revoked (novem's named tokens log out so).
 */
export async function logoutCaller(runtime: Runtime, principal: Principal, delivery: TokenDelivery, client: ClientInfo): Promise<void> {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
  if (principal.kind === 'apiKey') {
    if (principal.userId === null) throw new AppError(refusals.serviceAccountHasNoUser);
    await revokeApiKey(runtime, { ...principal, userId: principal.userId }, principal.keyId, client);
    return;
  }
  const ended = await logout(runtime, principal);
  if (ended?.clientType === 'BROWSER') delivery.setCookie(clearedRefreshCookie(runtime, delivery.cookiePath));
}
