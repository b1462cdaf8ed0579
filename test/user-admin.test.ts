import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../src/accounts/roles.js';
import { codes, refusals } from '../src/errors.js';
import { runMaintenance } from '../src/maintenance/job.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { adminSession, createKey, keyHeader, verifiedSession } from './helpers/apikeys.js';
import { signIn } from './helpers/flows.js';
import { confirmedTotp } from './helpers/mfa.js';
import { transportNames, transports } from './helpers/transports.js';
import { wire } from './helpers/wire.js';

// Administration (issue 24): users and one user, plan, disable (with an end) and enable,
// delete, sessions; service accounts updated, disabled, enabled, deleted. Admins and
// owners, with a session; each change is in the audit log with the acting admin.
const connections = transports();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  await connections.open(app);
});
afterAll(async () => {
  connections.close();
  await app.close();
});

async function lastEvent(filter: { userId?: string; serviceAccountId?: string }, action: string) {
  await app.runtime.tokenEvents.flush();
  return app.runtime.db.tokenEvent.findFirst({ where: { ...filter, action }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
}

const userFields = 'id username role plan planSource emailVerified disabledAt disabledUntil';

describe.each(transportNames)('administration %s', (transport) => {
  const { gql, rest } = wire(connections.send(transport));

  it('users: a prefix search, role and flag filters, keyset pages newest first; a user, a key and nobody are refused', async () => {
    const admin = await adminSession(app);
    const prefix = `pg${Date.now().toString(36)}${transport === 'listening' ? 'l' : 'p'}`;
    const made = [];
    for (let index = 0; index < 3; index += 1) {
      app.clock.advance(1000);
      made.push(await verifiedSession(app, {}).then(async (session) => {
        const username = `${prefix}${index}`;
        await app.runtime.db.user.update({ where: { id: session.user.id }, data: { username } });
        return { ...session, username };
      }));
    }
    const query = `query($filter: UserFilter, $after: String) { users(filter: $filter, first: 2, after: $after) { nodes { username } pageInfo { hasNextPage endCursor } } }`;
    const first = await gql(query, { filter: { query: prefix.toUpperCase() } }, admin.auth);
    expect(first.data.users.nodes.map((user: { username: string }) => user.username)).toEqual([`${prefix}2`, `${prefix}1`]);
    const second = await gql(query, { filter: { query: prefix }, after: first.data.users.pageInfo.endCursor }, admin.auth);
    expect(second.data.users).toEqual({ nodes: [{ username: `${prefix}0` }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
    const admins = await gql(`{ users(filter: { role: ADMIN, verified: true, disabled: false }, first: 100) { nodes { role } } }`, {}, admin.auth);
    expect(admins.data.users.nodes.every((user: { role: string }) => user.role === 'ADMIN')).toBe(true);
    expect((await gql('{ users { nodes { id } } }', {}, made[0]!.auth)).code).toBe(codes.FORBIDDEN);
    const adminKey = await createKey(app, admin.auth, { scopes: ['admin'] });
    expect((await gql('{ users { nodes { id } } }', {}, keyHeader(adminKey.rawKey))).code).toBe(codes.FORBIDDEN);
    expect((await gql('{ users { nodes { id } } }')).code).toBe(codes.UNAUTHENTICATED);
  });

  it('user(id | username) shows its sessions, keys and recent audit entries; userSessions lists the sessions', async () => {
    const admin = await adminSession(app);
    const target = await verifiedSession(app);
    const key = await createKey(app, target.auth, { name: 'shown' });
    await app.runtime.tokenEvents.flush();
    const shown = await gql(
      `query($username: String) { user(username: $username) { id sessions { id } apiKeys { name } auditEvents(first: 10) { nodes { action actorType } } } }`,
      { username: target.identity.username },
      admin.auth,
    );
    expect(shown.data.user.id).toBe(target.user.id);
    expect(shown.data.user.sessions).toHaveLength(1);
    expect(shown.data.user.apiKeys).toEqual([{ name: key.apiKey.name }]);
    expect(shown.data.user.auditEvents.nodes.map((event: { action: string }) => event.action)).toEqual(expect.arrayContaining(['register', 'login', 'create']));
    const sessions = await gql('query($id: ID!) { userSessions(userId: $id) { id current } }', { id: target.user.id }, admin.auth);
    expect(sessions.data.userSessions).toEqual([{ id: shown.data.user.sessions[0].id, current: false }]);
    expect((await gql('query($id: ID!) { user(id: $id) { id } }', { id: '00000000-0000-0000-0000-000000000000' }, admin.auth)).code).toBe(codes.NOT_FOUND);
    expect((await gql(`{ whoami { user { sessions { id } } } }`, {}, target.auth)).code).toBe(codes.FORBIDDEN);
  });

  it('setUserPlan: the plan and its source follow (RESTume reads plan_source admin); the admin is the actor', async () => {
    const admin = await adminSession(app);
    const target = await verifiedSession(app);
    const set = await gql(`mutation($id: ID!) { setUserPlan(userId: $id, plan: PRO) { ${userFields} } }`, { id: target.user.id }, admin.auth);
    expect(set.data.setUserPlan).toMatchObject({ plan: 'PRO', planSource: 'admin' });
    expect((await rest('GET', '/v1/me/account', undefined, target.auth)).body).toMatchObject({ plan: 'PRO', plan_source: 'admin' });
    expect(await lastEvent({ userId: target.user.id }, 'plan-changed')).toMatchObject({ actorType: 'user', actorId: admin.user.id, detail: 'FREE -> PRO', userAgent: 'lifecycle-test' });
  });

  it('disableUser(until) ends the sessions and refuses keys; the maintenance job enables it when until passes; enableUser at once', async () => {
    const admin = await adminSession(app);
    const target = await verifiedSession(app);
    const key = await createKey(app, target.auth, { scopes: ['account:read'] });
    const until = new Date(app.clock().getTime() + 3_600_000).toISOString();
    const disabled = await gql(`mutation($id: ID!, $until: DateTime) { disableUser(userId: $id, until: $until) { disabledAt disabledUntil } }`, { id: target.user.id, until }, admin.auth);
    expect(disabled.data.disableUser.disabledUntil).toBe(until);
    expect((await gql('{ account { username } }', {}, target.auth)).code).toBe(codes.UNAUTHENTICATED);
    expect((await rest('GET', '/v1/me/account', undefined, keyHeader(key.rawKey))).status).toBe(401);
    expect(await lastEvent({ userId: target.user.id }, 'disabled')).toMatchObject({ actorType: 'user', actorId: admin.user.id });
    expect(await lastEvent({ userId: target.user.id }, 'revoke')).toMatchObject({ operation: 'disabled', actorId: admin.user.id });
    app.clock.advance(3_600_000);
    await runMaintenance(app.runtime);
    expect((await rest('GET', '/v1/me/account', undefined, keyHeader(key.rawKey))).status).toBe(200);
    expect(await lastEvent({ userId: target.user.id }, 'enabled')).toMatchObject({ actorType: 'system', actorId: null });

    // Later than the job's entry, so that the last one is the admin's.
    app.clock.advance(1);
    const again = await adminSession(app);
    await gql(`mutation($id: ID!) { disableUser(userId: $id) { id } }`, { id: target.user.id }, again.auth);
    const enabled = await gql(`mutation($id: ID!) { enableUser(userId: $id) { disabledAt } }`, { id: target.user.id }, again.auth);
    expect(enabled.data.enableUser.disabledAt).toBeNull();
    expect(await lastEvent({ userId: target.user.id }, 'enabled')).toMatchObject({ actorType: 'user', actorId: again.user.id });
    expect((await gql(`mutation($id: ID!) { disableUser(userId: $id) { id } }`, { id: again.user.id }, again.auth)).errors?.[0]?.message).toBe(refusals.adminCannotActOnSelf.message);
  });

  it('deleteUser removes the account and its credentials; revokeUserSessions logs the admin', async () => {
    const admin = await adminSession(app);
    const target = await verifiedSession(app);
    const ended = await gql('mutation($id: ID!) { revokeUserSessions(userId: $id) }', { id: target.user.id }, admin.auth);
    expect(ended.data.revokeUserSessions).toBe(1);
    expect(await lastEvent({ userId: target.user.id }, 'revoke')).toMatchObject({ actorType: 'user', actorId: admin.user.id, operation: 'revoked' });
    expect((await gql('mutation($id: ID!) { deleteUser(userId: $id) }', { id: target.user.id }, admin.auth)).data.deleteUser).toBe(true);
    expect(await app.runtime.db.user.findUnique({ where: { id: target.user.id } })).toBeNull();
    expect(await lastEvent({ userId: target.user.id }, 'deleted')).toMatchObject({ actorType: 'user', actorId: admin.user.id });
    expect((await gql('mutation($id: ID!) { deleteUser(userId: $id) }', { id: target.user.id }, admin.auth)).code).toBe(codes.NOT_FOUND);
  });

  it('setUserRole is logged with the owner who gave the role', async () => {
    const owner = await verifiedSession(app);
    await setUserRole(app.runtime, owner.identity.username, 'OWNER');
    const target = await verifiedSession(app);
    await gql('mutation($u: String!) { setUserRole(username: $u, role: ADMIN) { role } }', { u: target.identity.username }, owner.auth);
    expect(await lastEvent({ userId: target.user.id }, 'role-changed')).toMatchObject({ actorType: 'user', actorId: owner.user.id, detail: 'USER -> ADMIN' });
    expect(await lastEvent({ userId: owner.user.id }, 'role-changed')).toMatchObject({ actorType: 'shell', actorId: null });
  });

  it('service accounts: updated (name, scopes), disabled, enabled, deleted; their keys follow at once', async () => {
    const admin = await adminSession(app);
    const name = `svc-${transport === 'listening' ? 'l' : 'p'}-${Date.now()}`;
    const created = await gql('mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }', { input: { name, scopes: ['account:read', 'tokens:read'] } }, admin.auth);
    const id = created.data.createServiceAccount.id;
    const key = await gql('mutation($id: ID!) { createServiceAccountKey(serviceAccountId: $id, input: { name: "ci" }) { rawKey } }', { id }, admin.auth);
    const raw = key.data.createServiceAccountKey.rawKey;
    expect((await gql('{ whoami { credential { scopes } } }', {}, keyHeader(raw))).data.whoami.credential.scopes).toEqual(['account:read', 'tokens:read']);
    const updated = await gql('mutation($id: ID!) { updateServiceAccount(id: $id, input: { name: "renamed-svc", scopes: ["account:read"] }) { name scopes apiKeys { name } } }', { id }, admin.auth);
    expect(updated.data.updateServiceAccount).toEqual({ name: 'renamed-svc', scopes: ['account:read'], apiKeys: [{ name: 'ci' }] });
    expect((await gql('{ whoami { credential { scopes } } }', {}, keyHeader(raw))).data.whoami.credential.scopes).toEqual(['account:read']);
    await gql('mutation($id: ID!) { disableServiceAccount(id: $id) { disabledAt } }', { id }, admin.auth);
    expect((await gql('{ whoami { credential { id } } }', {}, keyHeader(raw))).code).toBe(codes.UNAUTHENTICATED);
    await gql('mutation($id: ID!) { enableServiceAccount(id: $id) { disabledAt } }', { id }, admin.auth);
    expect((await gql('{ whoami { credential { id } } }', {}, keyHeader(raw))).errors).toBeUndefined();
    expect((await gql('mutation($id: ID!) { deleteServiceAccount(id: $id) }', { id }, admin.auth)).data.deleteServiceAccount).toBe(true);
    expect((await gql('{ whoami { credential { id } } }', {}, keyHeader(raw))).code).toBe(codes.UNAUTHENTICATED);
    await app.runtime.tokenEvents.flush();
    const events = await app.runtime.db.tokenEvent.findMany({ where: { serviceAccountId: id, action: { startsWith: 'service-account' } } });
    expect(events.map((event) => event.action).sort()).toEqual(['service-account-created', 'service-account-deleted', 'service-account-disabled', 'service-account-enabled', 'service-account-updated']);
    expect(events.every((event) => event.actorId === admin.user.id && event.actorType === 'user')).toBe(true);
  });
});

describe('administrators with a second factor', () => {
  it('need it within the step-up window for the new admin operations', async () => {
    const admin = await adminSession(app);
    await confirmedTotp(app, admin.auth);
    app.clock.advance((app.config.mfa.stepUpWindow + 1) * 1000);
    const fresh = await signIn(app, admin.identity).catch(() => null);
    expect(fresh).toBeNull();
    const refused = await app.gql('{ users { nodes { id } } }', {}, admin.auth);
    expect(refused.errors?.[0]?.extensions?.code).toBe(codes.MFA_REQUIRED);
  });
});
