import { AppError } from '../errors.js';
import { assertStillAwaited } from '../http/deadline.js';
import { consumeOrThrow } from '../limits/limits.js';
import type { Runtime } from '../runtime.js';
import { endSession } from './revoke.js';
import { refreshExpiry, refreshTokenHash, sessionTokens, successorOf, type SessionTokens } from './session-tokens.js';
import { userAgentMatches } from './user-agent.js';
import type { ClientInfo, ClientType } from '../principal.js';

/**
 * Rotates a refresh token: the presented token dies and its successor is issued.
 * An already-rotated token revokes the whole session (reuse detection), except
 * within the grace window, where the latest parent gets the same successor again
 * so that tabs refreshing at once do not sign the user out.
 *
 * The window runs from the successor's creation, the last write before the
 * commit: a rotation held up by a stalled database starts its window when it
 * lands, not when it was asked for. A rotation whose request has already been
 * answered (REQUEST_TIMEOUT) rolls back, so the client's retry with the same
 * token is a first use, not a theft.
 */
export async function refreshSession(runtime: Runtime, refreshToken: string, client: ClientInfo): Promise<SessionTokens> {
  const now = runtime.clock();
  const presented = await runtime.db.refreshToken.findUnique({
    where: { tokenHash: refreshTokenHash(refreshToken) },
    include: { session: { include: { user: { select: { disabledAt: true } } } } },
  });
  const session = presented?.session;
  if (!presented || !session || session.revokedAt || session.expiresAt <= now || session.user.disabledAt) {
    if (session) {
      runtime.tokenEvents.record({ action: 'refresh', outcome: 'UNAUTHENTICATED', client, userId: session.userId, sessionId: session.id });
    }
    throw new AppError('UNAUTHENTICATED');
  }
  await consumeOrThrow(runtime.limits.refreshesBySession, session.id);
  const refreshed = (operation: string | null) =>
    runtime.tokenEvents.record({ action: 'refresh', outcome: 'success', operation, client, userId: session.userId, sessionId: session.id });
  if (!userAgentMatches(session.userAgent, client.userAgent, runtime.config.refresh.userAgentBinding)) {
    await endSession(runtime, session.id, 'user-agent-mismatch');
    runtime.logger.warn({ event: 'session-mismatch', sessionId: session.id }, 'refresh from another User-Agent');
    throw new AppError('SESSION_MISMATCH');
  }

  const successor = successorOf(runtime, refreshToken);
  const successorHash = refreshTokenHash(successor);
  const refreshExpiresAt = refreshExpiry(runtime, session, now);
  // A refresh keeps the assurance of the sign-in (and of any step-up since).
  const grant = { userId: session.userId, sessionId: session.id, clientType: session.clientType as ClientType, refreshToken: successor, amr: session.amr.split(',') };

  if (!presented.rotatedAt) {
    const rotatedAt = await runtime.db.$transaction(async (tx) => {
      const claim = await tx.refreshToken.updateMany({
        where: { tokenHash: presented.tokenHash, rotatedAt: null },
        data: { rotatedAt: runtime.clock() },
      });
      if (claim.count !== 1) return null;
      assertStillAwaited(runtime);
      const issuedAt = runtime.clock();
      await tx.session.update({
        where: { id: session.id },
        data: {
          lastUsedAt: issuedAt,
          expiresAt: refreshExpiresAt,
          refreshTokens: { create: { tokenHash: successorHash, generation: presented.generation + 1, createdAt: issuedAt } },
        },
        select: { id: true },
      });
      assertStillAwaited(runtime);
      return issuedAt;
    });
    if (rotatedAt) {
      refreshed(null);
      return sessionTokens(runtime, { ...grant, issuedAt: rotatedAt, refreshExpiresAt });
    }
  }

  // Someone already rotated this token: a parallel tab within the grace window, or a replay.
  const child = await runtime.db.refreshToken.findUnique({ where: { tokenHash: successorHash }, include: { session: true } });
  const graceMs = runtime.config.refresh.reuseGrace * 1000;
  const withinGrace = graceMs > 0 && child && !child.rotatedAt && now.getTime() - child.createdAt.getTime() <= graceMs;
  if (withinGrace && !child.session.revokedAt) {
    refreshed('reuse-grace');
    return sessionTokens(runtime, { ...grant, issuedAt: child.createdAt, refreshExpiresAt: child.session.expiresAt });
  }
  await endSession(runtime, session.id, 'refresh-token-reuse');
  runtime.logger.warn({ event: 'refresh-token-reuse', sessionId: session.id }, 'rotated refresh token presented again; session revoked');
  throw new AppError('UNAUTHENTICATED');
}
