import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../src/accounts/roles.js';
import { codes, refusals } from '../src/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { codeOf, registeredSession, whoamiQuery } from './helpers/flows.js';
import { adminSession, bearer, createKey, keyHeader, whoamiWithKeyQuery } from './helpers/apikeys.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const createServiceAccountMutation = `mutation CreateServiceAccount($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { id name description role scopes plan }
}`;
const createServiceAccountKeyMutation = `mutation CreateServiceAccountKey($id: ID!, $input: CreateApiKeyInput!) {
  createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey apiKey { id prefix environment expiresAt owner { __typename ... on ServiceAccount { name } } } }
}`;
const serviceAccountsQuery = `{ serviceAccounts { id name role apiKeys { id } } }`;
const serviceAccountNamesQuery = `{ serviceAccounts { name } }`;
const revokeUserSessionsMutation = `mutation($userId: ID!) { revokeUserSessions(userId: $userId) }`;

let accountCounter = 0;
const newServiceAccount = (overrides: Record<string, unknown> = {}) => {
  accountCounter += 1;
  return { name: `ci-bridge-${accountCounter}`, description: 'ticketing bridge', scopes: ['account:read', 'tokens:read'], ...overrides };
};

async function serviceAccountWithKey(admin: { auth: Record<string, string> }, overrides: Record<string, unknown> = {}) {
  const created = await app.gql(createServiceAccountMutation, { input: newServiceAccount(overrides) }, admin.auth);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const account = created.data.createServiceAccount;
  const key = await app.gql(createServiceAccountKeyMutation, { id: account.id, input: { name: 'bridge' } }, admin.auth);
  if (key.errors) throw new Error(JSON.stringify(key.errors));
  return { account, key: key.data.createServiceAccountKey };
}

describe('the admin command', () => {
  it('`npm run admin -- grant <username>` makes a user an ADMIN, through the same runtime code', async () => {
    const { identity, auth } = await registeredSession(app);
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', 'grant', identity.username.toUpperCase()], {
      env: { ...process.env, DATA_DIR: app.dataDir, DATABASE_URL: app.config.databaseUrl, LOG_LEVEL: 'warn' },
    });
    expect(stdout).toContain(`${identity.username} is now ADMIN`);
    expect((await app.gql(`{ account { role } }`, {}, auth)).data.account.role).toBe('ADMIN');
    expect((await app.gql(serviceAccountsQuery, {}, auth)).errors).toBeUndefined();
  });
});

describe('service accounts', () => {
  it('only admins create them: a USER gets FORBIDDEN, anonymous UNAUTHENTICATED', async () => {
    const user = await registeredSession(app);
    expect(codeOf(await app.gql(createServiceAccountMutation, { input: newServiceAccount() }, user.auth))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(createServiceAccountMutation, { input: newServiceAccount() }))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(serviceAccountsQuery, {}, user.auth))).toBe(codes.FORBIDDEN);
  });

  it('an admin creates one and its key; whoami with that key names the service account', async () => {
    const admin = await adminSession(app);
    const { account, key } = await serviceAccountWithKey(admin);
    expect(account).toMatchObject({ role: 'USER', scopes: ['account:read', 'tokens:read'], plan: 'FREE' });
    expect(key.rawKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(key.apiKey).toMatchObject({ environment: 'LIVE', expiresAt: null, owner: { __typename: 'ServiceAccount', name: account.name } });
    const who = await app.gql(whoamiWithKeyQuery, {}, bearer(key.rawKey));
    expect(who.errors).toBeUndefined();
    expect(who.data.whoami).toMatchObject({
      user: null,
      serviceAccount: { id: account.id, name: account.name, role: 'USER' },
      credential: { kind: 'API_KEY', id: key.apiKey.id, environment: 'LIVE' },
    });
    const listed = await app.gql(serviceAccountsQuery, {}, admin.auth);
    expect(listed.data.serviceAccounts).toContainEqual({ id: account.id, name: account.name, role: 'USER', apiKeys: [{ id: key.apiKey.id }] });
  });

  it('a service account has no user account, and its key never exceeds its scopes', async () => {
    const admin = await adminSession(app);
    const { key } = await serviceAccountWithKey(admin, { scopes: ['tokens:read'] });
    expect(codeOf(await app.gql(`{ account { username } }`, {}, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
    const log = await app.gql(`query($id: ID!) { tokenLog(tokenId: $id) { nodes { action } } }`, { id: key.apiKey.id }, keyHeader(key.rawKey));
    expect(log.errors).toBeUndefined();
  });

  it('refuses the admin scope for a USER-role account, and duplicate names', async () => {
    const admin = await adminSession(app);
    const beyond = await app.gql(createServiceAccountMutation, { input: newServiceAccount({ scopes: ['admin'] }) }, admin.auth);
    expect(codeOf(beyond)).toBe(codes.BAD_USER_INPUT);
    const input = newServiceAccount();
    await app.gql(createServiceAccountMutation, { input }, admin.auth);
    expect(codeOf(await app.gql(createServiceAccountMutation, { input }, admin.auth))).toBe(codes.CONFLICT);
  });

  it('an admin rolls its key with a grace period: the old secret works until previousSecretExpiresAt, then is refused', async () => {
    const admin = await adminSession(app);
    const { key } = await serviceAccountWithKey(admin);
    const rolled = await app.gql(
      `mutation($id: ID!) { rollApiKey(id: $id, gracePeriodSeconds: 3600) { rawKey apiKey { id previousSecretExpiresAt } } }`,
      { id: key.apiKey.id },
      admin.auth,
    );
    expect(rolled.errors).toBeUndefined();
    const { rawKey, apiKey } = rolled.data.rollApiKey;
    expect(rawKey).toMatch(/^sk_live_/);
    expect(apiKey).toEqual({ id: key.apiKey.id, previousSecretExpiresAt: new Date(app.clock().getTime() + 3600_000).toISOString() });
    const works = async (secret: string) => !(await app.gql(`{ whoami { credential { id } } }`, {}, keyHeader(secret))).errors;
    expect(await works(rawKey)).toBe(true);
    app.clock.advance(3599_000);
    expect(await works(key.rawKey)).toBe(true);
    app.clock.advance(1_000);
    expect(await works(key.rawKey)).toBe(false);
    expect(await works(rawKey)).toBe(true);
  });

  it('a key for an unknown service account is NOT_FOUND', async () => {
    const admin = await adminSession(app);
    const result = await app.gql(createServiceAccountKeyMutation, { id: crypto.randomUUID(), input: { name: 'x' } }, admin.auth);
    expect(codeOf(result)).toBe(codes.NOT_FOUND);
  });

  it('an ADMIN service account’s LIVE key may read admin data but not manage: that needs a session', async () => {
    // Only an owner gives the ADMIN role (test/roles.test.ts), to a person or a service account.
    const owner = await adminSession(app);
    await setUserRole(app.runtime, owner.identity.username, 'OWNER');
    const { key } = await serviceAccountWithKey(owner, { role: 'ADMIN', scopes: ['admin'] });
    expect((await app.gql(serviceAccountNamesQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    expect(codeOf(await app.gql(createServiceAccountMutation, { input: newServiceAccount() }, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
  });
});

describe('admin operations and keys', () => {
  it('an admin’s LIVE key may read admin data; a TEST key is told NOT_FOUND (production-only, as NovaVMS documents)', async () => {
    const admin = await adminSession(app);
    const live = await createKey(app, admin.auth, { environment: 'LIVE' });
    const test = await createKey(app, admin.auth, { environment: 'TEST' });
    expect((await app.gql(serviceAccountNamesQuery, {}, keyHeader(live.rawKey))).errors).toBeUndefined();
    const refused = await app.gql(serviceAccountNamesQuery, {}, keyHeader(test.rawKey));
    expect(codeOf(refused)).toBe(codes.NOT_FOUND);
    expect(refused.errors?.[0]?.message).toBe(refusals.testKeyProductionOnly.message);
    const other = await registeredSession(app);
    const audit = `query($userId: ID) { auditLog(userId: $userId) { nodes { action } } }`;
    expect((await app.gql(audit, { userId: other.user.id }, keyHeader(live.rawKey))).errors).toBeUndefined();
    expect(codeOf(await app.gql(audit, { userId: other.user.id }, keyHeader(test.rawKey)))).toBe(codes.NOT_FOUND);
    // A TEST key's own resources are not production-only: its owner's own log answers as before.
    expect((await app.gql(`{ auditLog { nodes { action } } }`, {}, keyHeader(test.rawKey))).errors).toBeUndefined();
  });

  it('revokeUserSessions: an admin ends every session of an account; a USER gets FORBIDDEN', async () => {
    const admin = await adminSession(app);
    const target = await registeredSession(app);
    expect(codeOf(await app.gql(revokeUserSessionsMutation, { userId: target.user.id }, target.auth))).toBe(codes.FORBIDDEN);
    const ended = await app.gql(revokeUserSessionsMutation, { userId: target.user.id }, admin.auth);
    expect(ended.data.revokeUserSessions).toBe(1);
    expect(codeOf(await app.gql(whoamiQuery, {}, target.auth))).toBe(codes.UNAUTHENTICATED);
    const adminKey = await createKey(app, admin.auth);
    expect(codeOf(await app.gql(revokeUserSessionsMutation, { userId: target.user.id }, keyHeader(adminKey.rawKey)))).toBe(codes.FORBIDDEN);
  });

  it("demoting an admin takes the admin scope from their keys at once, although verified keys are cached", async () => {
    const admin = await adminSession(app);
    const adminKey = await createKey(app, admin.auth);
    expect((await app.gql(serviceAccountNamesQuery, {}, keyHeader(adminKey.rawKey))).errors).toBeUndefined();
    await setUserRole(app.runtime, admin.identity.username, 'USER');
    expect(codeOf(await app.gql(serviceAccountNamesQuery, {}, keyHeader(adminKey.rawKey)))).toBe(codes.FORBIDDEN);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(adminKey.rawKey))).data.whoami.credential.scopes).toEqual(['account:read', 'tokens:read', 'tokens:write']);
  });
});
