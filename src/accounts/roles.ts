import type { Principal } from '../principal.js';
import { AppError, refusals } from '../errors.js';
import { adminRoles, type ApiKeyScope, type Role } from '../apikeys/scopes.js';
import type { Runtime } from '../runtime.js';
import { reverifyKeysOf } from '../apikeys/reverify.js';
import { assertAdminSecondFactor } from '../mfa/step-up.js';
import { byShell, type ActedBy } from '../audit/actor.js';
import { resolveUser, type UserRef } from './users.js';

/** The role of a user who may act: null for a disabled or deleted account. */
async function activeRoleOf(runtime: Runtime, userId: string): Promise<string | null> {
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { role: true, disabledAt: true } });
  return user && !user.disabledAt ? user.role : null;
}

/**
 * Whether the caller may act as an administrator: an ADMIN or OWNER user's session,
 * or a LIVE key holding the `admin` scope (which only such a user's keys, or an
 * ADMIN service account's, can).
 */
export async function isAdmin(runtime: Runtime, principal: Principal): Promise<boolean> {
  if (principal.kind === 'apiKey') return principal.environment === 'LIVE' && principal.scopes.includes('admin');
  if (principal.kind !== 'session') return false;
  if (!adminRoles.includes((await activeRoleOf(runtime, principal.userId)) ?? '')) return false;
  await assertAdminSecondFactor(runtime, principal);
  return true;
}

/** Whether the caller is an OWNER's session: what giving or taking ADMIN and OWNER needs. A key never acts as owner. */
export async function isOwner(runtime: Runtime, principal: Principal): Promise<boolean> {
  if (principal.kind !== 'session' || (await activeRoleOf(runtime, principal.userId)) !== 'OWNER') return false;
  await assertAdminSecondFactor(runtime, principal);
  return true;
}

/** A scope other than `admin` and `keys:verify` (see isAdmin, isVerifier): every session holds them all; a key, those it was given. */
export type OwnerScope = Exclude<ApiKeyScope, 'admin' | 'keys:verify'>;

export const isVerifier = (principal: Principal) =>
  principal.kind === 'apiKey' && principal.serviceAccountId !== null && principal.scopes.includes('keys:verify');

export function holdsScope(principal: Principal, scope: OwnerScope): boolean {
  return principal.kind === 'session' || (principal.kind === 'apiKey' && principal.scopes.includes(scope));
}

/**
 * Gives a user a role: what the server's operator does with `npm run admin -- grant|owner|revoke`
 * (the first owner is made so), and what an owner does with the `setUserRole` mutation (the
 * schema lets only owners call it). The last active owner is not demoted, so that someone can
 * always give roles without the operator. The user's keys are verified again everywhere,
 * so a demoted admin's keys lose the admin scope at once.
 */
export async function setUserRole(runtime: Runtime, ref: UserRef, role: Role, by: ActedBy = byShell): Promise<{ id: string; username: string; role: string }> {
  const current = await resolveUser(runtime, ref);
  if (current.role === 'OWNER' && role !== 'OWNER') {
    const otherOwners = await runtime.db.user.count({ where: { role: 'OWNER', disabledAt: null, id: { not: current.id } } });
    if (otherOwners === 0) throw new AppError(refusals.lastOwner);
  }
  const user = await runtime.db.user.update({ where: { id: current.id }, data: { role }, select: { id: true, username: true, role: true } });
  await reverifyKeysOf(runtime, user.id);
  runtime.tokenEvents.record({ action: 'role-changed', outcome: 'success', userId: user.id, ...by, detail: `${current.role} -> ${role}` });
  return user;
}
