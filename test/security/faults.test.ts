import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createApiKeyMutation, verifiedSession } from '../helpers/apikeys.js';
import { codeOf, loginMutation, refreshMutation, registerUser, signIn, whoamiQuery, type Identity } from '../helpers/flows.js';
import { basic, bearer, call } from '../helpers/rest.js';
import { capturingTransport, challengeIn, rowCounts, withDatabaseFault } from '../helpers/security.js';

// Issue 8, attack 13: the database failing half-way through a credential operation is a
// masked INTERNAL error, issues nothing, and leaves nothing half-written.
const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport });
});
afterAll(() => app.close());

const internalRest = { status: errorCodes.INTERNAL.status, body: { detail: errorCodes.INTERNAL.message, code: codes.INTERNAL } };

/** The masked GraphQL answer: INTERNAL, no data, nothing of the fault. */
function expectMaskedGraphql(result: Awaited<ReturnType<TestApp['gql']>>) {
  expect(codeOf(result)).toBe(codes.INTERNAL);
  expect(result.errors?.[0]?.message).toBe(errorCodes.INTERNAL.message);
  expect(result.data ?? null).toBeNull();
  expect(JSON.stringify(result.body)).not.toMatch(/injected|10\.0\.0\.1|INSERT|at /);
}

function expectFaultNotLogged() {
  expect(app.logLines.join('')).not.toMatch(/injected|10\.0\.0\.1|INSERT INTO/);
  expect(app.logLines.join('')).toContain('InjectedFault');
}

describe('login', () => {
  it('a failure while the session is written issues no token on any door and stores no session', async () => {
    const { identity } = await registerUser(app);
    const before = await rowCounts(app);
    await withDatabaseFault(app, 'session', 'create', async () => {
      expectMaskedGraphql(await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } }));
      expect(await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } })).toMatchObject(internalRest);
      expect(await call(app, 'POST', '/api/auth/login', { body: { email: identity.email, password: identity.password } })).toMatchObject(internalRest);
      const novem = await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, identity.password) });
      expect(novem).toMatchObject(internalRest);
      expect(novem.headers.get('set-cookie')).toBeNull();
    });
    expect(await rowCounts(app)).toEqual(before);
    expectFaultNotLogged();
    await signIn(app, identity);
  });
});

describe('refresh', () => {
  it('a failure after the old token was claimed rolls the rotation back: no successor, the old token still works', async () => {
    const { identity } = await registerUser(app);
    const graphqlPair = await signIn(app, identity);
    const restPair = (await call(app, 'POST', '/api/auth/login', { body: { email: identity.email, password: identity.password } })).body;
    const before = await rowCounts(app);
    await withDatabaseFault(app, 'session', 'update', async () => {
      expectMaskedGraphql(await app.gql(refreshMutation, { refreshToken: graphqlPair.refreshToken }, { 'user-agent': 'vitest' }));
      expect(await call(app, 'POST', '/api/auth/refresh', { headers: bearer(restPair.refresh_token) })).toMatchObject(internalRest);
    });
    expect(await rowCounts(app)).toEqual(before);
    expect(await app.runtime.db.refreshToken.count({ where: { rotatedAt: { not: null }, session: { userId: graphqlPair.user.id } } })).toBe(0);
    expect((await app.gql(refreshMutation, { refreshToken: graphqlPair.refreshToken }, { 'user-agent': 'vitest' })).errors).toBeUndefined();
    expect((await call(app, 'POST', '/api/auth/refresh', { headers: bearer(restPair.refresh_token) })).status).toBe(200);
    expectFaultNotLogged();
  });
});

describe('API key creation', () => {
  it('a failure after the owner row was locked and written leaves neither a key nor the write', async () => {
    const { user, auth } = await verifiedSession(app);
    const updatedAt = (await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).updatedAt;
    const before = await rowCounts(app);
    app.clock.advance(1000);
    await withDatabaseFault(app, 'apiKey', 'create', async () => {
      const result = await app.gql(createApiKeyMutation, { input: { name: 'doomed' } }, auth);
      expectMaskedGraphql(result);
      expect(JSON.stringify(result.body)).not.toMatch(/sk_live_/);
    });
    expect(await rowCounts(app)).toEqual(before);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).updatedAt).toEqual(updatedAt);
    expect((await app.gql(createApiKeyMutation, { input: { name: 'works now' } }, auth)).data.createApiKey.rawKey).toMatch(/^sk_live_/);
  });
});

describe('password reset', () => {
  async function resetToken(identity: Identity) {
    app.clock.advance(61_000);
    await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } });
    await app.runtime.background.idle();
    const { uid } = challengeIn(mail.mailsTo(identity.email).at(-1));
    return (await call(app, 'POST', '/v1/admin/challenge', { body: { uid } })).body.reset_token as string;
  }

  it.each([
    ['GraphQL', (token: string, newPassword: string) => app.gql('mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }', { t: token, p: newPassword }).then(expectMaskedGraphql)],
    ['REST', async (token: string, newPassword: string) => {
      expect(await call(app, 'POST', '/v1/auth/reset-password', { body: { token, new_password: newPassword } })).toMatchObject(internalRest);
    }],
  ] as const)('over %s, a failure while sessions are ended keeps the old password, the sessions and the token', async (_door, reset) => {
    const { identity, user } = await registerUser(app);
    const session = await signIn(app, identity);
    const token = await resetToken(identity);
    const hashBefore = (await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    const newPassword = `never applied ${newIdentity().username}`;
    await withDatabaseFault(app, 'session', 'updateManyAndReturn', () => reset(token, newPassword));
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(hashBefore);
    expect((await app.gql(whoamiQuery, {}, bearer(session.accessToken))).errors).toBeUndefined();
    await signIn(app, identity);
    expect((await call(app, 'POST', '/v1/auth/reset-password', { body: { token, new_password: newPassword } })).status).toBe(200);
    await signIn(app, { ...identity, password: newPassword });
    expectFaultNotLogged();
  });
});
