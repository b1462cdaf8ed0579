import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { codeOf, registeredSession, registerMutation, registerUser, whoamiQuery } from './helpers/flows.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const accountQuery = `{ account { username email emailVerified hasPassword googleLinked canUnlinkGoogle availableSignInMethods role plan createdAt } }`;

describe('register', () => {
  it('creates a user and returns its profile', async () => {
    const identity = { ...newIdentity(), fullName: 'Ada Lovelace' };
    const result = await app.gql(registerMutation, { input: identity });
    expect(result.errors).toBeUndefined();
    expect(result.data.register).toMatchObject({ username: identity.username, email: identity.email, fullName: 'Ada Lovelace' });
    expect(result.data.register.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores only an argon2id hash of the password', async () => {
    const { identity, user } = await registerUser(app);
    const stored = await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored.passwordHash).not.toContain(identity.password);
  });

  it('lower-cases usernames and e-mails, and refuses case-insensitive duplicates with CONFLICT', async () => {
    const identity = newIdentity();
    await registerUser(app, identity);
    const sameName = await app.gql(registerMutation, {
      input: { ...newIdentity(), username: identity.username.toUpperCase() },
    });
    expect(codeOf(sameName)).toBe(codes.CONFLICT);
    expect(sameName.errors?.[0]?.extensions?.fields).toEqual([{ field: 'username', message: 'is already registered' }]);
    const sameEmail = await app.gql(registerMutation, { input: { ...newIdentity(), email: identity.email.toUpperCase() } });
    expect(codeOf(sameEmail)).toBe(codes.CONFLICT);
    expect(sameEmail.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('email');
  });

  it.each([
    ['a too-short username', { username: 'ab' }, 'username'],
    ['a username with spaces', { username: 'ada lovelace' }, 'username'],
    ['a 33-character username', { username: 'a'.repeat(33) }, 'username'],
    ['a short password', { password: 'short1' }, 'password'],
    ['a 129-character password', { password: 'x'.repeat(129) }, 'password'],
    ['a common password', { password: 'password123' }, 'password'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and stores nothing', async (_name, override, field) => {
    const input = { ...newIdentity(), ...override };
    const before = await app.runtime.db.user.count();
    const result = await app.gql(registerMutation, { input });
    expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
    expect(result.errors?.[0]?.extensions?.fields?.map((problem: { field: string }) => problem.field)).toContain(field);
    expect(await app.runtime.db.user.count()).toBe(before);
  });

  it('refuses a password equal to the username or e-mail', async () => {
    const identity = newIdentity();
    for (const password of [identity.username, identity.email]) {
      const result = await app.gql(registerMutation, { input: { ...identity, password } });
      expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
    }
  });

  it('refuses an invalid e-mail address with BAD_USER_INPUT and does not echo the password', async () => {
    const identity = { ...newIdentity(), email: 'not-an-email' };
    const result = await app.gql(registerMutation, { input: identity });
    expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
    expect(result.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('input.email');
    expect(JSON.stringify(result.body)).not.toContain(identity.password);
  });

  it('accepts 64-character and Unicode passwords byte-exactly', async () => {
    for (const password of ['p'.repeat(40) + 'ässwörd-🔑-' + 'q'.repeat(13), 'パスワードはとても長いです']) {
      const { identity } = await registerUser(app, { ...newIdentity(), password });
      const ok = await app.gql(`mutation($i: LoginInput!) { login(input: $i) { tokenType } }`, {
        i: { username: identity.username, password },
      });
      expect(ok.errors).toBeUndefined();
      const normalized = await app.gql(`mutation($i: LoginInput!) { login(input: $i) { tokenType } }`, {
        i: { username: identity.username, password: password.normalize('NFD') + ' ' },
      });
      expect(codeOf(normalized)).toBe(codes.UNAUTHENTICATED);
    }
  });
});

describe('account and whoami', () => {
  it('account reports the signed-in account honestly', async () => {
    const { identity, auth } = await registeredSession(app);
    const result = await app.gql(accountQuery, {}, auth);
    expect(result.errors).toBeUndefined();
    expect(result.data.account).toMatchObject({
      username: identity.username,
      email: identity.email,
      emailVerified: false,
      hasPassword: true,
      googleLinked: false,
      canUnlinkGoogle: false,
      availableSignInMethods: ['PASSWORD', 'EMAIL_CODE'],
      role: 'USER',
      plan: 'FREE',
    });
  });

  it('whoami names the user and the session credential', async () => {
    const { user, auth } = await registeredSession(app, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' });
    const result = await app.gql(whoamiQuery, {}, auth);
    expect(result.data.whoami.user).toEqual({ id: user.id, username: user.username });
    expect(result.data.whoami.credential).toMatchObject({ kind: 'SESSION', name: expect.stringMatching(/^firefox-132-on-linux-[a-z0-9]{8}$/) });
  });

  it('anonymous callers get UNAUTHENTICATED', async () => {
    for (const query of [whoamiQuery, accountQuery]) {
      const result = await app.gql(query);
      expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
      expect(result.errors?.[0]?.message).toBe(errorCodes.UNAUTHENTICATED.message);
    }
  });

  it('a token of a disabled user is refused', async () => {
    const { user, auth } = await registeredSession(app);
    await app.runtime.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
  });
});
