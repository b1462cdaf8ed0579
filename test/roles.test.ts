import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../src/accounts/roles.js';
import { codes, refusals } from '../src/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { codeOf, registeredSession } from './helpers/flows.js';
import { adminSession, createKey, keyHeader, verifiedSession, whoamiWithKeyQuery } from './helpers/apikeys.js';

// Roles: USER, ADMIN and OWNER (NovaVMS: "an admin or owner mints the key"). An owner does all an
// admin does; only an owner gives or takes ADMIN and OWNER; the operator's CLI makes the first owner.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const setUserRoleMutation = `mutation($username: String!, $role: Role!) { setUserRole(username: $username, role: $role) { username role } }`;
const serviceAccountNamesQuery = `{ serviceAccounts { name } }`;
const createServiceAccountMutation = `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { name role } }`;

/** A signed-in OWNER, made the way the operator makes the first one (`npm run admin -- owner`). */
async function ownerSession() {
  const session = await verifiedSession(app);
  await setUserRole(app.runtime, session.identity.username, 'OWNER');
  return session;
}

let serviceAccountCounter = 0;
const serviceAccountInput = (role: 'USER' | 'ADMIN') => {
  serviceAccountCounter += 1;
  return { name: `roles-bridge-${serviceAccountCounter}`, role, scopes: role === 'ADMIN' ? ['admin'] : ['account:read'] };
};

describe('the operator’s CLI', () => {
  it('`npm run admin -- owner <username>` makes the first owner; `revoke` refuses to demote the last one', async () => {
    const { identity, auth } = await registeredSession(app);
    const env = { ...process.env, DATA_DIR: app.dataDir, DATABASE_URL: app.config.databaseUrl, LOG_LEVEL: 'warn' };
    const admin = (...args: string[]) => promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', ...args], { env });
    expect((await admin('owner', identity.username)).stdout).toContain(`${identity.username} is now OWNER`);
    expect((await app.gql(`{ account { role } whoami { user { role } } }`, {}, auth)).data).toEqual({
      account: { role: 'OWNER' },
      whoami: { user: { role: 'OWNER' } },
    });
    // Other owners made by other tests of this file may exist: this test's user is made the only one.
    await app.runtime.db.user.updateMany({ where: { role: 'OWNER', username: { not: identity.username } }, data: { role: 'USER' } });
    const refused = await admin('revoke', identity.username).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining(refusals.lastOwner.message) });
    expect((await app.gql(`{ account { role } }`, {}, auth)).data.account.role).toBe('OWNER');
  });
});

describe('an owner does what an admin does', () => {
  it('reads and creates service accounts, ends a user’s sessions, and holds the admin scope on a LIVE key', async () => {
    const owner = await ownerSession();
    expect((await app.gql(serviceAccountNamesQuery, {}, owner.auth)).errors).toBeUndefined();
    expect((await app.gql(createServiceAccountMutation, { input: serviceAccountInput('USER') }, owner.auth)).errors).toBeUndefined();
    const target = await registeredSession(app);
    const ended = await app.gql(`mutation($userId: ID!) { revokeUserSessions(userId: $userId) }`, { userId: target.user.id }, owner.auth);
    expect(ended.data.revokeUserSessions).toBe(1);
    const key = await createKey(app, owner.auth, { scopes: ['account:read', 'admin'] });
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).data.whoami.credential.scopes).toEqual(['account:read', 'admin']);
    expect((await app.gql(serviceAccountNamesQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
  });
});

describe('only an owner gives or takes ADMIN and OWNER', () => {
  it('an owner makes a user ADMIN, then USER again; the demoted admin’s cached key loses the admin scope at once', async () => {
    const owner = await ownerSession();
    const user = await verifiedSession(app);
    const granted = await app.gql(setUserRoleMutation, { username: user.identity.username, role: 'ADMIN' }, owner.auth);
    expect(granted.data.setUserRole).toEqual({ username: user.identity.username, role: 'ADMIN' });
    const key = await createKey(app, user.auth);
    expect((await app.gql(serviceAccountNamesQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    await app.gql(setUserRoleMutation, { username: user.identity.username, role: 'USER' }, owner.auth);
    expect(codeOf(await app.gql(serviceAccountNamesQuery, {}, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(serviceAccountNamesQuery, {}, user.auth))).toBe(codes.FORBIDDEN);
  });

  it('an ADMIN, a USER, an owner’s key and nobody are refused setUserRole', async () => {
    const owner = await ownerSession();
    const admin = await adminSession(app);
    const user = await registeredSession(app);
    const ownerKey = await createKey(app, owner.auth, { scopes: ['admin'] });
    const promote = { username: user.identity.username, role: 'ADMIN' };
    expect(codeOf(await app.gql(setUserRoleMutation, promote, admin.auth))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(setUserRoleMutation, { username: admin.identity.username, role: 'USER' }, admin.auth))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(setUserRoleMutation, { username: user.identity.username, role: 'OWNER' }, user.auth))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(setUserRoleMutation, promote, keyHeader(ownerKey.rawKey)))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(setUserRoleMutation, promote))).toBe(codes.UNAUTHENTICATED);
    expect((await app.gql(`{ account { role } }`, {}, user.auth)).data.account.role).toBe('USER');
  });

  it('an owner makes another owner; the last owner cannot be demoted, by the API or by the CLI’s function', async () => {
    const first = await ownerSession();
    const second = await verifiedSession(app);
    await app.runtime.db.user.updateMany({ where: { role: 'OWNER', id: { not: first.user.id } }, data: { role: 'USER' } });
    const lastOwner = await app.gql(setUserRoleMutation, { username: first.identity.username, role: 'ADMIN' }, first.auth);
    expect(codeOf(lastOwner)).toBe(codes.CONFLICT);
    expect(lastOwner.errors?.[0]?.message).toBe(refusals.lastOwner.message);
    await expect(setUserRole(app.runtime, first.identity.username, 'USER')).rejects.toMatchObject(refusals.lastOwner);

    expect((await app.gql(setUserRoleMutation, { username: second.identity.username, role: 'OWNER' }, first.auth)).errors).toBeUndefined();
    const stepDown = await app.gql(setUserRoleMutation, { username: first.identity.username, role: 'ADMIN' }, second.auth);
    expect(stepDown.data.setUserRole.role).toBe('ADMIN');
    expect(codeOf(await app.gql(setUserRoleMutation, { username: second.identity.username, role: 'USER' }, first.auth))).toBe(codes.FORBIDDEN);
  });

  it('an unknown username is NOT_FOUND', async () => {
    const owner = await ownerSession();
    expect(codeOf(await app.gql(setUserRoleMutation, { username: 'nobody-at-all', role: 'ADMIN' }, owner.auth))).toBe(codes.NOT_FOUND);
  });

  it('a service account gets the ADMIN role from an owner only, and never OWNER', async () => {
    const owner = await ownerSession();
    const admin = await adminSession(app);
    const byAdmin = await app.gql(createServiceAccountMutation, { input: serviceAccountInput('ADMIN') }, admin.auth);
    expect(codeOf(byAdmin)).toBe(codes.FORBIDDEN);
    expect(byAdmin.errors?.[0]?.message).toBe(refusals.ownerGivesAdmin.message);
    expect((await app.gql(createServiceAccountMutation, { input: serviceAccountInput('USER') }, admin.auth)).errors).toBeUndefined();
    const byOwner = await app.gql(createServiceAccountMutation, { input: serviceAccountInput('ADMIN') }, owner.auth);
    expect(byOwner.data.createServiceAccount.role).toBe('ADMIN');
    const asOwner = await app.gql(createServiceAccountMutation, { input: { ...serviceAccountInput('USER'), role: 'OWNER' } }, owner.auth);
    expect(codeOf(asOwner)).toBe(codes.BAD_USER_INPUT);
  });
});
