import type { MfaChallengeDetail } from '../errors.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import type { SessionOptions } from '../sessions/login.js';

/** Wrong codes a challenge takes before it dies (the login throttle counts them as well). */
export const maxChallengeFailures = 5;
const codeMethods = ['totp', 'recovery_code'];

/** A sign-in that passed its first factor (`pwd`, `google` or `email`) and now waits for the second: a code, or a passkey when the account has one. */
export async function startMfaChallenge(
  runtime: Runtime,
  userId: string,
  firstFactor: 'pwd' | 'google' | 'email',
  options: SessionOptions,
  client: ClientInfo,
): Promise<MfaChallengeDetail> {
  const now = runtime.clock();
  const expiresAt = new Date(now.getTime() + runtime.config.mfa.challengeTtl * 1000);
  const challenge = await runtime.db.mfaChallenge.create({
    data: { userId, firstFactor, clientType: options.clientType, rememberMe: options.rememberMe, userAgent: client.userAgent, createdAt: now, expiresAt },
    select: { id: true },
  });
  const hasPasskey = (await runtime.db.passkey.count({ where: { userId } })) > 0;
  return { challengeId: challenge.id, expiresAt, methods: hasPasskey ? [...codeMethods, 'passkey'] : codeMethods };
}

