import { z } from 'zod';
import { passwordLength, passwordProblem } from '../accounts/password-policy.js';
import { announceNewPassword, endCredentialsForNewPassword, type PasswordSetOptions } from '../accounts/password-set.js';
import { sha256 } from '../crypto/hash.js';
import { hashPassword } from '../crypto/password.js';
import { badInput } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { answerByCode, emailSchema, type ChallengeResult } from './answer.js';
import { issueChallenge } from './challenge.js';
import { parseRedirectTarget } from './redirect.js';

/**
 * Mails a recovery challenge (code and link) to the account with this address.
 * Like resendVerification it answers before looking the address up: an unknown
 * address gets the same answer in the same time, and no mail at all. `redirectTo`
 * is where the mail's page sends the browser on after the reset (challenges/redirect.ts).
 */
export function forgotPassword(runtime: Runtime, email: string, redirectTo?: string | null): void {
  const address = parseOrThrow(emailSchema, email);
  const extras = { redirectTo: parseRedirectTarget(runtime.config, redirectTo) };
  runtime.background.run('forgot-password', async () => {
    const user = await runtime.db.user.findFirst({ where: { email: address, disabledAt: null }, select: { id: true, email: true } });
    if (user) await issueChallenge(runtime, user, 'RESET_PASSWORD', extras);
  });
}

/** The code from the recovery mail, for a reset token (the link gives one through answerChallenge). */
export function verifyRecoveryCode(runtime: Runtime, input: { email: string; code: string }): Promise<ChallengeResult> {
  return answerByCode(runtime, input, 'RESET_PASSWORD');
}

const resetSchema = z.object({
  token: z.string().trim().min(1, 'is required').max(128),
  newPassword: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
});

const tokenRefused = () => badInput([{ field: 'token', message: 'is invalid, expired or already used' }]);

/**
 * Sets a new password with the token of an answered recovery challenge; ends
 * every session of the account and revokes its API keys as `options` say (by
 * default the sessions end and the keys stay), and mails the owner. The token is claimed by a
 * conditional update in the same transaction as the password change, so two
 * parallel resets with one token change the password once. The answer is where the
 * recovery mail's page sends the browser on, as forgotPassword was asked.
 */
export async function resetPassword(
  runtime: Runtime,
  input: { token: string; newPassword: string },
  options: PasswordSetOptions = { endSessions: true, revokeApiKeys: false },
): Promise<{ redirectTo: string | null }> {
  const { token, newPassword } = parseOrThrow(resetSchema, input);
  const now = runtime.clock();
  const challenge = await runtime.db.challenge.findFirst({
    where: { resetTokenHash: sha256(token), purpose: 'RESET_PASSWORD', consumedAt: null, expiresAt: { gt: now }, user: { disabledAt: null } },
    select: { id: true, userId: true, redirectPath: true, user: { select: { username: true, email: true } } },
  });
  if (!challenge?.userId || !challenge.user) throw tokenRefused();
  const { userId } = challenge;
  const problem = passwordProblem(newPassword, challenge.user);
  if (problem) throw badInput([{ field: 'newPassword', message: problem }]);
  const passwordHash = await hashPassword(newPassword);
  const ended = await runtime.db.$transaction(async (tx) => {
    const claimed = await tx.challenge.updateMany({
      where: { id: challenge.id, consumedAt: null, expiresAt: { gt: now } },
      data: { consumedAt: now },
    });
    if (claimed.count === 0) throw tokenRefused();
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    return endCredentialsForNewPassword(runtime, tx, userId, options, 'password-reset', now);
  });
  await announceNewPassword(runtime, userId, ended, 'password-reset', now, options);
  return { redirectTo: challenge.redirectPath };
}

/**
 * RESTume's reset in one step: the e-mail and the six-digit code from the recovery
 * mail, and the new password. The rules that need no account are checked first;
 * the one that needs it (not the username) once the code is right, before the code
 * is spent: a refused password never spends it, and only the mailbox's owner learns
 * anything about the account. The code counts and dies like any other (five tries).
 */
export async function resetPasswordWithCode(
  runtime: Runtime,
  input: { email: string; code: string; newPassword: string },
  options?: PasswordSetOptions,
): Promise<void> {
  const refuse = (problem: string | null) => {
    if (problem) throw badInput([{ field: 'newPassword', message: problem }]);
  };
  refuse(passwordProblem(input.newPassword, { email: input.email }));
  const { resetToken } = await answerByCode(runtime, input, 'RESET_PASSWORD', async (userId) => {
    const user = await runtime.db.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, email: true } });
    refuse(passwordProblem(input.newPassword, user));
  });
  await resetPassword(runtime, { token: resetToken!, newPassword: input.newPassword }, options);
}
