import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountDisabled } from '../../src/accounts/disable.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { verifiedSession, createKey, keyHeader } from '../helpers/apikeys.js';
import { codeOf, refreshMutation, registerUser, signIn, whoamiQuery, type Identity } from '../helpers/flows.js';
import { bearer, call } from '../helpers/rest.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';
import { codes } from '../../src/errors.js';

// Issue 8, attack 7, beyond test/sessions.test.ts and test/challenges.test.ts: the REST
// doors, the logged revocation, both lifetimes on the injected clock, and sessions ending
// on a password change or reset whichever door issued them.
const hour = 3600;
const mail = capturingTransport();
let app: TestApp;
let noGrace: TestApp;
beforeAll(async () => {
  app = await createTestApp({
    mailTransport: mail.transport,
    env: { REFRESH_TOKEN_TTL: String(hour), SESSION_MAX_AGE: String(5 * hour), RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: '1000' },
  });
  noGrace = await createTestApp({ env: { REFRESH_REUSE_GRACE: '0', RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: '1000' } });
});
afterAll(async () => {
  await app.close();
  await noGrace.close();
});

type Pair = { accessToken: string; refreshToken: string };

/** A NovaVMS-style API login: the refresh token comes back in the body. */
async function restLogin(target: TestApp, identity: Identity, userAgent = 'vitest'): Promise<Pair> {
  const result = await call(target, 'POST', '/api/auth/login', { body: { email: identity.email, password: identity.password }, headers: { 'user-agent': userAgent } });
  expect(result.status).toBe(200);
  return { accessToken: result.body.access_token, refreshToken: result.body.refresh_token };
}

const restRefresh = (target: TestApp, refreshToken: string, userAgent = 'vitest') =>
  call(target, 'POST', '/api/auth/refresh', { headers: { ...bearer(refreshToken), 'user-agent': userAgent } });

const sessionIdOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;

/** Each door's refresh: the new pair, or the error code. */
const doors = {
  graphql: async (target: TestApp, refreshToken: string) => {
    const result = await target.gql(refreshMutation, { refreshToken }, { 'user-agent': 'vitest' });
    return result.errors ? { code: codeOf(result) } : { pair: result.data.refresh as Pair };
  },
  rest: async (target: TestApp, refreshToken: string) => {
    const result = await restRefresh(target, refreshToken);
    return result.status === 200
      ? { pair: { accessToken: result.body.access_token, refreshToken: result.body.refresh_token } as Pair }
      : { code: result.body.code as string };
  },
};

async function reuseEvents(target: TestApp, identity: Identity, sessionId: string) {
  await target.runtime.tokenEvents.flush();
  const reader = await signIn(target, identity);
  const log = await target.gql(
    'query($id: ID!) { tokenLog(tokenId: $id, first: 100) { nodes { action outcome operation } } }',
    { id: sessionId },
    bearer(reader.accessToken),
  );
  expect(log.errors).toBeUndefined();
  return (log.data.tokenLog.nodes as { action: string }[]).filter((event) => event.action === 'reuse-detected');
}

describe('refresh-token reuse', () => {
  it.each(Object.entries(doors))('after the grace window, over %s, kills the newest pair too and logs one revocation', async (_door, refreshVia) => {
    const { identity } = await registerUser(app);
    const first = await restLogin(app, identity);
    const rotated = await refreshVia(app, first.refreshToken);
    const newest = (await refreshVia(app, rotated.pair!.refreshToken)).pair!;
    app.clock.advance(11_000);

    expect(await refreshVia(app, rotated.pair!.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
    expect(await refreshVia(app, newest.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
    expect(await refreshVia(app, first.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
    expect((await call(app, 'GET', '/v1/whoami', { headers: bearer(newest.accessToken) })).status).toBe(401);
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(newest.accessToken)))).toBe(codes.UNAUTHENTICATED);

    const events = await reuseEvents(app, identity, sessionIdOf(first.accessToken));
    expect(events).toEqual([{ action: 'reuse-detected', outcome: codes.UNAUTHENTICATED, operation: 'refresh-token-reuse' }]);
  });

  it.each([
    ['with the grace window, every racer gets the one successor', () => app, 12],
    ['without it, one racer wins', () => noGrace, 1],
  ] as const)('a concurrent race over REST: %s', async (_name, target, winners) => {
    const { identity } = await registerUser(target());
    const pair = await restLogin(target(), identity);
    const results = await Promise.all(Array.from({ length: 12 }, () => restRefresh(target(), pair.refreshToken)));
    const successes = results.filter((result) => result.status === 200);
    expect(successes).toHaveLength(winners);
    expect(results.filter((result) => result.status !== 200).every((result) => result.status === 401)).toBe(true);
    expect(new Set(successes.map((result) => result.body.refresh_token)).size).toBe(1);
    const sessionId = sessionIdOf(pair.accessToken);
    expect(await target().runtime.db.refreshToken.count({ where: { sessionId, generation: 1 } })).toBe(1);
  });
});

describe('User-Agent binding over REST', () => {
  it('a refresh from another User-Agent is SESSION_MISMATCH and ends the session for the rightful client too', async () => {
    const { identity } = await registerUser(app);
    const pair = await restLogin(app, identity, 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0');
    const stolen = await restRefresh(app, pair.refreshToken, 'curl/8.5.0');
    expect(stolen.status).toBe(401);
    expect(stolen.body.code).toBe(codes.SESSION_MISMATCH);
    expect(stolen.body).not.toHaveProperty('access_token');
    const rightful = await restRefresh(app, pair.refreshToken, 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0');
    expect(rightful.status).toBe(401);
    expect((await call(app, 'GET', '/v1/me/profile', { headers: bearer(pair.accessToken) })).status).toBe(401);
  });
});

describe('lifetimes on the injected clock', () => {
  it('idle: refreshing within REFRESH_TOKEN_TTL keeps a session alive past it; a longer pause ends it', async () => {
    const { identity } = await registerUser(app);
    let pair = await restLogin(app, identity);
    for (let step = 0; step < 3; step += 1) {
      app.clock.advance(hour * 1000 - 60_000);
      const next = await doors.rest(app, pair.refreshToken);
      expect(next.pair, `refresh ${step + 1}`).toBeDefined();
      pair = next.pair!;
    }
    app.clock.advance(hour * 1000 + 1000);
    expect(await doors.rest(app, pair.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
    expect(await doors.graphql(app, pair.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
  });

  it('absolute: SESSION_MAX_AGE ends a session however often it refreshes, and no refresh promises more', async () => {
    const { identity } = await registerUser(app);
    const startedAt = app.clock().getTime();
    let pair = await restLogin(app, identity);
    let refreshes = 0;
    for (;;) {
      app.clock.advance(50 * 60_000);
      const next = await restRefresh(app, pair.refreshToken);
      if (next.status !== 200) {
        expect(next.body.code).toBe(codes.UNAUTHENTICATED);
        break;
      }
      refreshes += 1;
      expect(Date.parse(next.body.refresh_expires_at)).toBeLessThanOrEqual(startedAt + 5 * hour * 1000);
      pair = { accessToken: next.body.access_token, refreshToken: next.body.refresh_token };
    }
    expect(refreshes).toBe(5);
    expect(app.clock().getTime() - startedAt).toBeGreaterThanOrEqual(5 * hour * 1000);
    expect(await doors.graphql(app, pair.refreshToken)).toEqual({ code: codes.UNAUTHENTICATED });
  });
});

describe('a new password ends the other sessions, whichever door issued them', () => {
  async function otherSessions(identity: Identity) {
    const restume = await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } });
    return { novavms: await restLogin(app, identity, 'other device'), restumeAccess: restume.body.access_token as string };
  }

  async function expectEnded(others: Awaited<ReturnType<typeof otherSessions>>) {
    for (const access of [others.novavms.accessToken, others.restumeAccess]) {
      expect((await call(app, 'GET', '/v1/me/profile', { headers: bearer(access) })).status).toBe(401);
      expect(codeOf(await app.gql(whoamiQuery, {}, bearer(access)))).toBe(codes.UNAUTHENTICATED);
    }
    expect((await restRefresh(app, others.novavms.refreshToken, 'other device')).status).toBe(401);
  }

  it('changePassword: REST-issued access and refresh tokens are refused at once; the caller and API keys stay', async () => {
    const { identity, auth } = await verifiedSession(app);
    const key = await createKey(app, auth);
    const others = await otherSessions(identity);
    const newPassword = `fresh phrase ${newIdentity().username}`;
    const changed = await app.gql(
      'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
      { c: identity.password, n: newPassword },
      auth,
    );
    expect(changed.data).toEqual({ changePassword: true });
    await expectEnded(others);
    expect((await app.gql(whoamiQuery, {}, auth)).errors).toBeUndefined();
    expect((await call(app, 'GET', '/v1/token', { headers: keyHeader(key.rawKey) })).status).toBe(200);
  });

  it('a reset through the REST routes ends every session, the resetting client’s included', async () => {
    const { identity } = await registerUser(app);
    const mine = await restLogin(app, identity);
    const others = await otherSessions(identity);
    app.clock.advance(61_000);
    expect((await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } })).status).toBe(202);
    await app.runtime.background.idle();
    const { uid } = challengeIn(mail.mailsTo(identity.email).at(-1));
    const answered = await call(app, 'POST', '/v1/admin/challenge', { body: { uid } });
    expect(answered.body.purpose).toBe('RESET_PASSWORD');
    const newPassword = `after the reset ${newIdentity().username}`;
    const reset = await call(app, 'POST', '/v1/auth/reset-password', { body: { token: answered.body.reset_token, new_password: newPassword } });
    expect(reset).toMatchObject({ status: 200, body: { password_reset: true } });
    await expectEnded(others);
    expect((await call(app, 'GET', '/v1/whoami', { headers: bearer(mine.accessToken) })).status).toBe(401);
    expect((await restRefresh(app, mine.refreshToken)).status).toBe(401);
    expect((await restLogin(app, { ...identity, password: newPassword })).accessToken).toEqual(expect.any(String));
  });
});

describe('a disabled account (npm run admin -- disable)', () => {
  it('its unexpired access token is refused by every REST route that reads a credential, /v1/token included', async () => {
    const { identity } = await registerUser(app);
    const pair = await restLogin(app, identity);
    await setAccountDisabled(app.runtime, identity.username, true);
    const routes = app.restRoutes.filter((route) => route.method === 'GET' && route.auth !== 'public' && route.auth !== 'password');
    const answers = [];
    for (const route of routes) {
      const path = route.path.replace(/\{[^}]+\}/g, sessionIdOf(pair.accessToken));
      answers.push(`${route.path} ${(await call(app, 'GET', path, { headers: bearer(pair.accessToken) })).status}`);
    }
    expect(answers.filter((answer) => !answer.endsWith(' 401'))).toEqual([]);
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(pair.accessToken)))).toBe(codes.UNAUTHENTICATED);
  });

  it('its API keys are refused on their next use, even from the verified-key cache; enabling restores them', async () => {
    const session = await verifiedSession(app);
    const { rawKey } = await createKey(app, session.auth);
    expect((await app.gql(whoamiQuery, {}, keyHeader(rawKey))).errors).toBeUndefined();
    await setAccountDisabled(app.runtime, session.identity.username, true);
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(rawKey)))).toBe(codes.UNAUTHENTICATED);
    expect((await call(app, 'GET', '/v1/me/profile', { headers: keyHeader(rawKey) })).status).toBe(401);
    await setAccountDisabled(app.runtime, session.identity.username, false);
    expect((await app.gql(whoamiQuery, {}, keyHeader(rawKey))).errors).toBeUndefined();
  });
});
