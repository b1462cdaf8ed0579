import { activeUserOrThrow } from '../accounts/users.js';
import { AppError, refusals } from '../errors.js';
import { recordLoginFailure, recordLoginSuccess, reserveLoginAttempt } from '../limits/login-throttle.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { startSession, type SessionOptions } from '../sessions/login.js';
import { maxChallengeFailures } from './challenge-start.js';
import { confirmedFactorsWithSecrets, totpForFactor } from './factors.js';
import { looksLikeRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import { markSecondFactor } from './step-up.js';
import { stepOfCode } from './totp.js';

/** The second factor a code proves: a TOTP code (once per time step) or an unused recovery code. */
async function secondFactorOf(runtime: Runtime, user: { id: string; username: string }, code: string): Promise<'otp' | 'recovery' | null> {
  const now = runtime.clock();
  for (const factor of await confirmedFactorsWithSecrets(runtime, user.id)) {
    const step = stepOfCode(totpForFactor(runtime, factor, user.username), code, now);
    if (step === null) continue;
    // Claimed atomically: the same code (or an older one) is never accepted twice.
    const claimed = await runtime.db.mfaFactor.updateMany({
      where: { id: factor.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    return claimed.count === 1 ? 'otp' : null;
  }
  if (!looksLikeRecoveryCode(code)) return null;
  const used = await runtime.db.recoveryCode.updateMany({
    where: { userId: user.id, codeHash: recoveryCodeHash(runtime, code), usedAt: null },
    data: { usedAt: now },
  });
  return used.count === 1 ? 'recovery' : null;
}

/**
 * A code checked as a sign-in would be: through the account's login throttle, a miss
 * counted there and logged as `failedOperation` (after `onMiss`), then refused.
 */
async function provenSecondFactor(
  runtime: Runtime,
  user: { id: string; username: string },
  code: string,
  client: ClientInfo,
  miss: { failedOperation: string; sessionId?: string; onMiss?: () => Promise<unknown> },
): Promise<'otp' | 'recovery'> {
  const account = { userId: user.id };
  const address = client.ip ?? 'unknown';
  await reserveLoginAttempt(runtime, account, address);
  const method = await secondFactorOf(runtime, user, code.trim());
  if (!method) {
    await miss.onMiss?.();
    await recordLoginFailure(runtime, account, address);
    runtime.tokenEvents.record({ action: 'mfa', outcome: 'UNAUTHENTICATED', operation: miss.failedOperation, client, userId: user.id, sessionId: miss.sessionId });
    throw new AppError(refusals.wrongMfaCode);
  }
  await recordLoginSuccess(runtime, account, address);
  return method;
}

type MfaChallengeRow = { id: string; userId: string; firstFactor: string; clientType: string; rememberMe: boolean };

/** A sign-in challenge that may still be answered: live, unused, not failed out, and from the client that started it. */
export async function liveMfaChallenge(runtime: Runtime, challengeId: string, client: ClientInfo) {
  const challenge = await runtime.db.mfaChallenge.findUnique({ where: { id: challengeId } }).catch(() => null);
  const live = challenge && !challenge.usedAt && challenge.expiresAt > runtime.clock() && challenge.failures < maxChallengeFailures;
  if (!live || challenge.userAgent !== client.userAgent) throw new AppError(refusals.mfaChallengeInvalid);
  return challenge;
}

/** Spends a challenge whose second factor (`method`) was proven, and starts the session it was for. */
export async function completeMfaChallenge(runtime: Runtime, challenge: MfaChallengeRow, method: 'otp' | 'recovery' | 'hwk', client: ClientInfo) {
  const now = runtime.clock();
  const user = await activeUserOrThrow(runtime, challenge.userId);
  const spent = await runtime.db.mfaChallenge.updateMany({ where: { id: challenge.id, usedAt: null }, data: { usedAt: now } });
  if (spent.count !== 1) throw new AppError(refusals.mfaChallengeInvalid);
  const operation = { otp: 'challenge-passed', recovery: 'recovery-code-used', hwk: 'challenge-passed-with-passkey' }[method];
  runtime.tokenEvents.record({ action: 'mfa', outcome: 'success', operation, client, userId: user.id });
  const options: SessionOptions = {
    clientType: challenge.clientType as SessionOptions['clientType'],
    rememberMe: challenge.rememberMe,
    amr: [challenge.firstFactor, method],
    mfaAt: now,
  };
  return { ...(await startSession(runtime, user.id, options, client)), user };
}

/**
 * Completes a sign-in with a TOTP or recovery code (passkeys/sign-in.ts: with a
 * passkey). Wrong codes count against the challenge and the account's login throttle.
 */
export async function verifyMfa(runtime: Runtime, challengeId: string, code: string, client: ClientInfo) {
  const challenge = await liveMfaChallenge(runtime, challengeId, client);
  const user = await activeUserOrThrow(runtime, challenge.userId);
  const method = await provenSecondFactor(runtime, user, code, client, {
    failedOperation: 'challenge-failed',
    onMiss: () => runtime.db.mfaChallenge.update({ where: { id: challenge.id }, data: { failures: { increment: 1 } } }),
  });
  return completeMfaChallenge(runtime, challenge, method, client);
}

/** Step-up: a code confirms the second factor in a signed-in session (sensitive changes want it within MFA_STEP_UP_WINDOW). */
export async function stepUpMfa(runtime: Runtime, principal: SessionPrincipal, code: string, client: ClientInfo): Promise<Date> {
  const user = await activeUserOrThrow(runtime, principal.userId);
  const method = await provenSecondFactor(runtime, user, code, client, { failedOperation: 'step-up-failed', sessionId: principal.sessionId });
  const now = runtime.clock();
  if (!(await markSecondFactor(runtime.db, principal.sessionId, method, now))) throw new AppError('UNAUTHENTICATED');
  runtime.tokenEvents.record({ action: 'mfa', outcome: 'success', operation: method === 'otp' ? 'step-up' : 'recovery-code-used', client, userId: user.id, sessionId: principal.sessionId });
  return now;
}
