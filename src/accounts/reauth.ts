import { verifyPassword } from '../crypto/password.js';
import { AppError, refusals } from '../errors.js';
import { recordLoginFailure, recordLoginSuccess, reserveLoginAttempt } from '../limits/login-throttle.js';
import type { ClientInfo, Principal, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { assertSecondFactorIfEnrolled } from '../mfa/step-up.js';
import { endSession } from '../sessions/revoke.js';
import { activeUserOrThrow } from './users.js';

/**
 * Sensitive changes (keys, the Google link, the password, and every later one)
 * want proof that the person, not only a stolen access token, is at the
 * keyboard: a password or Google sign-in in this session within REAUTH_WINDOW.
 *
 * What counts as proof:
 * - a session: its `authenticatedAt`, set at sign-in and by reauthenticate (a refresh does not renew it);
 * - a password checked in the same request (novem's POST /v1/token and /v1/auth);
 * - an API key: not a session, so it passes here, and only where its scopes
 *   already let it in (the session-only operations still refuse keys before this).
 */
export type Proof = Principal | { kind: 'password' };

/** A wrong password ends the session that sent it after this many misses (a stolen session is no password oracle). */
export const maxPasswordMissesPerSession = 5;

/**
 * An account with a second factor also wants it within MFA_STEP_UP_WINDOW (mfa/step-up.ts).
 * Also the check that a session minting a credential is live in the database, not
 * only in this instance's memory (which may not have heard of a logout yet).
 */
export async function assertRecentAuthentication(runtime: Runtime, proof: Proof): Promise<void> {
  if (proof.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
  if (proof.kind !== 'session') return;
  const session = await runtime.db.session.findUnique({
    where: { id: proof.sessionId },
    select: { authenticatedAt: true, revokedAt: true, expiresAt: true },
  });
  if (!session || session.revokedAt || session.expiresAt <= runtime.clock()) throw new AppError('UNAUTHENTICATED');
  const windowSeconds = runtime.config.reauthWindow;
  const age = session?.authenticatedAt ? runtime.clock().getTime() - session.authenticatedAt.getTime() : Infinity;
  if (age > windowSeconds * 1000) throw new AppError(refusals.reauthenticationRequired(windowSeconds));
  await assertSecondFactorIfEnrolled(runtime, proof);
}

/** Records a fresh proof of identity on the session (reauthenticate, reauthenticateWithGoogle). */
export async function stampAuthentication(runtime: Runtime, sessionId: string): Promise<Date> {
  const now = runtime.clock();
  const { count } = await runtime.db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { authenticatedAt: now } });
  if (count === 0) throw new AppError('UNAUTHENTICATED');
  return now;
}

/**
 * The session user's password, checked through the login throttle keyed by the
 * account (as a sign-in would be). Misses are counted per session; the
 * `maxPasswordMissesPerSession`-th ends the session and answers RATE_LIMITED.
 */
export async function checkSessionPassword(runtime: Runtime, principal: SessionPrincipal, password: string, client: ClientInfo): Promise<boolean> {
  const user = await activeUserOrThrow(runtime, principal.userId);
  const address = client.ip ?? 'unknown';
  await reserveLoginAttempt(runtime, { userId: user.id }, address);
  if (await verifyPassword(user.passwordHash, password)) {
    await Promise.all([recordLoginSuccess(runtime, { userId: user.id }, address), runtime.limits.passwordMissesBySession.delete(principal.sessionId)]);
    return true;
  }
  await recordLoginFailure(runtime, { userId: user.id }, address);
  runtime.tokenEvents.record({ action: 'login', outcome: 'UNAUTHENTICATED', client, userId: user.id, sessionId: principal.sessionId });
  const misses = await runtime.limits.passwordMissesBySession.penalty(principal.sessionId);
  if (misses.consumedPoints >= maxPasswordMissesPerSession) {
    await endSession(runtime, principal.sessionId, 'password-guessing');
    runtime.logger.warn({ userId: user.id, sessionId: principal.sessionId }, 'session ended after repeated wrong passwords');
    throw new AppError(refusals.tooManyPasswordMisses);
  }
  return false;
}

/** reauthenticate(password): the caller's session counts as freshly signed in again. */
export async function reauthenticate(runtime: Runtime, principal: SessionPrincipal, password: string, client: ClientInfo): Promise<Date> {
  if (!(await checkSessionPassword(runtime, principal, password.slice(0, 1024), client))) throw new AppError(refusals.invalidLogin);
  return stampAuthentication(runtime, principal.sessionId);
}
