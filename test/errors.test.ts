import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { createApiKeyMutation, createKey, verifiedSession } from './helpers/apikeys.js';
import { loginMutation, registerMutation, registerUser } from './helpers/flows.js';
import { confirmedTotp } from './helpers/mfa.js';
import { basic, bearer } from './helpers/rest.js';

// Walks the error catalogue: every code a response can carry is provoked through REST
// (its status, and `{ detail, code }`) and through GraphQL (its `extensions.code`; the
// status too where the HTTP layer refuses before any resolver runs). A code added to
// src/errors.ts without a case here fails the type check.

type Provocation = () => Promise<Response>;
type Case = { rest: Provocation | null; graphql: Provocation | null };

let app: TestApp;
/** REQUEST_TIMEOUT is 1 s there: kept apart so that no other case can run into it on a busy machine. */
let slowApp: TestApp;

beforeAll(async () => {
  [app, slowApp] = await Promise.all([
    createTestApp({
      env: {
        // The second refresh of a session is over the limit.
        RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: '1',
        // Nothing listens there: the provider cannot be reached.
        OIDC_ISSUER: 'http://127.0.0.1:9',
        OIDC_CLIENT_ID: 'authgraph-test',
      },
    }),
    createTestApp({ env: { REQUEST_TIMEOUT: '1' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([app.close(), slowApp.close()]);
});

const post = (target: TestApp, path: string, body: string, headers: Record<string, string> = {}) =>
  target.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const graphql = (target: TestApp, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post(target, '/graphql', JSON.stringify({ query, variables }), headers);

const refreshMutation = 'mutation { refresh { accessToken refreshToken } }';
const googleMutation = 'mutation($credential: String!) { googleSignIn(credential: $credential) { accessToken } }';
const loginAs = (username: string) => ({ input: { username, password: 'long enough pass phrase' } });

/** Runs `provoke` while the service layer's user lookup fails or stalls as `fault` says. */
async function withUserLookup(target: TestApp, fault: 'throws' | 'stalls', provoke: Provocation): Promise<Response> {
  const { user } = target.runtime.db;
  const original = user.findFirst;
  let release = () => undefined as void;
  const stalled = new Promise<void>((resolve) => (release = resolve));
  user.findFirst = (async () => {
    if (fault === 'throws') throw Object.assign(new Error('SELECT "secret" FROM "User"'), { code: 'P1001' });
    await stalled;
    return null;
  }) as unknown as typeof original;
  try {
    return await provoke();
  } finally {
    user.findFirst = original;
    release();
  }
}

async function newRefreshToken(userAgent: string, through: 'graphql' | 'rest'): Promise<string> {
  const { identity } = await registerUser(app, newIdentity());
  if (through === 'rest') {
    const body = JSON.stringify({ email: identity.email, password: identity.password, client_type: 'api' });
    return ((await (await post(app, '/api/auth/login', body, { 'user-agent': userAgent })).json()) as { refresh_token: string }).refresh_token;
  }
  const login = await graphql(app, loginMutation, { input: { username: identity.username, password: identity.password } }, { 'user-agent': userAgent });
  return ((await login.json()) as { data: { login: { refreshToken: string } } }).data.login.refreshToken;
}

async function refreshTwice(through: 'graphql' | 'rest'): Promise<Response> {
  const refresh = async (token: string) =>
    through === 'rest' ? post(app, '/api/auth/refresh', '', { ...bearer(token), 'user-agent': 'errors' }) : graphql(app, refreshMutation, {}, { ...bearer(token), 'user-agent': 'errors' });
  const first = await refresh(await newRefreshToken('errors', through));
  const successor = through === 'rest' ? ((await first.json()) as { refresh_token: string }).refresh_token : ((await first.json()) as any).data.refresh.refreshToken;
  return refresh(successor);
}

async function withoutOidc(provoke: Provocation): Promise<Response> {
  const { oidc } = app.runtime;
  app.runtime.oidc = null;
  try {
    return await provoke();
  } finally {
    app.runtime.oidc = oidc;
  }
}

/** A session whose sign-in is older than REAUTH_WINDOW (the app's clock moves on; its access token is still valid). */
async function staleSession() {
  const session = await verifiedSession(app);
  app.clock.advance((app.config.reauthWindow + 1) * 1000);
  return session;
}

const tooLarge = JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(70 * 1024) });

const cases: Record<ErrorCode, Case> = {
  UNAUTHENTICATED: {
    rest: () => app.request('/v1/whoami'),
    graphql: () => graphql(app, '{ whoami { credential { id } } }'),
  },
  FORBIDDEN: {
    rest: async () => app.request('/v1/auth/api-keys', { headers: { 'x-api-key': (await createKey(app, (await verifiedSession(app)).auth)).rawKey } }),
    graphql: async () => graphql(app, '{ apiKeys { nodes { id } } }', {}, { 'x-api-key': (await createKey(app, (await verifiedSession(app)).auth)).rawKey }),
  },
  REAUTHENTICATION_REQUIRED: {
    rest: async () => post(app, '/v1/auth/api-keys', JSON.stringify({ name: 'late' }), (await staleSession()).auth),
    graphql: async () => graphql(app, createApiKeyMutation, { input: { name: 'late' } }, (await staleSession()).auth),
  },
  MFA_REQUIRED: {
    rest: async () => {
      const { identity, auth } = await verifiedSession(app);
      await confirmedTotp(app, auth);
      return app.request('/v1/auth', { method: 'POST', headers: basic(identity.username, identity.password) });
    },
    graphql: async () => {
      const { identity, auth } = await verifiedSession(app);
      await confirmedTotp(app, auth);
      return graphql(app, loginMutation, { input: { username: identity.username, password: identity.password } });
    },
  },
  BAD_USER_INPUT: {
    rest: () => post(app, '/v1/auth/register', JSON.stringify({ username: 'x', email: 'x@example.com', password: 'long enough pass phrase' })),
    graphql: () => graphql(app, registerMutation, { input: { username: 'x', email: 'x@example.com', password: 'long enough pass phrase' } }),
  },
  CONFLICT: {
    rest: async () => {
      const { identity } = await registerUser(app, newIdentity());
      return post(app, '/v1/auth/register', JSON.stringify(identity));
    },
    graphql: async () => {
      const { identity } = await registerUser(app, newIdentity());
      return graphql(app, registerMutation, { input: identity });
    },
  },
  NOT_FOUND: {
    rest: async () => app.request('/v1/auth/api-keys/no-such-key', { method: 'DELETE', headers: (await verifiedSession(app)).auth }),
    graphql: async () => graphql(app, 'mutation { revokeApiKey(id: "no-such-key") { id } }', {}, (await verifiedSession(app)).auth),
  },
  SESSION_MISMATCH: {
    rest: async () => post(app, '/api/auth/refresh', '', { ...bearer(await newRefreshToken('first client', 'rest')), 'user-agent': 'another client' }),
    graphql: async () => graphql(app, refreshMutation, {}, { ...bearer(await newRefreshToken('first client', 'graphql')), 'user-agent': 'another client' }),
  },
  RATE_LIMITED: { rest: () => refreshTwice('rest'), graphql: () => refreshTwice('graphql') },
  NOT_CONFIGURED: {
    rest: () => withoutOidc(() => post(app, '/v1/auth/google', JSON.stringify({ credential: 'a.b.c' }))),
    graphql: () => withoutOidc(() => graphql(app, googleMutation, { credential: 'a.b.c' })),
  },
  UPSTREAM_UNAVAILABLE: {
    rest: () => post(app, '/v1/auth/google', JSON.stringify({ credential: 'a.b.c' })),
    graphql: () => graphql(app, googleMutation, { credential: 'a.b.c' }),
  },
  INTERNAL: {
    rest: () => withUserLookup(app, 'throws', () => post(app, '/v1/auth/login', JSON.stringify({ username: 'someone', password: 'long enough pass phrase' }))),
    graphql: () => withUserLookup(app, 'throws', () => graphql(app, loginMutation, loginAs('someone'))),
  },
  BAD_REQUEST: {
    rest: () => post(app, '/v1/auth/login', '{"username": '),
    graphql: () => post(app, '/graphql', '{"query": '),
  },
  METHOD_NOT_ALLOWED: {
    rest: () => app.request('/v1/auth/login', { method: 'PUT' }),
    graphql: () => app.request(`/graphql?query=${encodeURIComponent('mutation { logout }')}`),
  },
  PAYLOAD_TOO_LARGE: {
    rest: () => post(app, '/v1/auth/login', tooLarge),
    graphql: () => post(app, '/graphql', tooLarge),
  },
  UNSUPPORTED_MEDIA_TYPE: {
    rest: () => post(app, '/v1/auth/login', 'username=a', { 'content-type': 'text/plain' }),
    graphql: () => post(app, '/graphql', '{ __typename }', { 'content-type': 'text/plain' }),
  },
  TIMEOUT: {
    rest: () => withUserLookup(slowApp, 'stalls', () => post(slowApp, '/v1/auth/login', JSON.stringify({ username: 'slowpoke', password: 'long enough pass phrase' }))),
    graphql: () => withUserLookup(slowApp, 'stalls', () => graphql(slowApp, loginMutation, loginAs('slowpoke'))),
  },
  GRAPHQL_PARSE_FAILED: { rest: null, graphql: () => graphql(app, '{ whoami ') },
  GRAPHQL_VALIDATION_FAILED: { rest: null, graphql: () => graphql(app, '{ noSuchField }') },
};

/** Refused by the HTTP layer before any resolver runs: the GraphQL answer carries the catalogue's status too. */
const refusedBeforeResolvers = new Set<ErrorCode>(['BAD_REQUEST', 'METHOD_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'TIMEOUT']);

describe('every code in the catalogue', () => {
  const codesOnRest = Object.entries(cases).filter(([, entry]) => entry.rest) as [ErrorCode, Case][];
  const codesOnGraphql = Object.entries(cases).filter(([, entry]) => entry.graphql) as [ErrorCode, Case][];

  it.each(codesOnRest)('REST answers %s with its status and { detail, code }', async (code, entry) => {
    const response = await entry.rest!();
    const body = (await response.json()) as { detail: unknown; code: string };
    expect({ status: response.status, code: body.code }).toEqual({ status: errorCodes[code].status, code });
    if (code === 'BAD_USER_INPUT') expect(body.detail).toEqual([expect.objectContaining({ loc: expect.any(Array), msg: expect.any(String) })]);
    else expect(body.detail).toEqual(expect.any(String));
    if (code === 'INTERNAL') expect(body.detail).toBe(errorCodes.INTERNAL.message);
    if (code === 'RATE_LIMITED') expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it.each(codesOnGraphql)('GraphQL answers %s as extensions.code', async (code, entry) => {
    const response = await entry.graphql!();
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    if (refusedBeforeResolvers.has(code)) expect(response.status).toBe(errorCodes[code].status);
    if (code === 'INTERNAL') expect(body.errors?.[0]?.message).toBe(errorCodes.INTERNAL.message);
  });

  it('no answer quotes what it was sent or what failed underneath', async () => {
    const rest = await (await cases.BAD_REQUEST.rest!()).text();
    const graphqlAnswer = await (await cases.BAD_REQUEST.graphql!()).text();
    const internal = await (await cases.INTERNAL.graphql!()).text();
    for (const answer of [rest, graphqlAnswer]) expect(answer).not.toContain('"query": ');
    for (const answer of [rest, graphqlAnswer, internal]) expect(answer).not.toMatch(/SELECT|JSON at position|secret/);
  });
});
