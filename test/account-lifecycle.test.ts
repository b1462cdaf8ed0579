import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, refusals } from '../src/errors.js';
import { runMaintenance } from '../src/maintenance/job.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey, keyHeader, verifiedSession } from './helpers/apikeys.js';
import { registerUser, signIn } from './helpers/flows.js';
import { capturingTransport, challengeIn } from './helpers/security.js';
import { transportNames, transports } from './helpers/transports.js';
import { wire } from './helpers/wire.js';

// Self-service account lifecycle (issue 24): profile, e-mail change, a first password,
// deletion (at once and with a grace period) and export, through GraphQL and /v1/me,
// in process and over a listening server, each change in the audit log with its actor.
const mail = capturingTransport();
const connections = transports();
let app: TestApp;
let graceApp: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport, env: { RESEND_INTERVAL: '0' } });
  graceApp = await createTestApp({ env: { ACCOUNT_DELETION_GRACE: '86400' } });
  await connections.open(app);
});
afterAll(async () => {
  connections.close();
  await app.close();
  await graceApp.close();
});

/** The account's log as stored, oldest first (what auditLog and the export read). */
async function auditOf(target: TestApp, userId: string) {
  await target.runtime.tokenEvents.flush();
  return target.runtime.db.tokenEvent.findMany({ where: { userId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

const pastReauthWindow = (target: TestApp) => target.clock.advance((target.config.reauthWindow + 1) * 1000);
const accountQuery = '{ account { username email emailVerified fullName hasPassword pendingEmail deletionDueAt } }';

describe.each(transportNames)('self-service %s', (transport) => {
  const client = () => wire(connections.send(transport));

  it('updateProfile and PATCH /v1/me/profile set the name, logged with the user as actor; a stale sign-in is refused', async () => {
    const { gql, rest } = client();
    const { user, auth } = await verifiedSession(app);
    const updated = await gql('mutation($name: String) { updateProfile(fullName: $name) { fullName } }', { name: 'Ada Lovelace' }, auth);
    expect(updated.data.updateProfile.fullName).toBe('Ada Lovelace');
    const patched = await rest('PATCH', '/v1/me/profile', { full_name: 'Ada King' }, auth);
    expect(patched.status).toBe(200);
    expect((await gql(accountQuery, {}, auth)).data.account.fullName).toBe('Ada King');
    const entries = (await auditOf(app, user.id)).filter((entry) => entry.action === 'profile-updated');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorType: 'user', actorId: user.id, userAgent: 'lifecycle-test' });
    pastReauthWindow(app);
    expect((await gql('mutation { updateProfile(fullName: "x") { fullName } }', {}, auth)).code).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect((await rest('PATCH', '/v1/me/profile', { full_name: 'x' }, auth)).status).toBe(403);
  });

  it('changeEmail keeps the old address until the new one is proven, tells the old one, and the code moves the account', async () => {
    const { gql } = client();
    const { identity, user, auth } = await verifiedSession(app);
    const newEmail = `new-${identity.email}`;
    expect((await gql('mutation($e: EmailAddress!) { changeEmail(newEmail: $e) }', { e: newEmail }, auth)).data.changeEmail).toBe(true);
    await app.runtime.background.idle();
    expect(mail.mailsTo(identity.email).at(-1)?.subject).toContain('a change of your e-mail address was requested');
    const { code } = challengeIn(mail.mailsTo(newEmail).at(-1));
    expect((await gql(accountQuery, {}, auth)).data.account).toMatchObject({ email: identity.email, emailVerified: true, pendingEmail: newEmail });
    const wrong = await gql('mutation($c: String!) { confirmEmailChange(code: $c) { email } }', { c: code === '000000' ? '111111' : '000000' }, auth);
    expect(wrong.code).toBe(codes.BAD_USER_INPUT);
    const confirmed = await gql('mutation($c: String!) { confirmEmailChange(code: $c) { email emailVerified pendingEmail } }', { c: code }, auth);
    expect(confirmed.data.confirmEmailChange).toEqual({ email: newEmail, emailVerified: true, pendingEmail: null });
    const actions = (await auditOf(app, user.id)).map((entry) => [entry.action, entry.actorType]);
    expect(actions).toEqual(expect.arrayContaining([['email-change-requested', 'user'], ['email-changed', 'user']]));
    expect((await signIn(app, { ...identity, username: newEmail })).accessToken).toBeTruthy();
  });

  it('POST /v1/me/email, then the link from the mail; an address another account holds is CONFLICT', async () => {
    const { rest } = client();
    const { identity, auth } = await verifiedSession(app);
    const other = await registerUser(app);
    const taken = await rest('POST', '/v1/me/email', { new_email: other.identity.email }, auth);
    expect(taken.body.code).toBe(codes.CONFLICT);
    const newEmail = `linked-${identity.email}`;
    expect((await rest('POST', '/v1/me/email', { new_email: newEmail }, auth)).status).toBe(202);
    await app.runtime.background.idle();
    const { uid } = challengeIn(mail.mailsTo(newEmail).at(-1));
    expect((await rest('POST', `/challenge/${uid}`)).text).toContain('Address changed');
    expect((await rest('GET', '/v1/me/account', undefined, auth)).body).toMatchObject({ email: newEmail, email_verified: true });
  });

  it('setPassword gives an account without a password (made with Google) one, once; changePassword is for the rest', async () => {
    const { gql, rest } = client();
    const { identity, user, auth } = await verifiedSession(app);
    await app.runtime.db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    const password = `a new pass phrase ${identity.username}`;
    const set = await gql('mutation($p: String!) { setPassword(newPassword: $p) { hasPassword } }', { p: password }, auth);
    expect(set.data.setPassword.hasPassword).toBe(true);
    expect((await signIn(app, { ...identity, password })).accessToken).toBeTruthy();
    const again = await rest('POST', '/v1/me/password', { new_password: `${password} again` }, auth);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(refusals.passwordAlreadySet.message);
    expect((await auditOf(app, user.id)).find((entry) => entry.action === 'password-set')).toMatchObject({ actorType: 'user', actorId: user.id });
  });

  it('deleteAccount ends every session and key at once, deletes the account, and keeps its log without addresses', async () => {
    const { gql, rest } = client();
    const { identity, user, auth } = await verifiedSession(app);
    const other = await signIn(app, identity);
    const key = await createKey(app, auth, { scopes: ['account:read'] });
    const deleted = await gql('mutation { deleteAccount { deleted dueAt } }', {}, auth);
    expect(deleted.data.deleteAccount).toEqual({ deleted: true, dueAt: null });
    expect((await gql('{ whoami { user { id } } }', {}, { authorization: `Bearer ${other.accessToken}` })).code).toBe(codes.UNAUTHENTICATED);
    expect((await rest('GET', '/v1/me/account', undefined, keyHeader(key.rawKey))).status).toBe(401);
    expect(await app.runtime.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    const log = await auditOf(app, user.id);
    expect(log.map((entry) => entry.action)).toEqual(expect.arrayContaining(['register', 'create', 'revoke', 'deleted']));
    expect(log.every((entry) => entry.ip === null && entry.userAgent === null)).toBe(true);
    expect(log.find((entry) => entry.action === 'deleted')).toMatchObject({ actorType: 'user', actorId: user.id });
  });

  it('DELETE /v1/me deletes too; the last owner is refused', async () => {
    const { rest } = client();
    const { user, auth } = await verifiedSession(app);
    expect((await rest('DELETE', '/v1/me', undefined, auth)).body).toEqual({ deleted: true, due_at: null });
    expect(await app.runtime.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    const owner = await verifiedSession(app);
    await app.runtime.db.user.updateMany({ where: { role: 'OWNER' }, data: { role: 'USER' } });
    await app.runtime.db.user.update({ where: { id: owner.user.id }, data: { role: 'OWNER' } });
    const refused = await rest('DELETE', '/v1/me', undefined, owner.auth);
    expect(refused.body.detail).toBe(refusals.ownerCannotBeDeleted.message);
  });

  it('exportAccount and GET /v1/me/export answer everything stored about the account, no secret or hash', async () => {
    const { gql, rest } = client();
    const { identity, user, auth } = await verifiedSession(app);
    const key = await createKey(app, auth, { name: 'export-me' });
    const exported = (await gql('mutation { exportAccount }', {}, auth)).data.exportAccount;
    expect(exported.account).toMatchObject({ id: user.id, username: identity.username, email: identity.email });
    expect(exported.sessions).toHaveLength(1);
    expect(exported.apiKeys).toEqual([expect.objectContaining({ id: key.apiKey.id, name: 'export-me', prefix: key.apiKey.prefix })]);
    expect(exported.activity.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['register', 'login', 'create']));
    const download = await rest('GET', '/v1/me/export', undefined, auth);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${identity.username}-export.json"`);
    expect(download.body.account.username).toBe(identity.username);
    for (const text of [JSON.stringify(exported), download.text]) {
      expect(text).not.toMatch(/secretHash|passwordHash|argon2|codeHash/);
      expect(text).not.toContain(key.rawKey);
    }
    expect((await auditOf(app, user.id)).filter((entry) => entry.action === 'exported')).toHaveLength(2);
  });
});

describe('deletion with a grace period (ACCOUNT_DELETION_GRACE)', () => {
  it('ends the credentials at once; signing in again, the owner may cancel; unless cancelled, the maintenance job deletes it when due', async () => {
    const kept = await verifiedSession(graceApp);
    const scheduled = await graceApp.gql('mutation { deleteAccount { deleted dueAt } }', {}, kept.auth);
    expect(scheduled.data.deleteAccount.deleted).toBe(false);
    expect(new Date(scheduled.data.deleteAccount.dueAt).getTime()).toBe(graceApp.clock().getTime() + 86_400_000);
    expect((await graceApp.gql('{ account { username } }', {}, kept.auth)).errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    const again = await signIn(graceApp, kept.identity);
    const auth = { authorization: `Bearer ${again.accessToken}` };
    expect((await graceApp.gql('{ account { deletionDueAt } }', {}, auth)).data.account.deletionDueAt).toBe(scheduled.data.deleteAccount.dueAt);
    expect((await graceApp.gql('mutation { cancelAccountDeletion { deletionDueAt } }', {}, auth)).data.cancelAccountDeletion.deletionDueAt).toBeNull();

    const gone = await verifiedSession(graceApp);
    await graceApp.gql('mutation { deleteAccount { deleted } }', {}, gone.auth);
    graceApp.clock.advance(86_400_000 - 1000);
    await runMaintenance(graceApp.runtime);
    expect(await graceApp.runtime.db.user.findUnique({ where: { id: gone.user.id } })).not.toBeNull();
    graceApp.clock.advance(1000);
    expect((await runMaintenance(graceApp.runtime)).deleted).toBe(1);
    expect(await graceApp.runtime.db.user.findUnique({ where: { id: gone.user.id } })).toBeNull();
    expect(await graceApp.runtime.db.user.findUnique({ where: { id: kept.user.id } })).not.toBeNull();
    const actions = (await auditOf(graceApp, gone.user.id)).map((entry) => [entry.action, entry.actorType]);
    expect(actions).toEqual(expect.arrayContaining([['deletion-scheduled', 'user'], ['deleted', 'system']]));
    expect((await auditOf(graceApp, kept.user.id)).map((entry) => entry.action)).toContain('deletion-cancelled');
  });
});

