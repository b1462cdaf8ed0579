import type { Actor } from '../audit/actor.js';
import type { Database } from '../db.js';
import type { ClientType } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { recordCommitted, writeOutbox, type ChangeEvent } from '../webhooks/outbox.js';

export type RevokeReason = 'logout' | 'refresh-token-reuse' | 'user-agent-mismatch' | 'revoked' | 'password-reset' | 'password-change' | 'password-guessing' | 'google-join' | 'mfa-reset' | 'disabled' | 'deleted';

/**
 * The two steps under every revocation (sessions/manage.ts names them by the
 * operations that call them): end sessions in the database, then, once that has
 * committed, refuse their access tokens on every instance and log each end.
 */

/** Ends one live session. Null when it was already ended: nothing is announced then. */
export async function endSession(
  runtime: Runtime,
  sessionId: string,
  reason: RevokeReason,
): Promise<{ userId: string; clientType: ClientType } | null> {
  const now = runtime.clock();
  const ended = await runtime.db.$transaction(async (tx) => {
    const [row] = await tx.session.updateManyAndReturn({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: now, revokeReason: reason },
      select: { userId: true, clientType: true },
    });
    // A detected reuse is a webhook event (session.reuse_detected): its outbox row commits with the revocation.
    if (row) await writeOutbox(tx, runtime, endedEvents(row.userId, [sessionId], reason));
    return row;
  });
  if (!ended) return null;
  announceEnded(runtime, ended.userId, [sessionId], reason, now);
  return { userId: ended.userId, clientType: ended.clientType as ClientType };
}

/**
 * Ends every live session of a user but `exceptSessionId`, through `db` (a
 * transaction's client when the change that causes it must be atomic with it).
 * Pass the ids it returns to announceEnded once that transaction commits.
 */
export async function endUserSessions(
  db: Pick<Database, 'session'>,
  userId: string,
  reason: RevokeReason,
  now: Date,
  exceptSessionId?: string,
): Promise<string[]> {
  const ended = await db.session.updateManyAndReturn({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, ...(exceptSessionId && { id: { not: exceptSessionId } }) },
    data: { revokedAt: now, revokeReason: reason },
    select: { id: true },
  });
  return ended.map((session) => session.id);
}

/** The access tokens of these ended sessions are refused from the next request on, here and on every instance. */
export function announceEnded(runtime: Runtime, userId: string, sessionIds: string[], reason: RevokeReason, revokedAt: Date, actor?: Actor): void {
  for (const sessionId of sessionIds) runtime.revocations.sessionRevoked(sessionId, revokedAt.getTime() + runtime.accessTokens.ttlSeconds * 1000);
  recordCommitted(runtime, endedEvents(userId, sessionIds, reason, actor));
}

/** The log's events for ended sessions: a revocation, or the reuse that caused it. */
function endedEvents(userId: string, sessionIds: string[], reason: RevokeReason, actor?: Actor): ChangeEvent[] {
  const reuse = reason === 'refresh-token-reuse';
  return sessionIds.map((sessionId) => ({
    action: reuse ? 'reuse-detected' : 'revoke',
    outcome: reuse ? 'UNAUTHENTICATED' : 'success',
    operation: reason,
    userId,
    sessionId,
    actor,
  }));
}

/**
 * Whether a session with an unexpired access token may still act. Memory answers
 * while this instance hears every revocation; while Redis is away the row does,
 * and a revoked one is remembered.
 */
export async function sessionStillLive(runtime: Runtime, sessionId: string): Promise<boolean> {
  if (runtime.revocations.hearing) return true;
  const session = await runtime.db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true } });
  if (session?.revokedAt) runtime.revokedSessions.add(sessionId, session.revokedAt.getTime() + runtime.accessTokens.ttlSeconds * 1000);
  return session !== null && session.revokedAt === null;
}

/** Fills the revocation cache (at start-up, and after Redis returns) with sessions whose access tokens could still be live. */
export async function loadRecentRevocations(runtime: Runtime): Promise<void> {
  const ttlMs = runtime.accessTokens.ttlSeconds * 1000;
  const since = new Date(runtime.clock().getTime() - ttlMs);
  const sessions = await runtime.db.session.findMany({
    where: { revokedAt: { gt: since } },
    select: { id: true, revokedAt: true },
  });
  for (const session of sessions) runtime.revokedSessions.add(session.id, session.revokedAt!.getTime() + ttlMs);
}
