import { AppError, type Refusal, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { answerByCode, emailSchema } from './answer.js';
import { issueChallenge } from './challenge.js';
import { parseRedirectTarget } from './redirect.js';

/** The six-digit code from the verification mail proves the address. */
export async function verifyEmail(runtime: Runtime, input: { email: string; code: string }): Promise<void> {
  await answerByCode(runtime, input, 'VERIFY_EMAIL');
}

/**
 * Mails a fresh verification challenge to an unverified account. The caller
 * gets its answer before the address is even looked up, so neither the answer
 * nor its timing says whether the account exists. `redirectTo` is where the
 * mail's page sends the browser on (challenges/redirect.ts).
 */
export function resendVerification(runtime: Runtime, email: string, redirectTo?: string | null): void {
  const address = parseOrThrow(emailSchema, email);
  const extras = { redirectTo: parseRedirectTarget(runtime.config, redirectTo) };
  runtime.background.run('resend-verification', async () => {
    const user = await runtime.db.user.findFirst({
      where: { email: address, emailVerified: false, disabledAt: null },
      select: { id: true, email: true },
    });
    if (user) await issueChallenge(runtime, user, 'VERIFY_EMAIL', extras);
  });
}

/**
 * For features that need a proven address (API keys); REQUIRE_VERIFIED_EMAIL=false
 * turns it off. A door may word the refusal in its own routes.
 */
export async function assertEmailVerified(runtime: Runtime, userId: string, refusal: Refusal = refusals.emailNotVerified): Promise<void> {
  if (!runtime.config.requireVerifiedEmail) return;
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  if (!user?.emailVerified) throw new AppError(refusal);
}
