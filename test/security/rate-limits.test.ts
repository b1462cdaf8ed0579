import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codeOf, loginFrom, loginMutation, refreshMutation, registerMutation, registerUser } from '../helpers/flows.js';
import { codes } from '../../src/errors.js';

// Issue 8, attacks 4 and 5, and the limits on registration and refresh.
const apps: TestApp[] = [];
async function appWith(env: Record<string, string>) {
  const app = await createTestApp({ env });
  apps.push(app);
  return app;
}
afterAll(() => Promise.all(apps.map((app) => app.close())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('online brute force', () => {
  it('throttles per account and address with growing delays; other addresses are not locked out', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_FREE_FAILURES: '2' });
    const { identity } = await registerUser(app);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(codeOf(await loginFrom(app, '198.51.100.1', identity.username, 'wrong password!'))).toBe(codes.UNAUTHENTICATED);
    }
    const throttled = await loginFrom(app, '198.51.100.1', identity.username, identity.password);
    expect(codeOf(throttled)).toBe(codes.RATE_LIMITED);
    expect(throttled.errors?.[0]?.extensions?.retryAfter).toBe(1);
    expect((await loginFrom(app, '198.51.100.2', identity.username, identity.password)).errors).toBeUndefined();

    await sleep(1100);
    expect(codeOf(await loginFrom(app, '198.51.100.1', identity.username, 'wrong password!'))).toBe(codes.UNAUTHENTICATED);
    const longer = await loginFrom(app, '198.51.100.1', identity.username, identity.password);
    expect(longer.errors?.[0]?.extensions?.retryAfter).toBe(2);
  });

  it('allows at most the per-account cap of failures in a window, then the right password works again', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '5', RATE_LIMIT_LOGIN_WINDOW: '2' });
    const { identity } = await registerUser(app);
    const sessionsBefore = await app.runtime.db.session.count();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => loginFrom(app, `203.0.113.${index + 1}`, identity.username, 'wrong password!')),
    );
    const failures = results.filter((result) => codeOf(result) === codes.UNAUTHENTICATED);
    expect(failures).toHaveLength(5);
    expect(results.filter((result) => codeOf(result) === codes.RATE_LIMITED)).toHaveLength(3);
    expect(codeOf(await loginFrom(app, '203.0.113.99', identity.username, identity.password))).toBe(codes.RATE_LIMITED);
    expect(await app.runtime.db.session.count()).toBe(sessionsBefore);

    await sleep(2100);
    expect((await loginFrom(app, '203.0.113.99', identity.username, identity.password)).errors).toBeUndefined();
  });

  it('counts every aliased login in one document as an attempt: no free guesses', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_FREE_FAILURES: '2', GRAPHQL_MAX_ALIASES: '30' });
    const { identity, user } = await registerUser(app);
    const document = `mutation { ${Array.from(
      { length: 6 },
      (_, index) => `l${index}: login(input: { username: "${identity.username}", password: "guess number ${index}" }) { accessToken }`,
    ).join(' ')} }`;
    const result = await app.gql(document);
    const guessesAnswered = result.errors?.filter((error) => error.extensions?.code === codes.UNAUTHENTICATED).length ?? 0;
    const counted = await app.runtime.limits.loginFailuresByAccountAndIp.get(`user:${user.id}|unknown`);
    expect(guessesAnswered).toBeGreaterThan(0);
    expect(counted?.consumedPoints).toBe(guessesAnswered);
    expect(result.data ?? null).toBeNull();
    expect(await app.runtime.db.session.count()).toBe(0);
  });
});

describe('other limits', () => {
  it('registration per address: RATE_LIMITED in GraphQL, 429 with Retry-After in REST, nothing stored', async () => {
    const app = await appWith({ RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '2' });
    await registerUser(app);
    await registerUser(app);
    const refused = await app.gql(registerMutation, { input: newIdentity() });
    expect(codeOf(refused)).toBe(codes.RATE_LIMITED);
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    const rest = await app.request('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newIdentity()),
    });
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await app.runtime.db.user.count()).toBe(2);
  });

  it('refresh per session', async () => {
    const app = await appWith({ RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: '2' });
    const { identity } = await registerUser(app);
    let token = (await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } })).data.login.refreshToken;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await app.gql(refreshMutation, { refreshToken: token });
      expect(result.errors).toBeUndefined();
      token = result.data.refresh.refreshToken;
    }
    expect(codeOf(await app.gql(refreshMutation, { refreshToken: token }))).toBe(codes.RATE_LIMITED);
  });
});
