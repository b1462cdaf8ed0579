import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { codeOf, loginMutation, refreshMutation, registeredSession, registerUser, signIn, whoamiQuery } from './helpers/flows.js';
import { codes, refusals } from '../src/errors.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const refreshWith = (refreshToken: string, userAgent = 'vitest') =>
  app.gql(refreshMutation, { refreshToken }, { 'user-agent': userAgent });

describe('login', () => {
  it('signs in by username or e-mail and returns a bearer pair', async () => {
    const { identity, user } = await registerUser(app);
    for (const login of [identity.username, identity.email.toUpperCase()]) {
      const result = await app.gql(loginMutation, { input: { username: login, password: identity.password } });
      expect(result.errors).toBeUndefined();
      expect(result.data.login).toMatchObject({ tokenType: 'bearer', expiresIn: 3600, user: { id: user.id } });
      expect(result.data.login.refreshToken).toMatch(/^rt_[\w-]{43}$/);
      expect(result.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('an unknown user and a wrong password get the same answer', async () => {
    const { identity } = await registerUser(app);
    const wrongPassword = await app.gql(loginMutation, { input: { username: identity.username, password: 'not the password' } });
    const unknownUser = await app.gql(loginMutation, { input: { username: 'nobody_here', password: 'not the password' } });
    expect(codeOf(wrongPassword)).toBe(codes.UNAUTHENTICATED);
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(unknownUser.status).toBe(wrongPassword.status);
  });

  it('the access token is an EdDSA JWT that verifies offline against the published JWKS', async () => {
    const { tokens, user } = await registeredSession(app);
    const jwks = await (await app.request('/.well-known/jwks.json')).json();
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, createLocalJWKSet(jwks), {
      issuer: app.config.jwt.issuer,
      audience: app.config.jwt.audience,
      algorithms: ['EdDSA'],
      currentDate: app.clock(),
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ sub: user.id });
    expect(payload.sid).toEqual(expect.any(String));
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('rememberMe stretches the refresh lifetime from 7 to 30 days', async () => {
    const { identity } = await registerUser(app);
    const now = app.clock().getTime();
    const short = await signIn(app, identity);
    const long = await signIn(app, identity, { rememberMe: true });
    expect(Date.parse(short.refreshExpiresAt) - now).toBe(7 * 86400_000);
    expect(Date.parse(long.refreshExpiresAt) - now).toBe(30 * 86400_000);
  });

  it('a BROWSER login sets the refresh token as an HttpOnly cookie and leaves it out of the body', async () => {
    const { identity } = await registerUser(app);
    const tokens = await signIn(app, identity, { clientType: 'BROWSER' });
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.setCookie).toMatch(/^authgraph_refresh=rt_[\w-]{43}; Path=\/graphql; Max-Age=604800; HttpOnly; SameSite=Strict$/);
  });
});

describe('refresh', () => {
  it('rotates: the new pair works and the old refresh token is spent', async () => {
    const { tokens } = await registeredSession(app);
    const first = await refreshWith(tokens.refreshToken);
    expect(first.errors).toBeUndefined();
    expect(first.data.refresh.refreshToken).not.toBe(tokens.refreshToken);
    const whoami = await app.gql(whoamiQuery, {}, { authorization: `Bearer ${first.data.refresh.accessToken}` });
    expect(whoami.errors).toBeUndefined();
    const second = await refreshWith(first.data.refresh.refreshToken);
    expect(second.errors).toBeUndefined();
  });

  it('accepts the refresh token as Authorization: Bearer', async () => {
    const { tokens } = await registeredSession(app);
    const result = await app.gql(refreshMutation, {}, { authorization: `Bearer ${tokens.refreshToken}`, 'user-agent': 'vitest' });
    expect(result.errors).toBeUndefined();
    expect(result.data.refresh.refreshToken).toMatch(/^rt_/);
  });

  it('within the grace window the just-rotated token gets the same successor pair', async () => {
    const { tokens } = await registeredSession(app);
    const first = await refreshWith(tokens.refreshToken);
    app.clock.advance(5_000);
    const again = await refreshWith(tokens.refreshToken);
    expect(again.errors).toBeUndefined();
    expect(again.data.refresh).toEqual(first.data.refresh);
  });

  it('reuse after the grace window revokes the whole session, newest token included, and logs it', async () => {
    const { tokens } = await registeredSession(app);
    const first = await refreshWith(tokens.refreshToken);
    app.clock.advance(11_000);
    const reuse = await refreshWith(tokens.refreshToken);
    expect(codeOf(reuse)).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await refreshWith(first.data.refresh.refreshToken))).toBe(codes.UNAUTHENTICATED);
    const access = await app.gql(whoamiQuery, {}, { authorization: `Bearer ${first.data.refresh.accessToken}` });
    expect(codeOf(access)).toBe(codes.UNAUTHENTICATED);
    expect(app.logLines.filter((line) => line.includes('"event":"refresh-token-reuse"'))).toHaveLength(1);
  });

  it('an older ancestor revokes the session even inside the grace window', async () => {
    const { tokens } = await registeredSession(app);
    const first = await refreshWith(tokens.refreshToken);
    const second = await refreshWith(first.data.refresh.refreshToken);
    expect(second.errors).toBeUndefined();
    expect(codeOf(await refreshWith(tokens.refreshToken))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await refreshWith(second.data.refresh.refreshToken))).toBe(codes.UNAUTHENTICATED);
  });

  it('a different User-Agent gets SESSION_MISMATCH and ends the session', async () => {
    const { tokens } = await registeredSession(app, { userAgent: 'client-a' });
    const mismatch = await refreshWith(tokens.refreshToken, 'client-b');
    expect(codeOf(mismatch)).toBe(codes.SESSION_MISMATCH);
    expect(codeOf(await refreshWith(tokens.refreshToken, 'client-a'))).toBe(codes.UNAUTHENTICATED);
  });

  it('refreshes from the cookie and answers with a new cookie', async () => {
    const { identity } = await registerUser(app);
    const login = await signIn(app, identity, { clientType: 'BROWSER' });
    const cookie = login.setCookie!.split(';')[0]!;
    const result = await app.gql(refreshMutation, {}, { cookie, 'user-agent': 'vitest' });
    expect(result.errors).toBeUndefined();
    expect(result.data.refresh.refreshToken).toBeNull();
    const next = result.headers.get('set-cookie')!;
    expect(next).toMatch(/^authgraph_refresh=rt_[\w-]{43}; Path=\/graphql;/);
    expect(next.split(';')[0]).not.toBe(cookie);
  });

  it('expires with the refresh lifetime', async () => {
    const { tokens } = await registeredSession(app);
    app.clock.advance(7 * 86400_000 + 1000);
    expect(codeOf(await refreshWith(tokens.refreshToken))).toBe(codes.UNAUTHENTICATED);
    app.clock.advance(-(7 * 86400_000 + 1000));
  });

  it('refuses garbage, access tokens, and a missing token without a 500', async () => {
    const { tokens } = await registeredSession(app);
    expect(codeOf(await refreshWith('rt_' + 'x'.repeat(43)))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await refreshWith(tokens.accessToken))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(refreshMutation, {}))).toBe(codes.UNAUTHENTICATED);
  });

  it.each([
    ['on', '10'],
    ['off', '0'],
  ])('concurrent refreshes with one token create exactly one successor (grace %s)', async (_label, grace) => {
    const raceApp = await createTestApp({ env: { REFRESH_REUSE_GRACE: grace } });
    try {
      const { tokens } = await registeredSession(raceApp);
      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          raceApp.gql(refreshMutation, { refreshToken: tokens.refreshToken }, { 'user-agent': 'vitest' }),
        ),
      );
      const successes = results.filter((result) => !result.errors);
      const generations = await raceApp.runtime.db.refreshToken.count({ where: { generation: 1 } });
      expect(generations).toBe(1);
      if (grace === '0') {
        expect(successes).toHaveLength(1);
      } else {
        expect(successes).toHaveLength(12);
        expect(new Set(successes.map((result) => result.data.refresh.refreshToken)).size).toBe(1);
        expect(new Set(successes.map((result) => result.data.refresh.accessToken)).size).toBe(1);
      }
    } finally {
      await raceApp.close();
    }
  });
});

describe('logout and credentials', () => {
  it('logout ends the session: the access token and refresh token stop working', async () => {
    const { tokens, auth } = await registeredSession(app);
    const result = await app.gql('mutation { logout }', {}, auth);
    expect(result.data).toEqual({ logout: true });
    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await refreshWith(tokens.refreshToken))).toBe(codes.UNAUTHENTICATED);
  });

  it('a revocation is announced to the other instances only when it ended something', async () => {
    const { identity, auth } = await registeredSession(app);
    const other = await signIn(app, identity, { userAgent: 'curl/8.5' });
    const { sessions } = (await app.gql('{ sessions { id current } }', {}, auth)).data;
    const otherId = sessions.find((session: { current: boolean }) => !session.current).id;
    const { revocations } = app.runtime;
    const announce = revocations.sessionRevoked;
    const announced: string[] = [];
    revocations.sessionRevoked = (sessionId, untilMs) => {
      announced.push(sessionId);
      announce.call(revocations, sessionId, untilMs);
    };
    try {
      const revokeSession = 'mutation($id: ID!) { revokeSession(id: $id) { id revokedAt } }';
      expect((await app.gql(revokeSession, { id: otherId }, auth)).data.revokeSession.revokedAt).toBeTruthy();
      expect((await app.gql(revokeSession, { id: otherId }, auth)).data.revokeSession.revokedAt).toBeTruthy();
      expect((await app.gql('mutation { revokeOtherSessions }', {}, auth)).data.revokeOtherSessions).toBe(0);
      expect(announced).toEqual([otherId]);
      expect(codeOf(await app.gql(whoamiQuery, {}, { authorization: `Bearer ${other.accessToken}` }))).toBe(codes.UNAUTHENTICATED);
    } finally {
      revocations.sessionRevoked = announce;
    }
  });

  it('logout needs a session', async () => {
    expect(codeOf(await app.gql('mutation { logout }'))).toBe(codes.UNAUTHENTICATED);
  });

  it('an expired access token is refused', async () => {
    const { auth } = await registeredSession(app);
    app.clock.advance(3601_000);
    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
    app.clock.advance(-3601_000);
  });

  it('a refresh token presented as an access token is refused', async () => {
    const { tokens } = await registeredSession(app);
    expect(codeOf(await app.gql(whoamiQuery, {}, { authorization: `Bearer ${tokens.refreshToken}` }))).toBe(codes.UNAUTHENTICATED);
  });

  it('two different credentials in one request are refused', async () => {
    const { auth } = await registeredSession(app);
    const result = await app.gql(whoamiQuery, {}, { ...auth, 'x-api-key': 'sk_live_something' });
    expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
    expect(result.errors?.[0]?.message).toBe(refusals.twoCredentials.message);
  });

  it.each([
    ['a malformed header', 'Token abc'],
    ['a tampered token', null],
    ['a random string', 'Bearer not-a-token'],
  ])('%s is UNAUTHENTICATED, never a 500', async (_name, header) => {
    const { tokens } = await registeredSession(app);
    const [head, body, signature] = tokens.accessToken.split('.');
    const tampered = `${head}.${body}x.${signature}`;
    const result = await app.gql(whoamiQuery, {}, { authorization: header ?? `Bearer ${tampered}` });
    expect(result.status).toBeLessThan(500);
    expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
  });

  it('a failed login leaves no session behind', async () => {
    const identity = newIdentity();
    await registerUser(app, identity);
    const before = await app.runtime.db.session.count();
    await app.gql(loginMutation, { input: { username: identity.username, password: 'wrong password!' } });
    expect(await app.runtime.db.session.count()).toBe(before);
  });
});
