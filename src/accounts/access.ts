import { AppError, refusals } from '../errors.js';
import type { Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { holdsScope, isAdmin, isOwner, isVerifier, type OwnerScope } from './roles.js';

/**
 * What an operation may ask of the caller's credential. GraphQL fields declare it
 * as Pothos `authScopes`, REST routes in their route table: one vocabulary.
 */
export type AccessScopes = {
  /** Any credential: a session or an API key. */
  signedIn: boolean;
  /** A signed-in session (JWT), not an API key: what managing credentials needs. */
  session: boolean;
  /** An ADMIN or OWNER user's session, or a LIVE key with the `admin` scope: a production-only resource. */
  admin: boolean;
  /** An OWNER user's session (never a key): what giving or taking ADMIN and OWNER needs. */
  owner: boolean;
  /** A session, or a key holding this scope. */
  scope: OwnerScope;
  /** A service account's key holding `keys:verify`: a product's backend checking its users' keys. */
  verifier: boolean;
};

/** Met when any of its entries holds, as Pothos reads an `authScopes` map. */
export type AccessRequirement = { [Name in keyof AccessScopes]?: AccessScopes[Name] };

/** The checks behind each scope name, for one caller (Pothos' scope initializer). */
export function accessChecks(runtime: Runtime, principal: Principal) {
  return {
    signedIn: principal.kind !== 'anonymous',
    session: principal.kind === 'session',
    admin: () => isAdmin(runtime, principal),
    owner: () => isOwner(runtime, principal),
    scope: (scope: OwnerScope) => holdsScope(principal, scope),
    verifier: isVerifier(principal),
  };
}

export async function meetsRequirement(runtime: Runtime, principal: Principal, requirement: AccessRequirement): Promise<boolean> {
  const checks = accessChecks(runtime, principal);
  if (requirement.signedIn && checks.signedIn) return true;
  if (requirement.session && checks.session) return true;
  if (requirement.scope && checks.scope(requirement.scope)) return true;
  if (requirement.verifier && checks.verifier) return true;
  if (requirement.admin && (await checks.admin())) return true;
  return requirement.owner === true && (await checks.owner());
}

/**
 * Why a caller is refused: no credential at all is UNAUTHENTICATED, the wrong one FORBIDDEN;
 * a TEST key is told NOT_FOUND by a production-only (admin) resource, as NovaVMS documents.
 */
export function accessRefused(principal: Principal, requirement: AccessRequirement = {}): AppError {
  if (principal.kind === 'anonymous') return new AppError('UNAUTHENTICATED');
  if (requirement.admin && principal.kind === 'apiKey' && principal.environment === 'TEST') {
    return new AppError(refusals.testKeyProductionOnly);
  }
  if (requirement.verifier) return new AppError(refusals.verifierNeeded);
  if (requirement.session && !requirement.scope && principal.kind === 'apiKey') {
    return new AppError(refusals.sessionNeeded);
  }
  if (requirement.scope && principal.kind === 'apiKey') {
    return new AppError(refusals.scopeMissing(requirement.scope));
  }
  return new AppError('FORBIDDEN');
}
