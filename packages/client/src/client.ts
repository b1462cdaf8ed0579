import { defaultCoordinator, type RefreshCoordinator } from './coordination.js';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  RevokeApiKeyDocument,
  RevokeSessionDocument,
  RollApiKeyDocument,
  SessionsDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
  VerifyMfaDocument,
  WhoamiDocument,
  type ApiKeyFieldsFragment,
  type ClientType,
  type CreateApiKeyInput,
  type RegisterInput,
  type SessionsQuery,
  type SignedInFragment,
  type UserFieldsFragment,
} from './generated/graphql.js';
import { createSession } from './session.js';
import { memoryStorage, type TokenStorage } from './storage.js';
import type { TokenPayload } from './tokens.js';
import { postOperation, type FetchLike, type Operation, type Transport } from './transport.js';

export interface AuthClientOptions {
  /** The GraphQL endpoint, e.g. `https://auth.example.com/graphql`, or `/graphql` in a page the server serves. */
  url: string;
  /** Signs every request with this API key instead of a session (scripts, servers); nothing is stored or refreshed. */
  apiKey?: string;
  /** Default memoryStorage(); webStorage() in a browser app, fileStorage() from `@authgraph/client/node` in a script. */
  storage?: TokenStorage;
  /** BROWSER: the server keeps the refresh token in an HttpOnly cookie (same-site pages). Default API. */
  clientType?: ClientType;
  /** Refresh this many seconds before the access token expires (default 60). */
  refreshMarginSeconds?: number;
  /** Also refresh on a timer ahead of expiry, so an idle page stays signed in (default false). */
  keepAlive?: boolean;
  /** Called when the session ends by itself: revoked, expired, or signed out in another tab. */
  onSessionEnded?: () => void;
  /** Default the global fetch; any function with its shape (e.g. over node:http). */
  fetch?: FetchLike;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  /** Default: Web Locks and a BroadcastChannel where the browser has them, else this process alone. */
  coordinator?: RefreshCoordinator;
  /** Sent with every request (e.g. a User-Agent in Node). */
  headers?: Record<string, string>;
  credentials?: RequestCredentials;
}

export type User = UserFieldsFragment;
export type ApiKey = ApiKeyFieldsFragment;
export type Session = SessionsQuery['sessions'][number];

/**
 * How a sign-in ended: signed in, or the account has a second factor and the challenge waits
 * for `verifyMfa` (a code from the authenticator app, or a recovery code) before `expiresAt`.
 */
export type SignInResult =
  | { kind: 'signedIn'; user: User }
  | { kind: 'mfaRequired'; challengeId: string; methods: string[]; expiresAt: string };

export interface SignInInput {
  /** A username or an e-mail address. */
  username: string;
  password: string;
  /** A 30-day session instead of the default. */
  rememberMe?: boolean;
}

export function createAuthClient(options: AuthClientOptions) {
  const transport: Transport = {
    url: options.url,
    fetch: options.fetch ?? globalThis.fetch,
    credentials: options.credentials ?? 'same-origin',
    headers: options.headers ?? {},
  };
  const clientType = options.clientType ?? 'API';
  const session = createSession({
    transport,
    storage: options.storage ?? memoryStorage(),
    coordinator: options.coordinator ?? defaultCoordinator(),
    clock: options.clock ?? Date.now,
    refreshMarginMs: (options.refreshMarginSeconds ?? 60) * 1000,
    refreshByCookie: clientType === 'BROWSER',
    keepAlive: options.keepAlive ?? false,
    onSessionEnded: options.onSessionEnded ?? (() => undefined),
  });
  const { apiKey } = options;
  async function signedIn(payload: SignedInFragment): Promise<SignInResult> {
    await session.start(payload);
    return { kind: 'signedIn', user: payload.user };
  }
  const request = <TResult, TVariables>(operation: Operation<TResult, TVariables>, variables?: TVariables) =>
    apiKey ? postOperation(transport, operation, variables, apiKey) : session.request(operation, variables);

  return {
    /** Creates an account; sign in afterwards. */
    signUp: async (input: RegisterInput): Promise<User> => (await session.anonymous(SignUpDocument, { input })).register,

    async signIn(input: SignInInput): Promise<SignInResult> {
      const { signIn } = await session.anonymous(SignInDocument, { input: { ...input, clientType } });
      if (signIn.__typename === 'MfaChallenge') {
        const { challengeId, methods, expiresAt } = signIn;
        return { kind: 'mfaRequired', challengeId, methods, expiresAt };
      }
      return signedIn(signIn);
    },

    /** Completes a sign-in that answered `mfaRequired`. */
    verifyMfa: async (challengeId: string, code: string): Promise<SignInResult> =>
      signedIn((await session.anonymous(VerifyMfaDocument, { challengeId, code })).verifyMfa),

    /** Ends the session on the server (a failure still forgets the tokens here). */
    async signOut(): Promise<void> {
      try {
        if (await session.accessToken()) await request(SignOutDocument);
      } finally {
        await session.end();
      }
    },

    whoami: async () => (await request(WhoamiDocument)).whoami,

    apiKeys: {
      /** Newest first, revoked and expired ones included; pass `after` (pageInfo.endCursor) for the next page. */
      list: async (page: { first?: number; after?: string } = {}) => (await request(ApiKeysDocument, page)).apiKeys,
      /** `rawKey` is the whole key, shown this once. */
      create: async (input: CreateApiKeyInput) => (await request(CreateApiKeyDocument, { input })).createApiKey,
      revoke: async (id: string): Promise<ApiKey> => (await request(RevokeApiKeyDocument, { id })).revokeApiKey,
      /** A new secret for the same key; the old one works for `gracePeriodSeconds` more. */
      roll: async (id: string, gracePeriodSeconds = 0) => (await request(RollApiKeyDocument, { id, gracePeriodSeconds })).rollApiKey,
    },

    sessions: {
      /** Active sign-ins, most recently used first; `current` marks this one. */
      list: async (): Promise<Session[]> => (await request(SessionsDocument)).sessions,
      revoke: async (id: string) => (await request(RevokeSessionDocument, { id })).revokeSession,
    },

    /** Any operation, typed when given a TypedDocumentString, with the same refresh as the methods above. */
    request,
    /** A current access token (refreshed first when it is about to expire), for another GraphQL client's auth link. */
    accessToken: () => (apiKey ? Promise.resolve(apiKey) : session.accessToken()),
    /** Refreshes now, unless another call or tab already replaced `rejectedAccessToken`; answers the new access token. */
    refresh: session.refresh,
    /** Whether there is a session to go on with (stored tokens, or the refresh cookie), refreshing if needed. */
    resume: session.resume,
    /** Adopts tokens from a mutation the client does not wrap (googleSignIn, verifyMfa). */
    setSession: (payload: TokenPayload) => session.start(payload),
  };
}

export type AuthClient = ReturnType<typeof createAuthClient>;
