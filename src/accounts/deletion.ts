import { actedBy, systemActor, type ActedBy } from '../audit/actor.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { revokeUserSessions } from '../sessions/manage.js';
import { getAccount } from './account.js';
import { assertRecentAuthentication } from './reauth.js';
import { activeUserOrThrow, resolveUser, type UserRef } from './users.js';
import { commitWithEvents, type ChangeEvent } from '../webhooks/outbox.js';

export type DeletionResult = { deleted: boolean; dueAt: Date | null };

async function refuseLastOwner(runtime: Runtime, user: { id: string; role: string }): Promise<void> {
  if (user.role !== 'OWNER') return;
  const otherOwners = await runtime.db.user.count({ where: { role: 'OWNER', disabledAt: null, deletionDueAt: null, id: { not: user.id } } });
  if (otherOwners === 0) throw new AppError(refusals.ownerCannotBeDeleted);
}

/** Every session ends and every key is revoked, here and on every instance, each logged with who did it. */
async function endCredentials(runtime: Runtime, userId: string, by: ActedBy): Promise<void> {
  await revokeUserSessions(runtime, userId, by.actor, 'deleted');
  const keys = await commitWithEvents(
    runtime,
    (tx) => tx.apiKey.updateManyAndReturn({ where: { userId, revokedAt: null }, data: { revokedAt: runtime.clock() }, select: { id: true } }),
    (revoked) => revoked.map((key): ChangeEvent => ({ action: 'revoke', outcome: 'success', operation: 'deleted', userId, apiKeyId: key.id, ...by })),
  );
  for (const key of keys) runtime.revocations.keyChanged(key.id);
}

/**
 * Removes the account and what hangs on it (sessions, keys, challenges, factors:
 * the rows cascade). Its log entries stay, as the audit trail, without the
 * addresses and User-Agents that were the owner's personal data.
 */
async function purgeAccount(runtime: Runtime, userId: string, by: ActedBy): Promise<void> {
  await endCredentials(runtime, userId, by);
  await runtime.tokenEvents.flush();
  const selfDeleted = by.actor.id === userId || by.actor.type === 'system';
  await commitWithEvents(
    runtime,
    async (tx) => {
      await tx.tokenEvent.updateMany({ where: { OR: [{ userId }, { actorId: userId }] }, data: { ip: null, userAgent: null } });
      await tx.user.deleteMany({ where: { id: userId } });
    },
    () => [{ action: 'deleted', outcome: 'success', userId, actor: by.actor, client: selfDeleted ? undefined : by.client }],
  );
  runtime.logger.info({ userId }, 'account deleted');
}

/**
 * deleteAccount: the owner's own. Credentials end at once; the data goes now, or
 * after ACCOUNT_DELETION_GRACE, within which the owner may sign in again and
 * cancelAccountDeletion.
 */
export async function deleteAccount(runtime: Runtime, caller: SessionPrincipal, client: ClientInfo): Promise<DeletionResult> {
  await assertRecentAuthentication(runtime, caller);
  const user = await activeUserOrThrow(runtime, caller.userId);
  await refuseLastOwner(runtime, user);
  const by = actedBy(caller, client);
  const grace = runtime.config.accountDeletionGrace;
  if (grace === 0) {
    await purgeAccount(runtime, user.id, by);
    return { deleted: true, dueAt: null };
  }
  const dueAt = new Date(runtime.clock().getTime() + grace * 1000);
  await runtime.db.user.update({ where: { id: user.id }, data: { deletionDueAt: dueAt } });
  await endCredentials(runtime, user.id, by);
  runtime.tokenEvents.record({ action: 'deletion-scheduled', outcome: 'success', userId: user.id, ...by, detail: `due ${dueAt.toISOString()}` });
  return { deleted: false, dueAt };
}

/** cancelAccountDeletion: within the grace period, the owner (signed in again) keeps the account. */
export async function cancelAccountDeletion(runtime: Runtime, caller: SessionPrincipal, client: ClientInfo) {
  const { count } = await runtime.db.user.updateMany({ where: { id: caller.userId, deletionDueAt: { not: null } }, data: { deletionDueAt: null } });
  if (count === 0) throw new AppError(refusals.noDeletionScheduled);
  runtime.tokenEvents.record({ action: 'deletion-cancelled', outcome: 'success', userId: caller.userId, sessionId: caller.sessionId, ...actedBy(caller, client) });
  return getAccount(runtime, caller.userId);
}

/** deleteUser: an administrator deletes another account at once (no grace period). */
export async function deleteUser(runtime: Runtime, ref: UserRef, by: ActedBy): Promise<DeletionResult> {
  const user = await resolveUser(runtime, ref);
  if (by.actor.id === user.id) throw new AppError(refusals.adminCannotActOnSelf);
  await refuseLastOwner(runtime, user);
  await purgeAccount(runtime, user.id, by);
  return { deleted: true, dueAt: null };
}

/** The maintenance job's part: deletions whose grace period has passed. */
export async function finishDueDeletions(runtime: Runtime): Promise<number> {
  const due = await runtime.db.user.findMany({ where: { deletionDueAt: { lte: runtime.clock() } }, select: { id: true } });
  for (const user of due) await purgeAccount(runtime, user.id, { actor: systemActor });
  return due.length;
}
