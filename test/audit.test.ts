import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../src/accounts/roles.js';
import { codes } from '../src/errors.js';
import { runMaintenance } from '../src/maintenance/job.js';
import { createTestApp, freshDatabaseUrl, type TestApp } from './helpers/app.js';
import { adminSession, createKey, keyHeader, verifiedSession } from './helpers/apikeys.js';
import { registerUser } from './helpers/flows.js';
import { capturingTransport, challengeIn } from './helpers/security.js';
import { transportNames, transports } from './helpers/transports.js';
import { wire } from './helpers/wire.js';

// The audit trail (issue 24): one log (TokenEvent) of credential, account and admin
// events, each with its actor; auditLog's filters; the NDJSON export; retention.
const mail = capturingTransport();
const connections = transports();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport, env: { AUDIT_RETENTION: String(30 * 86400) } });
  await connections.open(app);
});
afterAll(async () => {
  connections.close();
  await app.close();
});

const auditQuery = `query($filter: AuditFilter, $userId: ID, $first: Int, $after: String) {
  auditLog(filter: $filter, userId: $userId, first: $first, after: $after) {
    nodes { action actorType actorId userId serviceAccountId detail ip userAgent }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(transportNames)('the audit log %s', (transport) => {
  const { gql, rest } = wire(connections.send(transport));

  it('records registration, e-mail verification and a password change with the user as actor, its address and User-Agent', async () => {
    const { identity, user } = await registerUser(app);
    const { code } = challengeIn(mail.mailsTo(identity.email).at(-1) ?? (await app.runtime.background.idle(), mail.mailsTo(identity.email).at(-1)));
    await gql('mutation($e: EmailAddress!, $c: String!) { verifyEmail(email: $e, code: $c) }', { e: identity.email, c: code });
    const login = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { username: identity.username, password: identity.password } });
    const auth = { authorization: `Bearer ${login.data.login.accessToken}` };
    await gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', { c: identity.password, n: `${identity.password} changed` }, auth);
    await app.runtime.tokenEvents.flush();
    const own = await gql(auditQuery, { first: 50 }, auth);
    const byAction = Object.fromEntries(own.data.auditLog.nodes.map((event: { action: string }) => [event.action, event]));
    expect(Object.keys(byAction)).toEqual(expect.arrayContaining(['register', 'email-verified', 'login', 'password-changed']));
    for (const action of ['register', 'email-verified', 'password-changed']) expect(byAction[action]).toMatchObject({ actorType: 'user', actorId: user.id, userId: user.id });
    expect(byAction['password-changed']).toMatchObject({ userAgent: 'lifecycle-test' });
  });

  it('admins filter the whole log by actor, target, action and time, in keyset pages; others may not filter', async () => {
    const admin = await adminSession(app);
    const targets = [await verifiedSession(app), await verifiedSession(app)];
    const since = app.clock().toISOString();
    app.clock.advance(1000);
    for (const target of targets) {
      // One millisecond apart: entries of one instant have no order among them.
      app.clock.advance(1);
      await gql('mutation($id: ID!) { setUserPlan(userId: $id, plan: PRO) { plan } }', { id: target.user.id }, admin.auth);
    }
    await app.runtime.tokenEvents.flush();
    const byActor = await gql(auditQuery, { filter: { actorId: admin.user.id, action: 'plan-changed', since }, first: 1 }, admin.auth);
    expect(byActor.data.auditLog.nodes).toEqual([expect.objectContaining({ userId: targets[1]!.user.id, actorId: admin.user.id, detail: 'FREE -> PRO' })]);
    expect(byActor.data.auditLog.pageInfo.hasNextPage).toBe(true);
    const next = await gql(auditQuery, { filter: { actorId: admin.user.id, action: 'plan-changed', since }, first: 1, after: byActor.data.auditLog.pageInfo.endCursor }, admin.auth);
    expect(next.data.auditLog.nodes).toEqual([expect.objectContaining({ userId: targets[0]!.user.id })]);
    const byTarget = await gql(auditQuery, { filter: { targetId: targets[0]!.user.id, action: 'plan-changed' } }, admin.auth);
    expect(byTarget.data.auditLog.nodes).toHaveLength(1);
    const before = await gql(auditQuery, { filter: { actorId: admin.user.id, action: 'plan-changed', until: since } }, admin.auth);
    expect(before.data.auditLog.nodes).toEqual([]);
    expect((await gql(auditQuery, { filter: { action: 'register' } }, targets[0]!.auth)).code).toBe(codes.FORBIDDEN);
    expect((await rest('GET', '/admin/audit.ndjson', undefined, targets[0]!.auth)).status).toBe(403);
  });

  it('GET /admin/audit.ndjson streams the log oldest first, filtered, to an admin session only', async () => {
    const admin = await adminSession(app);
    const target = await verifiedSession(app);
    app.clock.advance(1);
    await gql('mutation($id: ID!) { revokeUserSessions(userId: $id) }', { id: target.user.id }, admin.auth);
    const exported = await rest('GET', `/admin/audit.ndjson?target_id=${target.user.id}`, undefined, admin.auth);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = exported.text.trim().split('\n').map((line) => JSON.parse(line));
    // Registration and sign-in share an instant of the test's clock: either order.
    expect([...lines.slice(0, 2).map((line) => line.action).sort(), lines[2].action]).toEqual(['login', 'register', 'revoke']);
    expect(lines[2]).toMatchObject({ actor: { type: 'user', id: admin.user.id }, userId: target.user.id, operation: 'revoked' });
    expect(lines.every((line) => !('passwordHash' in line))).toBe(true);
    const byAction = await rest('GET', `/admin/audit.ndjson?target_id=${target.user.id}&action=login`, undefined, admin.auth);
    expect(byAction.text.trim().split('\n')).toHaveLength(1);
    const key = await createKey(app, admin.auth, { scopes: ['admin'] });
    expect((await rest('GET', '/admin/audit.ndjson', undefined, keyHeader(key.rawKey))).body.code).toBe(codes.FORBIDDEN);
    expect((await rest('GET', '/admin/audit.ndjson')).status).toBe(401);
  });
});

it('the NDJSON export pages through more entries than one query reads', async () => {
  const admin = await adminSession(app);
  const target = await verifiedSession(app);
  for (let index = 0; index < 520; index += 1) app.runtime.tokenEvents.record({ action: 'request', outcome: 'success', userId: target.user.id });
  const exported = await app.request(`/admin/audit.ndjson?target_id=${target.user.id}&action=request`, { headers: admin.auth });
  const lines = (await exported.text()).trim().split('\n').map((line) => JSON.parse(line) as { id: string });
  expect(lines).toHaveLength(520);
  expect(new Set(lines.map((line) => line.id)).size).toBe(520);
});

it('AUDIT_RETENTION: the maintenance job prunes entries older than it, and keeps the rest', async () => {
  const target = await verifiedSession(app);
  await app.runtime.tokenEvents.flush();
  const old = await app.runtime.db.tokenEvent.count({ where: { userId: target.user.id } });
  expect(old).toBeGreaterThan(0);
  app.clock.advance(30 * 86400 * 1000 + 1000);
  app.runtime.tokenEvents.record({ action: 'request', outcome: 'success', userId: target.user.id });
  await app.runtime.tokenEvents.flush();
  expect((await runMaintenance(app.runtime)).pruned).toBeGreaterThanOrEqual(old);
  expect(await app.runtime.db.tokenEvent.count({ where: { userId: target.user.id } })).toBe(1);
});

describe('the operator’s CLI (npm run admin)', () => {
  const admin = (env: Record<string, string | undefined>, ...args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });

  it('acts as "shell" in the audit log', async () => {
    const target = await verifiedSession(app);
    const env = { DATA_DIR: app.dataDir, DATABASE_URL: app.config.databaseUrl };
    expect((await admin(env, 'pro', target.identity.username)).stdout).toContain('is now on PRO');
    await app.runtime.tokenEvents.flush();
    expect(await app.runtime.db.tokenEvent.findFirst({ where: { userId: target.user.id, action: 'plan-changed' } })).toMatchObject({ actorType: 'shell', actorId: null });
    await setUserRole(app.runtime, target.identity.username, 'USER');
  });

  it('refuses a DATA_DIR or database that does not exist, creating nothing, with exit code 1', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'authgraph-admin-'));
    const missingDir = join(scratch, 'nowhere');
    try {
      const noDir = await admin({ DATA_DIR: missingDir, DATABASE_URL: '' }, 'owner', 'ada').catch((error: { code: number; stderr: string }) => error);
      expect(noDir).toMatchObject({ code: 1, stderr: expect.stringContaining(`DATA_DIR ${missingDir} does not exist`) });
      const noDatabase = await admin({ DATA_DIR: scratch, DATABASE_URL: freshDatabaseUrl(scratch) }, 'owner', 'ada').catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(noDatabase).toMatchObject({ code: 1, stderr: expect.stringMatching(/No database at|has no authgraph tables/) });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
