import type { Scenario } from './authgraph-scenarios.js';
import { answerWithUser, inParallel, newIdentity, userAgent } from './http.js';
import type { BenchRequest } from './load.js';

const json = { 'content-type': 'application/json', 'user-agent': userAgent, origin: 'http://127.0.0.1' };

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url + path, { method: 'POST', headers: { ...json, origin: url, ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return { body: (await response.json()) as any, headers: response.headers };
}

/**
 * The peer's closest flows: get-session with a bearer token (whoami), get-session with
 * `x-api-key` (the plugin's enableSessionForAPIKeys), sign-in and sign-up with e-mail.
 * Better Auth has no refresh-token rotation (a session is extended by get-session) and no
 * per-token activity log, so refresh and tokenLog have no counterpart.
 */
export async function betterAuthScenarios(url: string, run: string) {
  const users = await inParallel(20, 2, async () => {
    const identity = newIdentity(`ba${run}`);
    await post(url, '/api/auth/sign-up/email', { email: identity.email, password: identity.password, name: identity.username });
    return identity;
  });
  const signIn = await post(url, '/api/auth/sign-in/email', { email: users[0]!.email, password: users[0]!.password });
  const token = signIn.headers.get('set-auth-token');
  if (!token) throw new Error('Better Auth sign-in gave no set-auth-token header (bearer plugin)');
  const bearer = { authorization: `Bearer ${token}` };
  const created = await post(url, '/api/auth/api-key/create', { name: 'bench' }, bearer);
  const key = created.body.key as string;

  const getSession = (headers: Record<string, string>): BenchRequest => ({
    kind: 'whoami',
    method: 'GET',
    path: '/api/auth/get-session',
    headers: { 'user-agent': userAgent, ...headers },
    // get-session answers 200 `null` without a session: only a user counts.
    expect: answerWithUser,
  });
  const signInRequest: BenchRequest = {
    kind: 'login',
    method: 'POST',
    path: '/api/auth/sign-in/email',
    headers: { ...json, origin: url },
    expect: answerWithUser,
    prepare: (request) => {
      const identity = users[Math.floor(Math.random() * users.length)]!;
      request.body = JSON.stringify({ email: identity.email, password: identity.password });
    },
  };
  const scenarios: Scenario[] = [
    { name: 'whoami-jwt', requests: [getSession(bearer)] },
    { name: 'whoami-apikey', requests: [getSession({ 'x-api-key': key })] },
    { name: 'rest-whoami', requests: [getSession(bearer)] },
    { name: 'login', requests: [signInRequest] },
    {
      name: 'register',
      requests: [
        {
          kind: 'register',
          method: 'POST',
          path: '/api/auth/sign-up/email',
          headers: { ...json, origin: url },
          expect: answerWithUser,
          prepare: (request) => {
            const identity = newIdentity(`ba${run}`);
            request.body = JSON.stringify({ email: identity.email, password: identity.password, name: identity.username });
          },
        },
      ],
    },
    {
      name: 'mix',
      // No refresh in Better Auth: its slot is one more get-session (which is what extends a session there).
      requests: [...Array.from({ length: 19 }, () => getSession(bearer)), signInRequest],
    },
  ];
  return scenarios;
}
