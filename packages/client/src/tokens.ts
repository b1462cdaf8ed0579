/** What the client keeps between requests, in its TokenStorage. */
export interface StoredTokens {
  accessToken: string;
  /** Null when the server keeps it in an HttpOnly cookie (clientType BROWSER). */
  refreshToken: string | null;
  /**
   * When the access token expires, in milliseconds since the epoch by the client's own clock:
   * counted from `expiresIn` on arrival, so a client whose clock is off still refreshes in time.
   */
  expiresAt: number;
}

/** An AuthPayload as login, refresh, googleSignIn and verifyMfa answer it. */
export interface TokenPayload {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string | null;
}

export function tokensFrom(payload: TokenPayload, now: number): StoredTokens {
  return { accessToken: payload.accessToken, refreshToken: payload.refreshToken ?? null, expiresAt: now + payload.expiresIn * 1000 };
}
