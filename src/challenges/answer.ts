import { z } from 'zod';
import { normalizeLogin } from '../accounts/users.js';
import { constantTimeEqual, sha256 } from '../crypto/hash.js';
import { oneTimeCodeHash, oneTimeCodePattern } from '../crypto/one-time-code.js';
import { randomToken } from '../crypto/random.js';
import type { Database } from '../db.js';
import { AppError, badInput, refusals } from '../errors.js';
import type { Challenge } from '../generated/sqlite/client.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { challengeCapWindowMs, maxChallengeAttempts, openChallenge, type ChallengePurpose } from './challenge.js';
import { recordCommitted, writeOutbox, type ChangeEvent } from '../webhooks/outbox.js';

/** What answering a challenge proved; `purpose` is the one asked for. */
export type SettledChallenge<P extends ChallengePurpose = ChallengePurpose> = {
  purpose: P;
  emailVerified: boolean;
  /** For RESET_PASSWORD only: what resetPassword takes. */
  resetToken: string | null;
  resetTokenExpiresAt: Date | null;
  /** The account the challenge was for; null for a SIGN_IN to an address with no account yet. */
  userId: string | null;
  /** Where the page opened from the mail sends the browser on, as the request asked (challenges/redirect.ts). */
  redirectTo: string | null;
};

/** What the doors' answerChallenge and verifyRecoveryCode show: a SIGN_IN is answered only by signing in (passwordless/). */
export type ChallengeResult = SettledChallenge<Exclude<ChallengePurpose, 'SIGN_IN'>>;

/** A challenge of an enabled account, or (SIGN_IN with PASSWORDLESS_SIGNUP) of no account yet. */
const ofActiveOrNoAccount = { OR: [{ userId: null }, { user: { disabledAt: null } }] };

export const emailSchema = z.string().transform(normalizeLogin).pipe(z.string().email('must be an e-mail address').max(254));

const codeInputSchema = z.object({
  email: emailSchema,
  code: z
    .string()
    .max(32)
    .transform((code) => code.replace(/\s/g, ''))
    .pipe(z.string().regex(oneTimeCodePattern, 'must be six digits')),
});

const uidInputSchema = z.object({ uid: z.string().trim().min(1, 'is required').max(128) });

/** The one refusal of a code: wrong, unknown address, expired, used, or over a cap, alike. */
export const codeRefused = () =>
  badInput([{ field: 'code', message: 'is wrong, expired or used up, or too many wrong codes were sent for this address today; request a new one' }]);

/**
 * Wrong codes answered for an address in the last day, read from its challenges:
 * each counts its attempts, the right one among them too when it was verified.
 */
async function wrongCodesToday(runtime: Runtime, email: string, now: Date): Promise<number> {
  const challenges = await runtime.db.challenge.findMany({
    where: { email, createdAt: { gt: new Date(now.getTime() - challengeCapWindowMs) } },
    select: { attempts: true, verifiedAt: true },
  });
  return challenges.reduce((sum, { attempts, verifiedAt }) => sum + Math.max(0, attempts - (verifiedAt ? 1 : 0)), 0);
}

/**
 * The newest open challenge of that address and purpose, answered by its code.
 * The attempt is counted before the code is compared, in one conditional update,
 * so parallel guesses cannot get past the limit. `acceptable` runs once the code
 * is right and before the challenge is spent: what it refuses leaves it open.
 * Past CHALLENGE_FAILURES_PER_DAY wrong codes for the address, every code is
 * refused, with the answer a wrong code or an unknown address gets (fresh
 * challenges every RESEND_INTERVAL would otherwise allow thousands of guesses a day).
 */
export async function answerByCode<P extends ChallengePurpose>(
  runtime: Runtime,
  input: { email: string; code: string },
  purpose: P,
  acceptable: (userId: string) => Promise<void> = async () => {},
): Promise<SettledChallenge<P>> {
  const { email, code } = parseOrThrow(codeInputSchema, input);
  const now = runtime.clock();
  if ((await wrongCodesToday(runtime, email, now)) >= runtime.config.challenges.failuresPerDay) throw codeRefused();
  const challenge = await runtime.db.challenge.findFirst({
    where: { email, purpose, ...openChallenge(now), ...ofActiveOrNoAccount },
    orderBy: { createdAt: 'desc' },
  });
  if (!challenge) throw codeRefused();
  const counted = await runtime.db.challenge.updateMany({
    where: { id: challenge.id, attempts: { lt: maxChallengeAttempts }, ...openChallenge(now) },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count === 0 || !constantTimeEqual(oneTimeCodeHash(runtime.serverSecret, challenge.id, code), challenge.codeHash)) {
    throw codeRefused();
  }
  if (challenge.userId) await acceptable(challenge.userId);
  const result = await settle(runtime, challenge, now, {});
  if (!result) throw codeRefused();
  return { ...result, purpose };
}

export const uidRefused = () => badInput([{ field: 'uid', message: 'is unknown, expired or already used' }]);

/** A challenge answered by the uid from its link: knowing it is the proof. A SIGN_IN link is not answered here (answerSignInLink). */
export async function answerByUid(runtime: Runtime, input: { uid: string }): Promise<ChallengeResult> {
  const { uid } = parseOrThrow(uidInputSchema, input);
  const now = runtime.clock();
  const challenge = await runtime.db.challenge.findFirst({ where: { uidHash: sha256(uid), purpose: { not: 'SIGN_IN' }, user: { disabledAt: null } } });
  const result = challenge && (await settle(runtime, challenge, now, { attempts: { lt: maxChallengeAttempts } }));
  if (!result) throw uidRefused();
  return { ...result, purpose: result.purpose as ChallengeResult['purpose'] };
}

/** The open SIGN_IN challenge of a link uid, with the code its mail carried; null when there is none. */
export async function openSignInLink(runtime: Runtime, uid: string) {
  const parsed = uidInputSchema.safeParse({ uid });
  if (!parsed.success) return null;
  const now = runtime.clock();
  return runtime.db.challenge.findFirst({
    where: { uidHash: sha256(parsed.data.uid), purpose: 'SIGN_IN', attempts: { lt: maxChallengeAttempts }, ...openChallenge(now), ...ofActiveOrNoAccount },
  });
}

/** Whether the nonce (from the cookie of the browser at hand) is the one the SIGN_IN was requested with. */
export const isRequestingBrowser = (challenge: Pick<Challenge, 'nonceHash'>, nonce: string | undefined) =>
  !!nonce && !!challenge.nonceHash && constantTimeEqual(sha256(nonce), challenge.nonceHash);

/**
 * A SIGN_IN link answered in the browser that requested it: the uid and that
 * browser's nonce together are the proof; the uid alone (a forwarded link) is not.
 */
export async function answerSignInLink(
  runtime: Runtime,
  uid: string,
  nonce: string | undefined,
): Promise<SettledChallenge<'SIGN_IN'> & { email: string }> {
  const challenge = await openSignInLink(runtime, uid);
  if (!challenge || !isRequestingBrowser(challenge, nonce)) throw uidRefused();
  const result = await settle(runtime, challenge, runtime.clock(), { attempts: { lt: maxChallengeAttempts } });
  if (!result) throw uidRefused();
  return { ...result, purpose: 'SIGN_IN', email: challenge.email };
}

/** The account takes the proven address, unless another account registered it meanwhile. */
async function moveEmail(tx: Pick<Database, 'user'>, challenge: Challenge, userId: string): Promise<boolean> {
  const taken = await tx.user.findFirst({ where: { email: challenge.email, id: { not: userId } }, select: { id: true } });
  if (taken) throw new AppError(refusals.alreadyRegistered('email'));
  await tx.user.update({ where: { id: userId }, data: { email: challenge.email, emailVerified: false } });
  return true;
}

/**
 * Claims the challenge with a conditional update (of parallel answers, one wins)
 * and marks the address verified, since either purpose proves control of it. A
 * recovery challenge yields a reset token living CHALLENGE_TTL from now.
 */
async function settle(
  runtime: Runtime,
  challenge: Challenge,
  now: Date,
  condition: { attempts?: { lt: number } },
): Promise<SettledChallenge | null> {
  const reset =
    challenge.purpose === 'RESET_PASSWORD'
      ? { token: randomToken(32), expiresAt: new Date(now.getTime() + runtime.config.challenges.ttl * 1000) }
      : null;
  let events: ChangeEvent[] = [];
  const settled = await runtime.db.$transaction(async (tx) => {
    const claimed = await tx.challenge.updateMany({
      where: { id: challenge.id, ...openChallenge(now), ...condition },
      data: reset
        ? { verifiedAt: now, resetTokenHash: sha256(reset.token), expiresAt: reset.expiresAt }
        : { verifiedAt: now, consumedAt: now },
    });
    if (claimed.count === 0) return null;
    const { userId } = challenge;
    const base = {
      purpose: challenge.purpose as ChallengePurpose,
      resetToken: reset?.token ?? null,
      resetTokenExpiresAt: reset?.expiresAt ?? null,
      userId,
      redirectTo: challenge.redirectPath,
    };
    if (!userId) return { ...base, emailVerified: true };
    // A CHANGE_EMAIL challenge was mailed to the new address: proving it makes it the account's.
    const changed = challenge.purpose === 'CHANGE_EMAIL' && (await moveEmail(tx, challenge, userId));
    const newlyVerified = await tx.user.updateMany({
      where: { id: userId, email: challenge.email, emailVerified: false },
      data: { emailVerified: true },
    });
    const verified = { count: await tx.user.count({ where: { id: userId, email: challenge.email } }) };
    if (changed) events = [{ action: 'email-changed', outcome: 'success', userId, data: { email: challenge.email } }];
    else if (newlyVerified.count === 1) events = [{ action: 'email-verified', outcome: 'success', userId, data: { email: challenge.email } }];
    await writeOutbox(tx, runtime, events);
    return { ...base, emailVerified: verified.count === 1 };
  });
  recordCommitted(runtime, events);
  return settled;
}
