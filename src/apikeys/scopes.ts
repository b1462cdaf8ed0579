/**
 * What an API key may be narrowed to. A session holds every scope its user's
 * role allows; a key holds its owner's scopes, narrowed further by its own list.
 */
export const apiKeyScopes = ['account:read', 'account:write', 'tokens:read', 'tokens:write', 'admin', 'keys:verify'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Scopes a key holds only when it was given them by name: a key minted with "all of the owner's" lacks them. */
const explicitOnlyScopes: readonly ApiKeyScope[] = ['account:write', 'keys:verify'];

/** A product's backend verifies its users' keys with a service account's key holding `keys:verify`: a person's credential never does. */
export const serviceAccountOnlyScopes: readonly ApiKeyScope[] = ['keys:verify'];

/** An OWNER can do all an ADMIN can, and is the only one who gives or takes ADMIN and OWNER. */
export const roles = ['USER', 'ADMIN', 'OWNER'] as const;
export type Role = (typeof roles)[number];
export const adminRoles: readonly string[] = ['ADMIN', 'OWNER'] satisfies Role[];

export const keyEnvironments = ['LIVE', 'TEST'] as const;
export type KeyEnvironment = (typeof keyEnvironments)[number];

/** Scopes are stored space-separated; null on a key means "all of the owner's". */
export const parseScopes = (stored: string): ApiKeyScope[] =>
  stored.split(' ').filter((scope): scope is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(scope));

export const storeScopes = (scopes: readonly ApiKeyScope[]) => [...new Set(scopes)].sort().join(' ');

/** The scopes a role may hold at all: `admin` only with ADMIN or OWNER. */
export const scopesOfRole = (role: string): ApiKeyScope[] => apiKeyScopes.filter((scope) => scope !== 'admin' || adminRoles.includes(role));

export const userScopesOfRole = (role: string): ApiKeyScope[] => scopesOfRole(role).filter((scope) => !serviceAccountOnlyScopes.includes(scope));

/** A key's effective scopes: never more than its owner's, narrowed by its own list. */
export function effectiveScopes(ownerScopes: readonly ApiKeyScope[], keyScopes: string | null): ApiKeyScope[] {
  if (keyScopes === null) return ownerScopes.filter((scope) => !explicitOnlyScopes.includes(scope));
  const narrowed = new Set(parseScopes(keyScopes));
  return ownerScopes.filter((scope) => narrowed.has(scope));
}
