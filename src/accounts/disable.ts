import { byShell, type ActedBy } from '../audit/actor.js';
import { AppError, badInput, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { reverifyKeysOf } from '../apikeys/reverify.js';
import { revokeUserSessions } from '../sessions/manage.js';
import { resolveUser, type UserRef } from './users.js';
import { commitWithEvents } from '../webhooks/outbox.js';

/**
 * Disables an account and takes back what it holds: every session ends (its
 * access tokens are refused from the next request on, on every instance that
 * hears the revocation) and its keys leave every verified-key cache, so they
 * are checked again, and refused, on their next use. With `until`, the
 * maintenance job enables it again then. Enabling lets the keys work again
 * (sessions stay ended).
 */
export async function setAccountDisabled(runtime: Runtime, ref: UserRef, disabled: boolean, by: ActedBy = byShell, until?: Date | null) {
  const now = runtime.clock();
  if (disabled && until && until <= now) throw badInput([{ field: 'until', message: 'must be in the future' }]);
  const user = await resolveUser(runtime, ref);
  if (disabled && by.actor.id === user.id) throw new AppError(refusals.adminCannotActOnSelf);
  const updated = await commitWithEvents(
    runtime,
    (tx) =>
      tx.user.update({
        where: { id: user.id },
        data: { disabledAt: disabled ? now : null, disabledUntil: disabled ? (until ?? null) : null },
        select: { id: true, username: true, disabledAt: true, disabledUntil: true },
      }),
    () => [{ action: disabled ? 'disabled' : 'enabled', outcome: 'success', userId: user.id, ...by, detail: disabled && until ? `until ${until.toISOString()}` : null }],
  );
  if (disabled) await revokeUserSessions(runtime, user.id, by.actor, 'disabled');
  await reverifyKeysOf(runtime, user.id);
  return updated;
}
