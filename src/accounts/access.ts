import { AppError, refusals } from '../errors.js';
import type { Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { holdsScope, isAdmin, type OwnerScope } from './roles.js';

/**
 * What an operation may ask of the caller's credential. GraphQL fields declare it
 * as Pothos `authScopes`, REST routes in their route table: one vocabulary.
 */
export type AccessScopes = {
  /** Any credential: a session or an API key. */
  signedIn: boolean;
  /** A signed-in session (JWT), not an API key: what managing credentials needs. */
  session: boolean;
  /** An ADMIN user's session, or a LIVE key with the `admin` scope. */
  admin: boolean;
  /** A session, or a key holding this scope. */
  scope: OwnerScope;
};

/** Met when any of its entries holds, as Pothos reads an `authScopes` map. */
export type AccessRequirement = { [Name in keyof AccessScopes]?: AccessScopes[Name] };

/** The checks behind each scope name, for one caller (Pothos' scope initializer). */
export function accessChecks(runtime: Runtime, principal: Principal) {
  return {
    signedIn: principal.kind !== 'anonymous',
    session: principal.kind === 'session',
    admin: () => isAdmin(runtime, principal),
    scope: (scope: OwnerScope) => holdsScope(principal, scope),
  };
}

export async function meetsRequirement(runtime: Runtime, principal: Principal, requirement: AccessRequirement): Promise<boolean> {
  const checks = accessChecks(runtime, principal);
  if (requirement.signedIn && checks.signedIn) return true;
  if (requirement.session && checks.session) return true;
  if (requirement.scope && checks.scope(requirement.scope)) return true;
  return requirement.admin === true && (await checks.admin());
}

/** Why a caller is refused: no credential at all is UNAUTHENTICATED, the wrong one FORBIDDEN. */
export function accessRefused(principal: Principal, requirement: AccessRequirement = {}): AppError {
  if (principal.kind === 'anonymous') return new AppError('UNAUTHENTICATED');
  if (requirement.session && !requirement.scope && principal.kind === 'apiKey') {
    return new AppError(refusals.sessionNeeded);
  }
  if (requirement.scope && principal.kind === 'apiKey') {
    return new AppError(refusals.scopeMissing(requirement.scope));
  }
  return new AppError('FORBIDDEN');
}
