import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { reverifyKeysOf } from '../apikeys/reverify.js';
import { revokeUserSessions } from '../sessions/manage.js';
import { normalizeLogin } from './users.js';

/**
 * Disables an account and takes back what it holds: every session ends (its
 * access tokens are refused from the next request on, on every instance that
 * hears the revocation) and its keys leave every verified-key cache, so they
 * are checked again, and refused, on their next use. Enabling lets the keys
 * work again (sessions stay ended).
 */
export async function setAccountDisabled(runtime: Runtime, username: string, disabled: boolean) {
  const user = await runtime.db.user.findUnique({ where: { username: normalizeLogin(username) }, select: { id: true } });
  if (!user) throw new AppError(refusals.noUserNamed(username));
  const updated = await runtime.db.user.update({
    where: { id: user.id },
    data: { disabledAt: disabled ? runtime.clock() : null },
    select: { id: true, username: true, disabledAt: true },
  });
  if (disabled) await revokeUserSessions(runtime, user.id);
  await reverifyKeysOf(runtime, user.id);
  return updated;
}
