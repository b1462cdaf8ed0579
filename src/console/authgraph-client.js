// @authgraph/client for browsers, built by scripts/build-client.ts from packages/client/src: do not edit.
var __defProp = Object.defineProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// packages/client/src/coordination.ts
function inProcessCoordinator() {
  let tail = Promise.resolve();
  return {
    exclusive(task) {
      const run = tail.then(task, task);
      tail = run.catch(() => void 0);
      return run;
    },
    announce() {
    },
    subscribe() {
    }
  };
}
var announcementWaitMs = 3e3;
function tabCoordinator(name = "authgraph-refresh") {
  const channel = new BroadcastChannel(name);
  const listeners = [];
  let othersTokens = null;
  channel.addEventListener("message", (event) => {
    if (event.data.kind === "refreshing") {
      let settle = () => {
      };
      const promise = new Promise((resolve) => settle = resolve);
      othersTokens = { promise, settle };
      return;
    }
    const waiting = othersTokens;
    othersTokens = null;
    const { tokens } = event.data;
    void Promise.allSettled(listeners.map(async (listener) => listener(tokens))).then(() => waiting?.settle());
  });
  const post = (message) => channel.postMessage(message);
  return {
    // The lock manager resolves with what the task resolves with; lib.dom types it one Promise deeper.
    exclusive: (task) => navigator.locks.request(name, async () => {
      const pending = othersTokens;
      if (pending) await Promise.race([pending.promise, new Promise((resolve) => setTimeout(resolve, announcementWaitMs))]);
      post({ kind: "refreshing" });
      return task();
    }),
    announce: (tokens) => post({ kind: "tokens", tokens }),
    subscribe: (listener) => {
      listeners.push(listener);
    }
  };
}
function defaultCoordinator() {
  const locks = globalThis.navigator?.locks;
  return locks && typeof BroadcastChannel === "function" ? tabCoordinator() : inProcessCoordinator();
}

// packages/client/src/generated/graphql.ts
var graphql_exports = {};
__export(graphql_exports, {
  ApiKeyFieldsFragmentDoc: () => ApiKeyFieldsFragmentDoc,
  ApiKeysDocument: () => ApiKeysDocument,
  CreateApiKeyDocument: () => CreateApiKeyDocument,
  RefreshDocument: () => RefreshDocument,
  RevokeApiKeyDocument: () => RevokeApiKeyDocument,
  RevokeSessionDocument: () => RevokeSessionDocument,
  RollApiKeyDocument: () => RollApiKeyDocument,
  SessionsDocument: () => SessionsDocument,
  SignInDocument: () => SignInDocument,
  SignOutDocument: () => SignOutDocument,
  SignUpDocument: () => SignUpDocument,
  SignedInFragmentDoc: () => SignedInFragmentDoc,
  TypedDocumentString: () => TypedDocumentString,
  UserFieldsFragmentDoc: () => UserFieldsFragmentDoc,
  VerifyMfaDocument: () => VerifyMfaDocument,
  WhoamiDocument: () => WhoamiDocument
});
var TypedDocumentString = class extends String {
  __apiType;
  value;
  __meta__;
  constructor(value, __meta__) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }
  toString() {
    return this.value;
  }
};
var ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  description
  prefix
  environment
  scopes
  isActive
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  previousSecretExpiresAt
}
    `, { "fragmentName": "ApiKeyFields" });
var UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}
    `, { "fragmentName": "UserFields" });
var SignedInFragmentDoc = new TypedDocumentString(`
    fragment SignedIn on AuthPayload {
  accessToken
  expiresIn
  refreshToken
  user {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}`, { "fragmentName": "SignedIn" });
var SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: RegisterInput!) {
  register(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}`);
var SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: LoginInput!) {
  signIn(input: $input) {
    __typename
    ...SignedIn
    ... on MfaChallenge {
      challengeId
      expiresAt
      methods
    }
  }
}
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}
fragment SignedIn on AuthPayload {
  accessToken
  expiresIn
  refreshToken
  user {
    ...UserFields
  }
}`);
var VerifyMfaDocument = new TypedDocumentString(`
    mutation VerifyMfa($challengeId: ID!, $code: String!) {
  verifyMfa(challengeId: $challengeId, code: $code) {
    ...SignedIn
  }
}
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}
fragment SignedIn on AuthPayload {
  accessToken
  expiresIn
  refreshToken
  user {
    ...UserFields
  }
}`);
var RefreshDocument = new TypedDocumentString(`
    mutation Refresh($refreshToken: String) {
  refresh(refreshToken: $refreshToken) {
    accessToken
    expiresIn
    refreshToken
  }
}
    `);
var SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  logout
}
    `);
var WhoamiDocument = new TypedDocumentString(`
    query Whoami {
  whoami {
    credential {
      id
      kind
      name
      scopes
      environment
    }
    user {
      ...UserFields
    }
    serviceAccount {
      id
      name
    }
  }
}
    fragment UserFields on User {
  id
  username
  email
  fullName
  role
  createdAt
}`);
var ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) {
    nodes {
      ...ApiKeyFields
    }
    pageInfo {
      endCursor
      hasNextPage
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  description
  prefix
  environment
  scopes
  isActive
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  previousSecretExpiresAt
}`);
var CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    rawKey
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  description
  prefix
  environment
  scopes
  isActive
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  previousSecretExpiresAt
}`);
var RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  description
  prefix
  environment
  scopes
  isActive
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  previousSecretExpiresAt
}`);
var RollApiKeyDocument = new TypedDocumentString(`
    mutation RollApiKey($id: ID!, $gracePeriodSeconds: Int) {
  rollApiKey(id: $id, gracePeriodSeconds: $gracePeriodSeconds) {
    rawKey
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  description
  prefix
  environment
  scopes
  isActive
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
  previousSecretExpiresAt
}`);
var SessionsDocument = new TypedDocumentString(`
    query Sessions {
  sessions {
    id
    name
    device
    current
    createdAt
    lastUsedAt
    expiresAt
    authenticatedAt
  }
}
    `);
var RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id) {
    id
    revokedAt
  }
}
    `);

// packages/client/src/errors.ts
var AuthClientError = class extends Error {
  name = "AuthClientError";
  code;
  fields;
  /** The error's other extensions, e.g. `mfaChallenge` when googleSignIn answers MFA_REQUIRED. */
  extensions;
  constructor(message, code, fields = [], extensions = {}) {
    super(message);
    this.code = code;
    this.fields = fields;
    this.extensions = extensions;
  }
};
var sessionOverCodes = /* @__PURE__ */ new Set(["UNAUTHENTICATED", "SESSION_MISMATCH"]);
var isSessionOver = (error) => error instanceof AuthClientError && sessionOverCodes.has(error.code);
var isUnauthenticated = (error) => error instanceof AuthClientError && error.code === "UNAUTHENTICATED";

// packages/client/src/tokens.ts
function tokensFrom(payload, now) {
  return { accessToken: payload.accessToken, refreshToken: payload.refreshToken ?? null, expiresAt: now + payload.expiresIn * 1e3 };
}

// packages/client/src/transport.ts
async function postOperation(transport, operation, variables, bearer) {
  const headers = { ...transport.headers, "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const { fetch } = transport;
  const response = await fetch(transport.url, {
    method: "POST",
    headers,
    credentials: transport.credentials,
    body: JSON.stringify({ query: operation.toString(), variables: variables ?? {} })
  });
  const body = await response.json().catch(() => null);
  if (!body) throw new AuthClientError(`The server answered ${response.status}.`, `HTTP_${response.status}`);
  const [error] = body.errors ?? [];
  if (error) {
    const { code = "INTERNAL", fields, ...extensions } = error.extensions ?? {};
    throw new AuthClientError(error.message, code, fields, extensions);
  }
  if (!body.data) throw new AuthClientError(`The server answered ${response.status} without data.`, `HTTP_${response.status}`);
  return body.data;
}

// packages/client/src/session.ts
var notSignedIn = () => new AuthClientError("Not signed in.", "UNAUTHENTICATED");
function createSession(settings) {
  const { transport, storage, coordinator, clock } = settings;
  let keepAliveTimer;
  const expiresSoon = (tokens) => clock() >= tokens.expiresAt - settings.refreshMarginMs;
  function scheduleKeepAlive(tokens) {
    clearTimeout(keepAliveTimer);
    if (!settings.keepAlive || !tokens) return;
    const delay = Math.max(tokens.expiresAt - settings.refreshMarginMs - clock(), 5e3);
    keepAliveTimer = setTimeout(() => refreshUnlessReplaced(tokens.accessToken).catch(() => void 0), delay);
  }
  async function adopt(tokens, announce) {
    await storage.save(tokens);
    scheduleKeepAlive(tokens);
    if (announce) coordinator.announce(tokens);
  }
  coordinator.subscribe(async (tokens) => {
    await adopt(tokens, false);
    if (!tokens) settings.onSessionEnded();
  });
  function refreshUnlessReplaced(seenAccessToken) {
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
  async function freshTokens() {
    const tokens = await storage.load();
    if (!tokens || !expiresSoon(tokens)) return tokens;
    return refreshUnlessReplaced(tokens.accessToken);
  }
  async function request(operation, variables) {
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
    anonymous: (operation, variables) => postOperation(transport, operation, variables, null),
    start: (payload) => adopt(tokensFrom(payload, clock()), true),
    end: () => adopt(null, true),
    accessToken: async () => (await freshTokens())?.accessToken ?? null,
    /** Refreshes now, unless the tokens already changed since `rejectedAccessToken` was sent. */
    refresh: async (rejectedAccessToken) => (await refreshUnlessReplaced(rejectedAccessToken ?? (await storage.load())?.accessToken ?? null)).accessToken,
    /** Whether a session can go on: stored tokens, refreshed if they are stale, or the refresh cookie. */
    async resume() {
      try {
        await refreshUnlessReplaced(null);
        return true;
      } catch (error) {
        if (isSessionOver(error)) return false;
        throw error;
      }
    }
  };
}

// packages/client/src/storage.ts
function memoryStorage() {
  let tokens = null;
  return {
    load: () => tokens,
    save: (next) => {
      tokens = next;
    }
  };
}
function webStorage(key = "authgraph.tokens", storage = globalThis.localStorage) {
  return {
    load: () => {
      const text = storage.getItem(key);
      return text ? JSON.parse(text) : null;
    },
    save: (tokens) => tokens ? storage.setItem(key, JSON.stringify(tokens)) : storage.removeItem(key)
  };
}

// packages/client/src/client.ts
function createAuthClient(options) {
  const transport = {
    url: options.url,
    fetch: options.fetch ?? globalThis.fetch,
    credentials: options.credentials ?? "same-origin",
    headers: options.headers ?? {}
  };
  const clientType = options.clientType ?? "API";
  const session = createSession({
    transport,
    storage: options.storage ?? memoryStorage(),
    coordinator: options.coordinator ?? defaultCoordinator(),
    clock: options.clock ?? Date.now,
    refreshMarginMs: (options.refreshMarginSeconds ?? 60) * 1e3,
    refreshByCookie: clientType === "BROWSER",
    keepAlive: options.keepAlive ?? false,
    onSessionEnded: options.onSessionEnded ?? (() => void 0)
  });
  const { apiKey } = options;
  async function signedIn(payload) {
    await session.start(payload);
    return { kind: "signedIn", user: payload.user };
  }
  const request = (operation, variables) => apiKey ? postOperation(transport, operation, variables, apiKey) : session.request(operation, variables);
  return {
    /** Creates an account; sign in afterwards. */
    signUp: async (input) => (await session.anonymous(SignUpDocument, { input })).register,
    async signIn(input) {
      const { signIn } = await session.anonymous(SignInDocument, { input: { ...input, clientType } });
      if (signIn.__typename === "MfaChallenge") {
        const { challengeId, methods, expiresAt } = signIn;
        return { kind: "mfaRequired", challengeId, methods, expiresAt };
      }
      return signedIn(signIn);
    },
    /** Completes a sign-in that answered `mfaRequired`. */
    verifyMfa: async (challengeId, code) => signedIn((await session.anonymous(VerifyMfaDocument, { challengeId, code })).verifyMfa),
    /** Ends the session on the server (a failure still forgets the tokens here). */
    async signOut() {
      try {
        if (await session.accessToken()) await request(SignOutDocument);
      } finally {
        await session.end();
      }
    },
    whoami: async () => (await request(WhoamiDocument)).whoami,
    apiKeys: {
      /** Newest first, revoked and expired ones included; pass `after` (pageInfo.endCursor) for the next page. */
      list: async (page = {}) => (await request(ApiKeysDocument, page)).apiKeys,
      /** `rawKey` is the whole key, shown this once. */
      create: async (input) => (await request(CreateApiKeyDocument, { input })).createApiKey,
      revoke: async (id) => (await request(RevokeApiKeyDocument, { id })).revokeApiKey,
      /** A new secret for the same key; the old one works for `gracePeriodSeconds` more. */
      roll: async (id, gracePeriodSeconds = 0) => (await request(RollApiKeyDocument, { id, gracePeriodSeconds })).rollApiKey
    },
    sessions: {
      /** Active sign-ins, most recently used first; `current` marks this one. */
      list: async () => (await request(SessionsDocument)).sessions,
      revoke: async (id) => (await request(RevokeSessionDocument, { id })).revokeSession
    },
    /** Any operation, typed when given a TypedDocumentString, with the same refresh as the methods above. */
    request,
    /** A current access token (refreshed first when it is about to expire), for another GraphQL client's auth link. */
    accessToken: () => apiKey ? Promise.resolve(apiKey) : session.accessToken(),
    /** Refreshes now, unless another call or tab already replaced `rejectedAccessToken`; answers the new access token. */
    refresh: session.refresh,
    /** Whether there is a session to go on with (stored tokens, or the refresh cookie), refreshing if needed. */
    resume: session.resume,
    /** Adopts tokens from a mutation the client does not wrap (googleSignIn, verifyMfa). */
    setSession: (payload) => session.start(payload)
  };
}
export {
  AuthClientError,
  createAuthClient,
  defaultCoordinator,
  graphql_exports as documents,
  inProcessCoordinator,
  memoryStorage,
  tabCoordinator,
  webStorage
};
