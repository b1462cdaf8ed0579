import type { Runtime } from '../runtime.js';

export type RevokeReason = 'logout' | 'refresh-token-reuse' | 'user-agent-mismatch' | 'revoked';

/**
 * Ends a session: its refresh tokens stop working and its access tokens are
 * refused from the next request on. Returns false when it was already ended.
 */
export async function revokeSession(runtime: Runtime, sessionId: string, reason: RevokeReason): Promise<boolean> {
  const now = runtime.clock();
  const { count } = await runtime.db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now, revokeReason: reason },
  });
  runtime.revokedSessions.add(sessionId, now.getTime() + runtime.accessTokens.ttlSeconds * 1000);
  return count === 1;
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
