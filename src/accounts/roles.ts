import type { Principal } from '../principal.js';
import { AppError, refusals } from '../errors.js';
import type { ApiKeyScope, Role } from '../apikeys/scopes.js';
import type { Runtime } from '../runtime.js';
import { reverifyKeysOf } from '../apikeys/reverify.js';
import { normalizeLogin } from './users.js';

/**
 * Whether the caller may act as an administrator: an ADMIN user's session, or
 * a LIVE key holding the `admin` scope (which only an ADMIN owner's keys can).
 */
export async function isAdmin(runtime: Runtime, principal: Principal): Promise<boolean> {
  if (principal.kind === 'apiKey') return principal.environment === 'LIVE' && principal.scopes.includes('admin');
  if (principal.kind !== 'session') return false;
  const user = await runtime.db.user.findUnique({ where: { id: principal.userId }, select: { role: true, disabledAt: true } });
  return user?.role === 'ADMIN' && !user.disabledAt;
}

/** A scope other than `admin` (see isAdmin): every session holds them all; a key, those it was given. */
export type OwnerScope = Exclude<ApiKeyScope, 'admin'>;

export function holdsScope(principal: Principal, scope: OwnerScope): boolean {
  return principal.kind === 'session' || (principal.kind === 'apiKey' && principal.scopes.includes(scope));
}

/**
 * What `npm run admin -- grant|revoke <username>` does. The user's keys are
 * verified again everywhere, so a demoted admin's keys lose the admin scope at once.
 */
export async function setUserRole(runtime: Runtime, username: string, role: Role): Promise<{ id: string; username: string; role: string }> {
  const { count } = await runtime.db.user.updateMany({ where: { username: normalizeLogin(username) }, data: { role } });
  if (count === 0) throw new AppError(refusals.noUserNamed(username));
  const user = await runtime.db.user.findUniqueOrThrow({ where: { username: normalizeLogin(username) }, select: { id: true, username: true, role: true } });
  await reverifyKeysOf(runtime, user.id);
  return user;
}
