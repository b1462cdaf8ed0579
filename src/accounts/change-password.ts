import { z } from 'zod';
import { hashPassword } from '../crypto/password.js';
import { badInput } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { passwordLength, passwordProblem } from './password-policy.js';
import { announceNewPassword, endCredentialsForNewPassword } from './password-set.js';
import { assertSecondFactorIfEnrolled } from '../mfa/step-up.js';
import { checkSessionPassword, stampAuthentication } from './reauth.js';
import { activeUserOrThrow } from './users.js';

const changeSchema = z.object({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
  endOtherSessions: z.boolean().default(true),
  revokeApiKeys: z.boolean().default(false),
});

export type ChangePasswordInput = z.input<typeof changeSchema>;

/**
 * A signed-in user sets a new password. The current password is the
 * re-authentication this sensitive change needs; it goes through the login
 * throttle, and repeated misses end the session (accounts/reauth.ts). Every
 * other session ends unless `endOtherSessions` is false; API keys are revoked
 * when `revokeApiKeys` is true; unused recovery challenges die with the old password.
 */
export async function changePassword(runtime: Runtime, caller: SessionPrincipal, input: ChangePasswordInput, client: ClientInfo): Promise<void> {
  await assertSecondFactorIfEnrolled(runtime, caller);
  const { currentPassword, newPassword, endOtherSessions, revokeApiKeys } = parseOrThrow(changeSchema, input);
  const user = await activeUserOrThrow(runtime, caller.userId);
  const problem = passwordProblem(newPassword, user);
  if (problem) throw badInput([{ field: 'newPassword', message: problem }]);
  if (!(await checkSessionPassword(runtime, caller, currentPassword, client))) {
    throw badInput([{ field: 'currentPassword', message: 'is not the current password' }]);
  }
  const passwordHash = await hashPassword(newPassword);
  const now = runtime.clock();
  const options = { endSessions: endOtherSessions, revokeApiKeys };
  const ended = await runtime.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.challenge.updateMany({
      where: { userId: user.id, purpose: 'RESET_PASSWORD', consumedAt: null },
      data: { consumedAt: now },
    });
    return endCredentialsForNewPassword(runtime, tx, user.id, options, 'password-change', now, caller.sessionId);
  });
  await stampAuthentication(runtime, caller.sessionId);
  await announceNewPassword(runtime, user.id, ended, 'password-change', now, options, client);
}
