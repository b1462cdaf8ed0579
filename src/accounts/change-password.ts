import { z } from 'zod';
import { hashPassword, verifyPassword } from '../crypto/password.js';
import { AppError, badInput } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { announceEnded, endUserSessions } from '../sessions/revoke.js';
import { parseOrThrow } from '../validation.js';
import { passwordLength, passwordProblem } from './password-policy.js';
import { activeUserOrThrow } from './users.js';

const changeSchema = z.object({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
});

/**
 * A signed-in user sets a new password. Every other session ends, this one
 * stays; API keys stay; unused recovery challenges die with the old password.
 */
export async function changePassword(
  runtime: Runtime,
  caller: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const { currentPassword, newPassword } = parseOrThrow(changeSchema, input);
  const user = await activeUserOrThrow(runtime, caller.userId);
  const problem = passwordProblem(newPassword, user);
  if (problem) throw badInput([{ field: 'newPassword', message: problem }]);
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw badInput([{ field: 'currentPassword', message: 'is not the current password' }]);
  }
  const passwordHash = await hashPassword(newPassword);
  const now = runtime.clock();
  const revoked = await runtime.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.challenge.updateMany({
      where: { userId: user.id, purpose: 'RESET_PASSWORD', consumedAt: null },
      data: { consumedAt: now },
    });
    return endUserSessions(tx, user.id, 'password-change', now, caller.sessionId);
  });
  announceEnded(runtime, user.id, revoked, 'password-change', now);
  runtime.logger.info({ userId: user.id, sessionsRevoked: revoked.length }, 'password changed');
}
