import { z } from 'zod';
import { actedBy } from '../audit/actor.js';
import { hashPassword } from '../crypto/password.js';
import { AppError, badInput, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { fullNameSchema, parseOrThrow } from '../validation.js';
import { getAccount } from './account.js';
import { notifyAccountChange } from './change-notice.js';
import { passwordLength, passwordProblem } from './password-policy.js';
import { assertRecentAuthentication } from './reauth.js';
import { activeUserOrThrow } from './users.js';
import { commitWithEvents } from '../webhooks/outbox.js';

const profileSchema = z.object({ fullName: fullNameSchema.nullable() });

/** updateProfile: the display name (null or empty clears it). */
export async function updateProfile(runtime: Runtime, caller: SessionPrincipal, input: { fullName: string | null }, client: ClientInfo) {
  await assertRecentAuthentication(runtime, caller);
  const { fullName } = parseOrThrow(profileSchema, input);
  await runtime.db.user.update({ where: { id: caller.userId }, data: { fullName: fullName || null } });
  runtime.tokenEvents.record({ action: 'profile-updated', outcome: 'success', userId: caller.userId, sessionId: caller.sessionId, ...actedBy(caller, client) });
  return getAccount(runtime, caller.userId);
}

const passwordSchema = z.object({
  newPassword: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
});

/**
 * setPassword: a first password for an account that has none (one made by Google
 * sign-in, or joined by it). An account with a password changes it with changePassword.
 */
export async function setPassword(runtime: Runtime, caller: SessionPrincipal, input: { newPassword: string }, client: ClientInfo) {
  await assertRecentAuthentication(runtime, caller);
  const { newPassword } = parseOrThrow(passwordSchema, input);
  const user = await activeUserOrThrow(runtime, caller.userId);
  if (user.passwordHash) throw new AppError(refusals.passwordAlreadySet);
  const problem = passwordProblem(newPassword, user);
  if (problem) throw badInput([{ field: 'newPassword', message: problem }]);
  const passwordHash = await hashPassword(newPassword);
  const { count } = await commitWithEvents(
    runtime,
    (tx) => tx.user.updateMany({ where: { id: user.id, passwordHash: null }, data: { passwordHash } }),
    (set) => (set.count === 1 ? [{ action: 'password-set', outcome: 'success', userId: user.id, sessionId: caller.sessionId, ...actedBy(caller, client) }] : []),
  );
  if (count === 0) throw new AppError(refusals.passwordAlreadySet);
  await notifyAccountChange(runtime, user.id, 'a password was set on your account');
  return getAccount(runtime, user.id);
}
