import type { Actor } from '../audit/actor.js';
import { AppError, refusals } from '../errors.js';
import type { SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { announceEnded, endSession, endUserSessions, type RevokeReason } from './revoke.js';

/**
 * The revocation operations, one per scope, named as the GraphQL operations that
 * call them: logout (this session), revokeSession (one of yours),
 * revokeOtherSessions (every other one), revokeUserSessions (every one of a user).
 */

/** The user's sessions that can still refresh, most recently used first. */
export function listActiveSessions(runtime: Runtime, userId: string) {
  return runtime.db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: runtime.clock() } },
    orderBy: [{ lastUsedAt: 'desc' }, { id: 'desc' }],
  });
}

/** Ends the caller's session; tells which kind of client it was (a BROWSER's refresh cookie is cleared). */
export function logout(runtime: Runtime, principal: SessionPrincipal) {
  return endSession(runtime, principal.sessionId, 'logout');
}

/** Ends one of the caller's sessions (the current one included); another user's is NOT_FOUND. */
export async function revokeSession(runtime: Runtime, principal: { userId: string }, sessionId: string) {
  const session = await runtime.db.session.findFirst({ where: { id: sessionId, userId: principal.userId }, select: { id: true } });
  if (!session) throw new AppError(refusals.noSuchSession);
  await endSession(runtime, session.id, 'revoked');
  return runtime.db.session.findUniqueOrThrow({ where: { id: session.id } });
}

async function endLiveSessions(runtime: Runtime, userId: string, options: { exceptSessionId?: string; reason?: RevokeReason; actor?: Actor } = {}): Promise<number> {
  const now = runtime.clock();
  const reason = options.reason ?? 'revoked';
  const ended = await endUserSessions(runtime.db, userId, reason, now, options.exceptSessionId);
  announceEnded(runtime, userId, ended, reason, now, options.actor);
  return ended.length;
}

/** Signs the caller out everywhere but here; returns how many sessions ended. */
export const revokeOtherSessions = (runtime: Runtime, principal: SessionPrincipal) =>
  endLiveSessions(runtime, principal.userId, { exceptSessionId: principal.sessionId });

/** Every session of an account ends (an admin's operation, and disabling's and deletion's); the actor is logged with each end. */
export async function revokeUserSessions(runtime: Runtime, userId: string, actor?: Actor, reason?: RevokeReason): Promise<number> {
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError(refusals.noSuchUser);
  return endLiveSessions(runtime, user.id, { actor, reason });
}
