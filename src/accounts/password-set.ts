import type { Prisma } from '../generated/sqlite/client.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { announceEnded, endUserSessions } from '../sessions/revoke.js';
import { recordCommitted, writeOutbox, type ChangeEvent } from '../webhooks/outbox.js';
import { notifyAccountChange } from './change-notice.js';

/**
 * What a new password (changePassword, resetPassword) also ends, as the owner
 * chooses: the other sessions (on by default) and the API keys (off by default:
 * they are often in unattended use). Nothing else changes silently: a linked
 * Google account stays linked, and the mail says so.
 */
export type PasswordSetOptions = { endSessions: boolean; revokeApiKeys: boolean };

type Ended = { sessionIds: string[]; apiKeyIds: string[] };

type Reason = 'password-change' | 'password-reset';

/** The new password and the keys it revoked, as the log and the webhooks tell them (sessions: announceEnded). */
function newPasswordEvents(userId: string, ended: Ended, reason: Reason, client?: ClientInfo): ChangeEvent[] {
  return [
    { action: reason === 'password-reset' ? 'password-reset' : 'password-changed', outcome: 'success', userId, client },
    ...ended.apiKeyIds.map((apiKeyId): ChangeEvent => ({ action: 'revoke', outcome: 'success', operation: reason, userId, apiKeyId })),
  ];
}

/** Inside the transaction that stores the new password (which also gets its webhook events); `keepSessionId` is the session that asked for the change. */
export async function endCredentialsForNewPassword(
  runtime: Runtime,
  tx: Prisma.TransactionClient,
  userId: string,
  options: PasswordSetOptions,
  reason: Reason,
  now: Date,
  keepSessionId?: string,
): Promise<Ended> {
  const sessionIds = options.endSessions ? await endUserSessions(tx, userId, reason, now, keepSessionId) : [];
  const apiKeyIds = options.revokeApiKeys
    ? (
        await tx.apiKey.updateManyAndReturn({ where: { userId, revokedAt: null }, data: { revokedAt: now }, select: { id: true } })
      ).map((key) => key.id)
    : [];
  await writeOutbox(tx, runtime, newPasswordEvents(userId, { sessionIds, apiKeyIds }, reason));
  return { sessionIds, apiKeyIds };
}

/** Once the transaction has committed: refuse the ended credentials everywhere, log, and mail the owner. */
export async function announceNewPassword(
  runtime: Runtime,
  userId: string,
  ended: Ended,
  reason: Reason,
  now: Date,
  options: PasswordSetOptions,
  client?: ClientInfo,
): Promise<void> {
  recordCommitted(runtime, newPasswordEvents(userId, ended, reason, client));
  announceEnded(runtime, userId, ended.sessionIds, reason, now);
  for (const keyId of ended.apiKeyIds) runtime.revocations.keyChanged(keyId);
  runtime.logger.info({ userId, sessionsRevoked: ended.sessionIds.length, apiKeysRevoked: ended.apiKeyIds.length }, reason === 'password-reset' ? 'password reset' : 'password changed');
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { googleSubject: true } });
  const others = reason === 'password-change' ? 'other ' : '';
  const notes = [
    options.endSessions
      ? `Every ${others}session was signed out (${ended.sessionIds.length}).`
      : `Your ${others}sessions were kept: devices signed in stay signed in.`,
    options.revokeApiKeys ? `Every API key was revoked (${ended.apiKeyIds.length}).` : 'Your API keys were kept and keep working.',
    ...(user?.googleSubject ? ['Google sign-in stays linked to this account: unlink it if you do not recognize it.'] : []),
  ];
  await notifyAccountChange(runtime, userId, reason === 'password-reset' ? 'your password was reset' : 'your password was changed', notes);
}
