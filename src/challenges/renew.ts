import { sha256 } from '../crypto/hash.js';
import { requestSignInLink } from '../passwordless/request.js';
import type { Runtime } from '../runtime.js';
import type { ChallengePurpose } from './challenge.js';
import { resendVerification } from './email-verification.js';
import { forgotPassword } from './password-recovery.js';
import { allowedRedirect } from './redirect.js';

/** The purpose of the challenge a link's uid belongs to, used or not; null for an unknown uid. */
export async function purposeOfLink(runtime: Runtime, uid: string): Promise<ChallengePurpose | null> {
  if (uid.length > 128) return null;
  const challenge = await runtime.db.challenge.findUnique({ where: { uidHash: sha256(uid) }, select: { purpose: true } });
  return (challenge?.purpose as ChallengePurpose | undefined) ?? null;
}

/**
 * A new mail in place of a link that no longer works: the request that sent the
 * first one (resendVerification, forgotPassword, requestSignInLink) again for its
 * address and redirect target, so the same throttles apply (RESEND_INTERVAL,
 * CHALLENGE_MAILS_PER_DAY) and the answer says nothing about the account. An
 * address change is asked for again only by the signed-in account. For a SIGN_IN
 * the answer is the nonce of this browser's cookie, as requestSignInLink's.
 */
export async function renewLink(runtime: Runtime, uid: string): Promise<{ nonce: string } | null> {
  if (uid.length > 128) return null;
  const challenge = await runtime.db.challenge.findUnique({ where: { uidHash: sha256(uid) }, select: { purpose: true, email: true, redirectPath: true } });
  if (!challenge) return null;
  // A target REDIRECT_ALLOWLIST no longer allows is dropped, not refused: the person still gets the mail.
  const redirectTo = challenge.redirectPath && allowedRedirect(runtime.config, challenge.redirectPath);
  if (challenge.purpose === 'VERIFY_EMAIL') resendVerification(runtime, challenge.email, redirectTo);
  if (challenge.purpose === 'RESET_PASSWORD') forgotPassword(runtime, challenge.email, redirectTo);
  if (challenge.purpose === 'SIGN_IN') return requestSignInLink(runtime, { email: challenge.email, redirect: redirectTo });
  return null;
}
