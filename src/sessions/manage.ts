import type { SessionPrincipal } from '../context.js';
import { AppError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { refuseAccessTokens, revokeSession } from './revoke.js';

/** The user's sessions that can still refresh, most recently used first. */
export function listActiveSessions(runtime: Runtime, userId: string) {
  return runtime.db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: runtime.clock() } },
    orderBy: [{ lastUsedAt: 'desc' }, { id: 'desc' }],
  });
}

/** Ends one of the caller's sessions (the current one included); another user's is NOT_FOUND. */
export async function revokeOwnSession(runtime: Runtime, principal: SessionPrincipal, sessionId: string) {
  const session = await runtime.db.session.findFirst({ where: { id: sessionId, userId: principal.userId }, select: { id: true } });
  if (!session) throw new AppError('NOT_FOUND', { message: 'No such session.' });
  await revokeSession(runtime, session.id, 'revoked');
  return runtime.db.session.findUniqueOrThrow({ where: { id: session.id } });
}

async function endSessions(runtime: Runtime, userId: string, exceptSessionId?: string): Promise<number> {
  const now = runtime.clock();
  const revoked = await runtime.db.session.updateManyAndReturn({
    where: { userId, revokedAt: null, expiresAt: { gt: now }, ...(exceptSessionId && { id: { not: exceptSessionId } }) },
    data: { revokedAt: now, revokeReason: 'revoked' },
    select: { id: true },
  });
  const sessionIds = revoked.map((session) => session.id);
  refuseAccessTokens(runtime, sessionIds, now);
  for (const sessionId of sessionIds) {
    runtime.tokenEvents.record({ action: 'revoke', outcome: 'success', operation: 'revoked', userId, sessionId });
  }
  return sessionIds.length;
}

/** Signs the caller out everywhere but here. */
export const endOtherSessions = (runtime: Runtime, principal: SessionPrincipal) =>
  endSessions(runtime, principal.userId, principal.sessionId);

/** An admin ends every session of an account. */
export async function endAllSessionsOf(runtime: Runtime, userId: string): Promise<number> {
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError('NOT_FOUND', { message: 'No such user.' });
  return endSessions(runtime, user.id);
}
