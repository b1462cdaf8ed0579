import type { Database } from '../db.js';
import type { Runtime } from '../runtime.js';

export type RevokeReason = 'logout' | 'refresh-token-reuse' | 'user-agent-mismatch' | 'revoked' | 'password-reset' | 'password-change';

/**
 * Ends a session: its refresh tokens stop working and its access tokens are
 * refused from the next request on. Returns false when it was already ended.
 */
export async function revokeSession(runtime: Runtime, sessionId: string, reason: RevokeReason): Promise<boolean> {
  const now = runtime.clock();
  const revoked = await runtime.db.session.updateManyAndReturn({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
    select: { userId: true },
  });
  runtime.revocations.sessionRevoked(sessionId, now.getTime() + runtime.accessTokens.ttlSeconds * 1000);
  for (const { userId } of revoked) {
    const reuse = reason === 'refresh-token-reuse';
    runtime.tokenEvents.record({
      action: reuse ? 'reuse-detected' : 'revoke',
      outcome: reuse ? 'UNAUTHENTICATED' : 'success',
      operation: reason,
      userId,
      sessionId,
    });
  }
  return revoked.length === 1;
}

/**
 * Ends every live session of a user but `exceptSessionId`, inside the caller's
 * transaction. Returns their ids: pass them to `refuseAccessTokens` once it commits.
 */
export async function revokeUserSessions(
  db: Pick<Database, 'session'>,
  userId: string,
  reason: RevokeReason,
  now: Date,
  exceptSessionId?: string,
): Promise<string[]> {
  await db.session.updateMany({
    where: { userId, revokedAt: null, ...(exceptSessionId && { id: { not: exceptSessionId } }) },
    data: { revokedAt: now, revokeReason: reason },
  });
  // Read back rather than listed first, so that a session created meanwhile cannot slip through.
  const revoked = await db.session.findMany({ where: { userId, revokedAt: now, revokeReason: reason }, select: { id: true } });
  return revoked.map((session) => session.id);
}

/** The access tokens of these (already revoked) sessions are refused from the next request on. */
export function refuseAccessTokens(runtime: Runtime, sessionIds: string[], revokedAt: Date): void {
  for (const sessionId of sessionIds) {
    runtime.revocations.sessionRevoked(sessionId, revokedAt.getTime() + runtime.accessTokens.ttlSeconds * 1000);
  }
}

/** Fills the revocation cache at start-up with sessions whose access tokens could still be live. */
export async function loadRecentRevocations(runtime: Runtime): Promise<void> {
  const ttlMs = runtime.accessTokens.ttlSeconds * 1000;
  const since = new Date(runtime.clock().getTime() - ttlMs);
  const sessions = await runtime.db.session.findMany({
    where: { revokedAt: { gt: since } },
    select: { id: true, revokedAt: true },
  });
  for (const session of sessions) runtime.revokedSessions.add(session.id, session.revokedAt!.getTime() + ttlMs);
}
