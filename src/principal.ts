import type { ApiKeyScope, KeyEnvironment } from './apikeys/scopes.js';

/** What a client says about itself: its User-Agent, and its address (behind a trusted proxy, from X-Forwarded-For), for limits and logs. */
export type ClientInfo = { userAgent: string; ip?: string };

/** API clients get the refresh token in the body; BROWSER clients as an HttpOnly cookie. */
export type ClientType = 'API' | 'BROWSER';

export type SessionPrincipal = { kind: 'session'; userId: string; sessionId: string; tokenId: string };

export type ApiKeyPrincipal = {
  kind: 'apiKey';
  keyId: string;
  keyName: string;
  /** Exactly one of userId and serviceAccountId is set. */
  userId: string | null;
  serviceAccountId: string | null;
  scopes: ApiKeyScope[];
  environment: KeyEnvironment;
  /** The owner's plan: it sets the key's requests per minute. */
  plan: string;
};

export type Principal = { kind: 'anonymous' } | SessionPrincipal | ApiKeyPrincipal;

/** A credential that acts for a user: a session, or one of the user's own keys. */
export type UserPrincipal = SessionPrincipal | (ApiKeyPrincipal & { userId: string });

/** What the context builder found on a request (see context.ts). */
export type RequestCredentials = {
  principal: Principal;
  /** A refresh token sent as `Authorization: Bearer`: only the refresh operation accepts it. */
  bearerRefreshToken?: string;
  /** The refresh cookie, when the browser sent it (only to a refresh path). */
  cookieRefreshToken?: string;
};
