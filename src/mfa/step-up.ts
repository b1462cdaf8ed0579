import { assuranceLevel } from '../crypto/access-token.js';
import { AppError, refusals } from '../errors.js';
import type { Proof } from '../accounts/reauth.js';
import type { Database } from '../db.js';
import type { SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';

export const hasSecondFactor = async (runtime: Runtime, userId: string) =>
  (await runtime.db.mfaFactor.count({ where: { userId, confirmedAt: { not: null } } })) > 0;

/**
 * Step-up: for an account with a second factor, every change that wants a recent
 * sign-in (accounts/reauth.ts: keys, the Google link, factors) and a password
 * change also want the session to have passed the second factor within
 * MFA_STEP_UP_WINDOW (at sign-in, or by stepUpMfa since). Keys are not asked:
 * they are automation's factor.
 */
export async function assertSecondFactorIfEnrolled(runtime: Runtime, proof: Proof): Promise<void> {
  if (proof.kind !== 'session') return;
  if (!(await hasSecondFactor(runtime, proof.userId))) return;
  await assertRecentSecondFactor(runtime, proof.sessionId);
}

export async function assertRecentSecondFactor(runtime: Runtime, sessionId: string): Promise<void> {
  const session = await runtime.db.session.findUnique({ where: { id: sessionId }, select: { mfaAt: true } });
  const windowSeconds = runtime.config.mfa.stepUpWindow;
  const age = session?.mfaAt ? runtime.clock().getTime() - session.mfaAt.getTime() : Infinity;
  if (age > windowSeconds * 1000) throw new AppError(refusals.stepUpRequired(windowSeconds));
}

/**
 * An administrator's session: with a second factor, passed within the step-up
 * window; without one, refused when REQUIRE_MFA_FOR_ADMINS is on (enrol first).
 */
export async function assertAdminSecondFactor(runtime: Runtime, principal: SessionPrincipal): Promise<void> {
  if (await hasSecondFactor(runtime, principal.userId)) return assertRecentSecondFactor(runtime, principal.sessionId);
  if (runtime.config.mfa.requireForAdmins) throw new AppError(refusals.adminNeedsSecondFactor);
}

/** Records on a live session that it passed a second factor now: its amr gains `method`, its step-up window starts. */
export async function markSecondFactor(db: Pick<Database, 'session'>, sessionId: string, method: 'otp' | 'recovery' | 'hwk', now: Date): Promise<boolean> {
  const session = await db.session.findFirst({ where: { id: sessionId, revokedAt: null }, select: { amr: true } });
  if (!session) return false;
  const amr = [...new Set([...session.amr.split(','), method])].join(',');
  await db.session.update({ where: { id: sessionId }, data: { mfaAt: now, amr } });
  return true;
}

/** How a session signed in (its amr) and the assurance level that gives: what whoami reports. Null for an unknown session. */
export async function sessionAssurance(runtime: Runtime, sessionId: string): Promise<{ amr: string[]; aal: string } | null> {
  const session = await runtime.db.session.findUnique({ where: { id: sessionId }, select: { amr: true } });
  if (!session) return null;
  const amr = session.amr.split(',');
  return { amr, aal: assuranceLevel({ amr }) };
}
