import { answerWithUser, graphql, inParallel, newIdentity, userAgent } from './http.js';
import type { BenchRequest } from './load.js';
import { verifierKey } from './verifier.js';

export type Scenario = {
  name: string;
  requests: BenchRequest[];
  /** Runs before every measured pass, outside the measurement (refills the refresh-token pool). */
  before?: () => Promise<void>;
};

const registerMutation = 'mutation R($input: RegisterInput!) { register(input: $input) { id } }';
const loginMutation = 'mutation L($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } } }';
const refreshMutation = 'mutation F($refreshToken: String) { refresh(refreshToken: $refreshToken) { accessToken refreshToken } }';
const whoamiQuery = '{ whoami { user { id username } credential { kind id name } } }';
const tokenLogQuery =
  'query T($id: ID!) { tokenLog(tokenId: $id, first: 20) { nodes { at action outcome } pageInfo { hasNextPage endCursor } } }';
const createKeyMutation = 'mutation K($input: CreateApiKeyInput!) { createApiKey(input: $input) { rawKey apiKey { id } } }';
const verifyKeyMutation = 'mutation V($key: String!) { verifyApiKey(key: $key, permissions: "account:read", operation: "GET /bench") { valid code } }';

const json = { 'content-type': 'application/json', 'user-agent': userAgent };
const gqlBody = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

type Login = { accessToken: string; refreshToken: string; user: { id: string } };

/** Registers users and prepares tokens and a key, then describes authgraph's scenarios against them. */
export async function authgraphScenarios(url: string, run: string, databaseUrl: string) {
  const users = await inParallel(20, 2, async () => {
    const identity = newIdentity(run);
    await graphql(url, registerMutation, { input: identity });
    return identity;
  });
  const login = (identity: (typeof users)[number]) =>
    graphql<{ login: Login }>(url, loginMutation, { input: { username: identity.username, password: identity.password } }).then(
      (data) => data.login,
    );
  const owner = await login(users[0]!);
  const ownerAuth = { authorization: `Bearer ${owner.accessToken}` };

  const refreshPool: string[] = [];
  const fillRefreshPool = async (size: number) => {
    const missing = Math.max(0, size - refreshPool.length);
    const sessions = await inParallel(missing, 2, (index) => login(users[index % users.length]!));
    refreshPool.push(...sessions.map((session) => session.refreshToken));
  };

  let apiKey: { raw: string; id: string } | null = null;
  let apiKeyProblem = '';
  try {
    const created = await graphql<{ createApiKey: { rawKey: string; apiKey: { id: string } } }>(
      url,
      createKeyMutation,
      { input: { name: 'bench' } },
      ownerAuth,
    );
    apiKey = { raw: created.createApiKey.rawKey, id: created.createApiKey.apiKey.id };
  } catch (error) {
    apiKeyProblem = (error as Error).message;
  }
  const verifier = await verifierKey(url, databaseUrl, users[0]!.username, ownerAuth).catch((error: Error) => {
    apiKeyProblem ||= error.message;
    return null;
  });

  const whoami = (headers: Record<string, string>): BenchRequest => ({
    kind: 'whoami',
    method: 'POST',
    path: '/graphql',
    headers: { ...json, ...headers },
    body: gqlBody(whoamiQuery),
    expect: answerWithUser,
  });
  const loginRequest: BenchRequest = {
    kind: 'login',
    method: 'POST',
    path: '/graphql',
    headers: json,
    expect: answerWithUser,
    prepare: (request) => {
      const identity = users[Math.floor(Math.random() * users.length)]!;
      request.body = gqlBody(loginMutation, { input: { username: identity.username, password: identity.password } });
    },
  };
  // Refresh chains live in a shared pool (autocannon resets a connection's context after each
  // pass over its requests): a send takes a token out, its answer puts the successor back.
  const refreshRequest: BenchRequest = {
    kind: 'refresh',
    method: 'POST',
    path: '/graphql',
    headers: json,
    expect: /"accessToken":"/,
    prepare: (request) => {
      request.body = gqlBody(refreshMutation, { refreshToken: refreshPool.pop() ?? 'rt_pool_exhausted' });
    },
    onAnswer: (_status, body) => {
      const token = /"refreshToken":"([^"]+)"/.exec(body)?.[1];
      if (token) refreshPool.push(token);
    },
  };
  const refillForPass = () => fillRefreshPool(60);

  const scenarios: (Scenario | { name: string; skipped: string })[] = [
    { name: 'whoami-jwt', requests: [whoami(ownerAuth)] },
    apiKey ? { name: 'whoami-apikey', requests: [whoami({ 'x-api-key': apiKey.raw })] } : { name: 'whoami-apikey', skipped: apiKeyProblem },
    apiKey && verifier
      ? {
          name: 'verify-apikey',
          // A product's backend checking its caller's key: GraphQL verifyApiKey with a service account's keys:verify key.
          requests: [
            {
              kind: 'verify',
              method: 'POST',
              path: '/graphql',
              headers: { ...json, 'x-api-key': verifier },
              body: gqlBody(verifyKeyMutation, { key: apiKey.raw }),
              expect: /"valid":true/,
            },
          ],
        }
      : { name: 'verify-apikey', skipped: apiKeyProblem },
    apiKey && verifier
      ? {
          name: 'verify-apikey-rest',
          // The same check as POST /v1/keys/verify.
          requests: [
            {
              kind: 'verify',
              method: 'POST',
              path: '/v1/keys/verify',
              headers: { ...json, 'x-api-key': verifier },
              body: JSON.stringify({ key: apiKey.raw, permissions: 'account:read', operation: 'GET /bench' }),
              expect: /"valid":true/,
            },
          ],
        }
      : { name: 'verify-apikey-rest', skipped: apiKeyProblem },
    {
      name: 'rest-whoami',
      // Without Accept: application/json the answer is the bare username, as novem's.
      requests: [{ kind: 'whoami', method: 'GET', path: '/v1/whoami', headers: { 'user-agent': userAgent, ...ownerAuth }, expect: new RegExp(`^${users[0]!.username}$`) }],
    },
    { name: 'login', requests: [loginRequest] },
    { name: 'refresh', requests: [refreshRequest], before: refillForPass },
    {
      name: 'register',
      requests: [
        {
          kind: 'register',
          method: 'POST',
          path: '/graphql',
          headers: json,
          expect: /"register":\{"id":"/,
          prepare: (request) => {
            request.body = gqlBody(registerMutation, { input: newIdentity(run) });
          },
        },
      ],
    },
    apiKey
      ? {
          name: 'tokenlog-page',
          requests: [{ kind: 'tokenLog', method: 'POST', path: '/graphql', headers: { ...json, ...ownerAuth }, body: gqlBody(tokenLogQuery, { id: apiKey.id }), expect: /"nodes":\[/ }],
        }
      : { name: 'tokenlog-page', skipped: apiKeyProblem },
    {
      name: 'mix',
      // 18 whoami, 1 refresh, 1 login per 20 requests of each connection.
      requests: [...Array.from({ length: 9 }, () => whoami(ownerAuth)), refreshRequest, ...Array.from({ length: 9 }, () => whoami(ownerAuth)), loginRequest],
      before: refillForPass,
    },
  ];
  return { scenarios, users };
}
