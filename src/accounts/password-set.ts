import type { Database } from '../db.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { announceEnded, endUserSessions } from '../sessions/revoke.js';
import { notifyAccountChange } from './change-notice.js';

/**
 * What a new password (changePassword, resetPassword) also ends, as the owner
 * chooses: the other sessions (on by default) and the API keys (off by default:
 * they are often in unattended use). Nothing else changes silently: a linked
 * Google account stays linked, and the mail says so.
 */
export type PasswordSetOptions = { endSessions: boolean; revokeApiKeys: boolean };

type Ended = { sessionIds: string[]; apiKeyIds: string[] };

/** Inside the transaction that stores the new password; `keepSessionId` is the session that asked for the change. */
export async function endCredentialsForNewPassword(
  tx: Pick<Database, 'session' | 'apiKey'>,
  userId: string,
  options: PasswordSetOptions,
  reason: 'password-change' | 'password-reset',
  now: Date,
  keepSessionId?: string,
): Promise<Ended> {
  const sessionIds = options.endSessions ? await endUserSessions(tx, userId, reason, now, keepSessionId) : [];
  const apiKeyIds = options.revokeApiKeys
    ? (
        await tx.apiKey.updateManyAndReturn({ where: { userId, revokedAt: null }, data: { revokedAt: now }, select: { id: true } })
      ).map((key) => key.id)
    : [];
  return { sessionIds, apiKeyIds };
}

/** Once the transaction has committed: refuse the ended credentials everywhere, log, and mail the owner. */
export async function announceNewPassword(
  runtime: Runtime,
  userId: string,
  ended: Ended,
  reason: 'password-change' | 'password-reset',
  now: Date,
  options: PasswordSetOptions,
  client?: ClientInfo,
): Promise<void> {
  runtime.tokenEvents.record({ action: reason === 'password-reset' ? 'password-reset' : 'password-changed', outcome: 'success', userId, client });
  announceEnded(runtime, userId, ended.sessionIds, reason, now);
  for (const keyId of ended.apiKeyIds) {
    runtime.revocations.keyChanged(keyId);
    runtime.tokenEvents.record({ action: 'revoke', outcome: 'success', operation: reason, userId, apiKeyId: keyId });
  }
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
