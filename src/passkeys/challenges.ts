import { sha256 } from '../crypto/hash.js';
import { randomFillSync } from 'node:crypto';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';

/**
 * What a challenge is for, and what it is bound to: a registration or a step-up
 * to the session that asked; a second factor to the sign-in challenge it answers;
 * a first-factor sign-in (no account known yet) to the client that asked.
 */
export type ChallengeBinding =
  | { purpose: 'register' | 'step-up'; sessionId: string }
  | { purpose: 'second-factor'; mfaChallengeId: string }
  | { purpose: 'sign-in' };

/**
 * A fresh random challenge (the options carry it base64url-encoded, and the browser
 * signs that text). Only its hash is kept, as a row with an expiry: any instance
 * can answer it, once.
 */
export async function issueChallenge(runtime: Runtime, binding: ChallengeBinding, userAgent: string): Promise<Uint8Array<ArrayBuffer>> {
  const now = runtime.clock();
  const challenge = randomFillSync(new Uint8Array(32));
  await runtime.db.webauthnChallenge.deleteMany({ where: { expiresAt: { lt: now } } });
  await runtime.db.webauthnChallenge.create({
    data: {
      challengeHash: sha256(Buffer.from(challenge).toString('base64url')),
      purpose: binding.purpose,
      sessionId: 'sessionId' in binding ? binding.sessionId : null,
      mfaChallengeId: 'mfaChallengeId' in binding ? binding.mfaChallengeId : null,
      userAgent,
      createdAt: now,
      expiresAt: new Date(now.getTime() + runtime.config.mfa.challengeTtl * 1000),
    },
  });
  return challenge;
}

/** The challenge a browser signed, read from its clientDataJSON (plain JSON; the library checks the rest). */
export function signedChallenge(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null;
  try {
    const clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' ? clientData.challenge : null;
  } catch {
    return null;
  }
}

/**
 * Spends the challenge a response answers: it must be live, for this purpose, bound
 * as asked and from the same client. Deleted before the signature is checked, so
 * a replay (or a second try after a failure) finds nothing.
 */
export async function claimChallenge(runtime: Runtime, clientDataJSON: unknown, binding: ChallengeBinding, userAgent: string): Promise<string> {
  const challenge = signedChallenge(clientDataJSON);
  if (!challenge) throw new AppError(refusals.passkeyChallengeInvalid);
  const { count } = await runtime.db.webauthnChallenge.deleteMany({
    where: {
      challengeHash: sha256(challenge),
      purpose: binding.purpose,
      expiresAt: { gt: runtime.clock() },
      userAgent,
      ...('sessionId' in binding && { sessionId: binding.sessionId }),
      ...('mfaChallengeId' in binding && { mfaChallengeId: binding.mfaChallengeId }),
    },
  });
  if (count !== 1) throw new AppError(refusals.passkeyChallengeInvalid);
  return challenge;
}
