import { randomUUID } from 'node:crypto';
import { sha256 } from '../crypto/hash.js';
import { newOneTimeCode, oneTimeCodeHash, oneTimeCodeOfUid } from '../crypto/one-time-code.js';
import { randomToken } from '../crypto/random.js';
import { challengeMail } from '../mail/templates.js';
import type { Runtime } from '../runtime.js';

export type ChallengePurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD' | 'CHANGE_EMAIL' | 'SIGN_IN';

/** Wrong codes a challenge survives; after that even the right code and the link fail. */
export const maxChallengeAttempts = 5;

/** The window of the daily caps per e-mail address (CHALLENGE_MAILS_PER_DAY, CHALLENGE_FAILURES_PER_DAY). */
export const challengeCapWindowMs = 24 * 3600 * 1000;

/** Not answered, not used, not expired. */
export const openChallenge = (now: Date) => ({ verifiedAt: null, consumedAt: null, expiresAt: { gt: now } });

export type NewChallenge = {
  code: string;
  uid: string;
  record: {
    id: string;
    purpose: ChallengePurpose;
    email: string;
    codeHash: string;
    uidHash: string;
    createdAt: Date;
    expiresAt: Date;
    nonceHash?: string | null;
    /** The redirect target (challenges/redirect.ts); the column kept its first name, from when it held paths only. */
    redirectPath?: string | null;
  };
};

/**
 * What a challenge may keep besides its code and uid: where its page sends the browser
 * on (challenges/redirect.ts), and for a SIGN_IN the hash of the requesting browser's nonce (passwordless/).
 */
export type ChallengeExtras = { nonceHash?: string; redirectTo?: string | null };

/**
 * A six-digit code and a 192-bit link uid; the row to store keeps only their hashes.
 * A SIGN_IN code is derived from the uid, so that its link page can show it.
 */
export function newChallenge(runtime: Runtime, purpose: ChallengePurpose, email: string, extras?: ChallengeExtras): NewChallenge {
  const now = runtime.clock();
  const id = randomUUID();
  const uid = randomToken(24);
  const code = purpose === 'SIGN_IN' ? oneTimeCodeOfUid(runtime.serverSecret, uid) : newOneTimeCode();
  return {
    code,
    uid,
    record: {
      id,
      purpose,
      email,
      codeHash: oneTimeCodeHash(runtime.serverSecret, id, code),
      uidHash: sha256(uid),
      createdAt: now,
      expiresAt: new Date(now.getTime() + runtime.config.challenges.ttl * 1000),
      nonceHash: extras?.nonceHash ?? null,
      redirectPath: extras?.redirectTo ?? null,
    },
  };
}

export const challengeLink = (runtime: Runtime, uid: string) => `${runtime.config.publicUrl}/challenge/${uid}`;

/** Queues the challenge's mail; never waits for it nor fails. */
export function mailChallenge(runtime: Runtime, { code, uid, record }: NewChallenge): void {
  runtime.mailer.send(
    challengeMail(runtime, {
      purpose: record.purpose,
      to: record.email,
      code,
      link: challengeLink(runtime, uid),
      ttlSeconds: runtime.config.challenges.ttl,
    }),
  );
}

/**
 * Starts a challenge for a user and mails it, superseding the unused ones of the
 * same purpose (only the newest code works), unless the address got one of that
 * purpose less than RESEND_INTERVAL ago, or CHALLENGE_MAILS_PER_DAY of any purpose
 * in the last day (each mail is a row, so the rows count them).
 */
export async function issueChallenge(
  runtime: Runtime,
  user: { id: string | null; email: string },
  purpose: ChallengePurpose,
  extras?: ChallengeExtras,
): Promise<void> {
  const now = runtime.clock();
  // A SIGN_IN to an unknown address (PASSWORDLESS_SIGNUP) has no account yet: its challenges are the address's.
  const owner = user.id ? { userId: user.id } : { userId: null, email: user.email };
  const issued = await runtime.db.$transaction(async (tx) => {
    // Writing the user's row locks it until commit: parallel requests for one address queue here and see each other's challenge.
    if (user.id) await tx.user.update({ where: { id: user.id }, data: { updatedAt: now } });
    const latest = await tx.challenge.findFirst({
      where: { email: user.email, purpose },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    if (latest && now.getTime() - latest.createdAt.getTime() < runtime.config.challenges.resendInterval * 1000) return null;
    const mailedToday = await tx.challenge.count({
      where: { email: user.email, createdAt: { gt: new Date(now.getTime() - challengeCapWindowMs) } },
    });
    if (mailedToday >= runtime.config.challenges.mailsPerDay) return null;
    const challenge = newChallenge(runtime, purpose, user.email, extras);
    await tx.challenge.updateMany({
      where: { ...owner, purpose, consumedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await tx.challenge.create({ data: { ...challenge.record, userId: user.id } });
    return challenge;
  });
  if (issued) mailChallenge(runtime, issued);
  else runtime.logger.info({ purpose }, 'challenge mail throttled');
}
