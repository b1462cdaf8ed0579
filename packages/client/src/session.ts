import type { RefreshCoordinator } from './coordination.js';
import { AuthClientError, isSessionOver, isUnauthenticated } from './errors.js';
import { RefreshDocument } from './generated/graphql.js';
import type { TokenStorage } from './storage.js';
import { tokensFrom, type StoredTokens, type TokenPayload } from './tokens.js';
import { postOperation, type Operation, type Transport } from './transport.js';

export interface SessionSettings {
  transport: Transport;
  storage: TokenStorage;
  coordinator: RefreshCoordinator;
  clock: () => number;
  refreshMarginMs: number;
  /** The refresh token is an HttpOnly cookie (clientType BROWSER): refresh even with none stored. */
  refreshByCookie: boolean;
  /** Refresh on a timer before expiry, so an idle page stays signed in. */
  keepAlive: boolean;
  onSessionEnded: () => void;
}

const notSignedIn = () => new AuthClientError('Not signed in.', 'UNAUTHENTICATED');

/**
 * The token lifecycle, and the one place the client refreshes: ahead of expiry, once when the
 * server answers UNAUTHENTICATED, and on the keep-alive timer, always under the coordinator.
 */
export function createSession(settings: SessionSettings) {
  const { transport, storage, coordinator, clock } = settings;
  let keepAliveTimer: ReturnType<typeof setTimeout> | undefined;

  const expiresSoon = (tokens: StoredTokens) => clock() >= tokens.expiresAt - settings.refreshMarginMs;

  function scheduleKeepAlive(tokens: StoredTokens | null) {
    clearTimeout(keepAliveTimer);
    if (!settings.keepAlive || !tokens) return;
    const delay = Math.max(tokens.expiresAt - settings.refreshMarginMs - clock(), 5000);
    // A failure that is not the session's end (the network) waits for the next request.
    keepAliveTimer = setTimeout(() => refreshUnlessReplaced(tokens.accessToken).catch(() => undefined), delay);
  }

  async function adopt(tokens: StoredTokens | null, announce: boolean) {
    await storage.save(tokens);
    scheduleKeepAlive(tokens);
    if (announce) coordinator.announce(tokens);
  }

  coordinator.subscribe(async (tokens) => {
    await adopt(tokens, false);
    if (!tokens) settings.onSessionEnded();
  });

  /**
   * Refreshes, unless the stored tokens are no longer `seenAccessToken` and still fresh: another
   * tab or call refreshed while this one waited for its turn, and its tokens serve.
   */
  function refreshUnlessReplaced(seenAccessToken: string | null): Promise<StoredTokens> {
    return coordinator.exclusive(async () => {
      const current = await storage.load();
      if (current && current.accessToken !== seenAccessToken && !expiresSoon(current)) return current;
      if (!current?.refreshToken && !settings.refreshByCookie) throw notSignedIn();
      try {
        const { refresh } = await postOperation(transport, RefreshDocument, { refreshToken: current?.refreshToken ?? null }, null);
        const fresh = tokensFrom(refresh, clock());
        await adopt(fresh, true);
        return fresh;
      } catch (error) {
        if (isSessionOver(error) && current) {
          await adopt(null, true);
          settings.onSessionEnded();
        }
        throw error;
      }
    });
  }

  /** The stored tokens, refreshed first when they expire within the margin; null when signed out. */
  async function freshTokens(): Promise<StoredTokens | null> {
    const tokens = await storage.load();
    if (!tokens || !expiresSoon(tokens)) return tokens;
    return refreshUnlessReplaced(tokens.accessToken);
  }

  /** Runs an operation as the signed-in user; an access token the server refuses gets one refresh and one retry. */
  async function request<TResult, TVariables>(operation: Operation<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
    const tokens = await freshTokens();
    try {
      return await postOperation(transport, operation, variables, tokens?.accessToken ?? null);
    } catch (error) {
      if (!tokens || !isUnauthenticated(error)) throw error;
      const fresh = await refreshUnlessReplaced(tokens.accessToken);
      return postOperation(transport, operation, variables, fresh.accessToken);
    }
  }

  return {
    request,
    /** Without credentials (sign-up, sign-in). */
    anonymous: <TResult, TVariables>(operation: Operation<TResult, TVariables>, variables?: TVariables) =>
      postOperation(transport, operation, variables, null),
    start: (payload: TokenPayload) => adopt(tokensFrom(payload, clock()), true),
    end: () => adopt(null, true),
    accessToken: async () => (await freshTokens())?.accessToken ?? null,
    /** Refreshes now, unless the tokens already changed since `rejectedAccessToken` was sent. */
    refresh: async (rejectedAccessToken?: string) =>
      (await refreshUnlessReplaced(rejectedAccessToken ?? (await storage.load())?.accessToken ?? null)).accessToken,
    /** Whether a session can go on: stored tokens, refreshed if they are stale, or the refresh cookie. */
    async resume(): Promise<boolean> {
      try {
        await refreshUnlessReplaced(null);
        return true;
      } catch (error) {
        if (isSessionOver(error)) return false;
        throw error;
      }
    },
  };
}

export type Session = ReturnType<typeof createSession>;
