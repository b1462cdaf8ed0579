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
  /** The owner's plan: it sets the key's requests per minute unless the key has its own rate limit. */
  plan: string;
  /** The owner's role. */
  role: string;
  /** The deployment's permissions (API_KEY_PERMISSIONS) the key was given. */
  permissions: string[];
  limits: KeyLimits;
  expiresAt: Date | null;
};

/** A key's own limits (apikeys/quota.ts): null fields fall back to its plan's rate and no budget. */
export type KeyLimits = {
  rateLimit: number | null;
  rateLimitWindow: number | null;
  usageLimit: number | null;
  usageRefill: UsageRefill | null;
};

export const usageRefills = ['DAILY', 'MONTHLY'] as const;
export type UsageRefill = (typeof usageRefills)[number];

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
