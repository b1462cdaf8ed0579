import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordHashOptions } from '../../src/crypto/password.js';
import { codes, errorCodes, refusals } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codeOf, loginMutation, registeredSession, registerMutation, registerUser } from '../helpers/flows.js';
import { basic, call } from '../helpers/rest.js';
import { argon2CallsDuring, rowCounts } from '../helpers/security.js';

// Issue 8, attacks 1, 2 and 3: the password policy runs before any hashing, hashes are
// strong and salted, and an unknown user is indistinguishable from a wrong password.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const refused: [string, string][] = [
  ['a 7-character password', 'abc def'],
  ['a common password from the bundled list', 'iloveyou2'],
  ['a 129-character password', 'long phrase '.repeat(11).slice(0, 129)],
  ['a 129-emoji password (258 UTF-16 units)', '🔑'.repeat(129)],
  ['a 20,000-character password', 'x'.repeat(20_000)],
];

describe('refused passwords cost no hashing and store nothing', () => {
  it.each(refused)('register refuses %s over GraphQL and both REST routes', async (_name, password) => {
    const before = await rowCounts(app);
    const calls = await argon2CallsDuring(async () => {
      const graphql = await app.gql(registerMutation, { input: { ...newIdentity(), password } });
      expect(codeOf(graphql)).toBe(codes.BAD_USER_INPUT);
      expect(graphql.errors?.[0]?.extensions?.fields?.map((problem: { field: string }) => problem.field)).toEqual(['password']);
      for (const path of ['/v1/auth/register', '/v1/register']) {
        const rest = await call(app, 'POST', path, { body: { ...newIdentity(), password } });
        expect(rest.status, path).toBe(422);
        expect(rest.body.detail[0].loc, path).toEqual(['body', 'password']);
      }
    });
    expect(calls).toEqual({ hash: 0, verify: 0 });
    expect(await rowCounts(app)).toEqual(before);
  });

  it('changePassword refuses a weak new password before verifying the current one or hashing', async () => {
    const { identity, auth } = await registeredSession(app);
    const calls = await argon2CallsDuring(async () => {
      for (const [, password] of refused) {
        const result = await app.gql(
          'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
          { c: identity.password, n: password },
          auth,
        );
        expect(result.errors?.[0]?.extensions?.fields).toEqual([{ field: 'newPassword', message: expect.any(String) }]);
      }
    });
    expect(calls).toEqual({ hash: 0, verify: 0 });
  });

  it('a login with an absurdly long password is refused without running argon2 at all', async () => {
    const { identity } = await registerUser(app);
    const calls = await argon2CallsDuring(async () => {
      const graphql = await app.gql(loginMutation, { input: { username: identity.username, password: 'y'.repeat(30_000) } });
      expect(codeOf(graphql)).toBe(codes.BAD_USER_INPUT);
      const rest = await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: 'y'.repeat(30_000) } });
      expect(rest.status).toBe(422);
    });
    expect(calls).toEqual({ hash: 0, verify: 0 });
  });
});

describe('accepted passwords work byte-exactly on every sign-in route', () => {
  // test/accounts.test.ts covers GraphQL; these are the REST doors and the length edges.
  const accepted: [string, string][] = [
    ['exactly 64 ASCII characters', 'a1 '.repeat(21) + 'z'],
    ['exactly 128 astral characters (the limit counts code points)', '🔐'.repeat(64) + 'ßü'.repeat(32)],
    ['mixed scripts with a colon, as HTTP Basic splits on the first one', 'пароль:密码:كلمة سر:ok'],
  ];

  it.each(accepted)('%s', async (_name, password) => {
    const { identity } = await registerUser(app, { ...newIdentity(), password });
    expect((await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password } })).status).toBe(200);
    expect((await call(app, 'POST', '/api/auth/login', { body: { email: identity.email, password } })).status).toBe(200);
    expect((await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, password) })).status).toBe(200);
    const nearMisses = [password.slice(0, -1), ` ${password}`, password.normalize('NFD')].filter((near) => near !== password);
    for (const near of nearMisses) {
      expect((await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: near } })).status).toBe(401);
    }
  });

  it('a decomposed (NFD) password is a different password from its composed form', async () => {
    const composed = 'crème brûlée à la carte';
    const { identity } = await registerUser(app, { ...newIdentity(), password: composed });
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect((await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: decomposed } })).status).toBe(401);
    expect((await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: composed } })).status).toBe(200);
  });
});

describe('stored hashes', () => {
  const parse = (hash: string) => {
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    if (!match) throw new Error(`not an argon2id hash: ${hash.slice(0, 12)}`);
    return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]), salt: match[4]!, digest: match[5]! };
  };

  it('are argon2id with at least OWASP’s parameters and a unique salt, even for one shared password', async () => {
    const password = `shared by everyone ${newIdentity().username}`;
    const users = await Promise.all(Array.from({ length: 6 }, () => registerUser(app, { ...newIdentity(), password })));
    const rows = await app.runtime.db.user.findMany({ where: { id: { in: users.map(({ user }) => user.id) } } });
    const hashes = rows.map((row) => parse(row.passwordHash!));
    for (const hash of hashes) {
      expect(hash.m).toBeGreaterThanOrEqual(19_456);
      expect(hash.t).toBeGreaterThanOrEqual(2);
      expect(hash.p).toBeGreaterThanOrEqual(1);
      expect(Buffer.from(hash.salt, 'base64').length).toBeGreaterThanOrEqual(16);
    }
    expect(new Set(hashes.map((hash) => hash.salt)).size).toBe(6);
    expect(new Set(hashes.map((hash) => hash.digest)).size).toBe(6);
    expect(passwordHashOptions).toMatchObject({ memoryCost: hashes[0]!.m, timeCost: hashes[0]!.t, parallelism: hashes[0]!.p });
  });

  it('a changed password is hashed the same way', async () => {
    const { identity, user, auth } = await registeredSession(app);
    const newPassword = `rotated phrase ${newIdentity().username}`;
    const before = (await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    const changed = await app.gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', { c: identity.password, n: newPassword }, auth);
    expect(changed.data).toEqual({ changePassword: true });
    const after = (await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(parse(after)).toMatchObject({ m: parse(before).m, t: parse(before).t, p: parse(before).p });
    expect(parse(after).salt).not.toBe(parse(before).salt);
  });
});

describe('an unknown user and a wrong password are indistinguishable', () => {
  async function answers(login: string, password: string) {
    const graphql = await app.gql(loginMutation, { input: { username: login, password } });
    const restume = await call(app, 'POST', '/v1/auth/login', { body: { username: login, password } });
    const novavms = await call(app, 'POST', '/api/auth/login', { body: { email: login, password } });
    const novem = await call(app, 'POST', '/v1/auth', { headers: basic(login, password) });
    const strip = (response: { status: number; body: unknown; headers: Headers }) => ({
      status: response.status,
      body: response.body,
      wwwAuthenticate: response.headers.get('www-authenticate'),
    });
    return { graphql: { status: graphql.status, body: graphql.body }, restume: strip(restume), novavms: strip(novavms), novem: strip(novem) };
  }

  it('over GraphQL and every REST login, by username and by e-mail, with the same argon2 work', async () => {
    const { identity } = await registerUser(app);
    // Another account for the e-mail round: the login throttle counts the account, and its username round spent some of it.
    const { identity: other } = await registerUser(app);
    const disabled = await registerUser(app);
    await app.runtime.db.user.update({ where: { id: disabled.user.id }, data: { disabledAt: new Date() } });
    for (const [known, unknown] of [
      [identity.username, 'nobody_by_that_name'],
      [other.email, 'nobody@example.com'],
    ] as const) {
      let wrong: Awaited<ReturnType<typeof answers>> | undefined;
      const wrongCalls = await argon2CallsDuring(async () => {
        wrong = await answers(known, 'not the password at all');
      });
      let missing: Awaited<ReturnType<typeof answers>> | undefined;
      const missingCalls = await argon2CallsDuring(async () => {
        missing = await answers(unknown, 'not the password at all');
      });
      const off = await answers(known === identity.username ? disabled.identity.username : disabled.identity.email, disabled.identity.password);
      expect(missing).toEqual(wrong);
      expect(off).toEqual(wrong);
      expect(missingCalls).toEqual(wrongCalls);
      expect(wrongCalls).toEqual({ hash: 0, verify: 4 });
      expect(wrong!.graphql.body).toMatchObject({ errors: [{ message: refusals.invalidLogin.message, extensions: { code: codes.UNAUTHENTICATED } }] });
      for (const rest of [wrong!.restume, wrong!.novavms, wrong!.novem]) {
        expect(rest).toMatchObject({ status: errorCodes.UNAUTHENTICATED.status, body: { detail: refusals.invalidLogin.message, code: codes.UNAUTHENTICATED } });
      }
    }
  });
});
