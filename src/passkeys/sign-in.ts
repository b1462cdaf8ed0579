import { stampAuthentication } from '../accounts/reauth.js';
import { activeUserOrThrow } from '../accounts/users.js';
import { AppError } from '../errors.js';
import { consumeOrThrow } from '../limits/limits.js';
import { loginAttempts } from '../metrics.js';
import { liveMfaChallenge, completeMfaChallenge } from '../mfa/challenge.js';
import { markSecondFactor } from '../mfa/step-up.js';
import type { ClientInfo, ClientType, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { startSession } from '../sessions/login.js';
import { assertionOptions, verifyAssertion } from './assertion.js';

/** A passkey with user verification is something held and something known or been: two factors alone (RFC 8176 hwk + user). */
export const passkeyAmr = ['hwk', 'user'];

export type PasskeyPurpose = 'SIGN_IN' | 'SECOND_FACTOR' | 'STEP_UP';

/** Options for an assertion: a sign-in (any passkey), a sign-in challenge's second factor, or a step-up in a session. */
export async function passkeyAuthenticationOptions(
  runtime: Runtime,
  request: { purpose: PasskeyPurpose; mfaChallengeId?: string | null; session?: SessionPrincipal | null },
  client: ClientInfo,
) {
  if (request.purpose === 'SIGN_IN') {
    // Anyone may ask, and each answer is a row until it expires: a point of the address's
    // sign-in budget (RATE_LIMIT_LOGIN_IP_PER_HOUR), given back by the sign-in it leads to.
    await consumeOrThrow(runtime.limits.loginFailuresByIp, client.ip ?? 'unknown');
    return assertionOptions(runtime, { purpose: 'sign-in' }, client);
  }
  if (request.purpose === 'SECOND_FACTOR') {
    const challenge = await liveMfaChallenge(runtime, request.mfaChallengeId ?? '', client);
    return assertionOptions(runtime, { purpose: 'second-factor', mfaChallengeId: challenge.id }, client, challenge.userId);
  }
  if (!request.session) throw new AppError('UNAUTHENTICATED');
  return assertionOptions(runtime, { purpose: 'step-up', sessionId: request.session.sessionId }, client, request.session.userId);
}

/** The first factor and the second at once: a session of aal2, as the password sign-in's session payload. */
export async function signInWithPasskey(runtime: Runtime, input: unknown, options: { clientType: ClientType; rememberMe: boolean }, client: ClientInfo) {
  const { userId } = await verifyAssertion(runtime, input, { purpose: 'sign-in' }, client, { operation: 'signed-in' }).catch((error: unknown) => {
    loginAttempts.inc({ method: 'passkey', outcome: error instanceof AppError ? error.code : 'INTERNAL' });
    throw error;
  });
  const user = await activeUserOrThrow(runtime, userId);
  await runtime.limits.loginFailuresByIp.reward(client.ip ?? 'unknown');
  loginAttempts.inc({ method: 'passkey', outcome: 'success' });
  return { ...(await startSession(runtime, user.id, { ...options, amr: passkeyAmr, mfaAt: runtime.clock() }, client)), user };
}

/** A passkey as the second factor of a sign-in challenge (after a password or Google). */
export async function verifyMfaWithPasskey(runtime: Runtime, challengeId: string, input: unknown, client: ClientInfo) {
  const challenge = await liveMfaChallenge(runtime, challengeId, client);
  await verifyAssertion(runtime, input, { purpose: 'second-factor', mfaChallengeId: challenge.id }, client, { operation: 'second-factor', userId: challenge.userId });
  return completeMfaChallenge(runtime, challenge, 'hwk', client);
}

/** Step-up with a passkey: a second factor now, and (user verified) a fresh sign-in too, as reauthenticate's. */
export async function stepUpWithPasskey(runtime: Runtime, principal: SessionPrincipal, input: unknown, client: ClientInfo): Promise<Date> {
  await activeUserOrThrow(runtime, principal.userId);
  await verifyAssertion(runtime, input, { purpose: 'step-up', sessionId: principal.sessionId }, client, {
    operation: 'step-up',
    userId: principal.userId,
    sessionId: principal.sessionId,
  });
  const now = runtime.clock();
  if (!(await markSecondFactor(runtime.db, principal.sessionId, 'hwk', now))) throw new AppError('UNAUTHENTICATED');
  await stampAuthentication(runtime, principal.sessionId);
  return now;
}
