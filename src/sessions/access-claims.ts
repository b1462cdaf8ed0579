import { userScopesOfRole } from '../apikeys/scopes.js';
import { claimsWithin } from '../crypto/token-claims.js';
import { hookClaims } from '../hooks/access-token-claims.js';
import type { Runtime } from '../runtime.js';

/**
 * The ACCESS_TOKEN_CLAIMS of a user's next access token, read at issue: a role or
 * plan change shows at the next refresh and revokes nothing. A person holds every
 * permission the deployment declares, beside the scopes of their role.
 */
async function configuredClaimsOf(runtime: Runtime, userId: string): Promise<Record<string, unknown>> {
  const { claims, claimsMaxBytes } = runtime.config.jwt;
  if (claims.length === 0) return {};
  const user = await runtime.db.user.findUnique({
    where: { id: userId },
    select: { role: true, plan: true, email: true, emailVerified: true, username: true },
  });
  if (!user) return {};
  const values = {
    role: user.role,
    plan: user.plan,
    email: user.email,
    email_verified: user.emailVerified,
    username: user.username,
    permissions: [...userScopesOfRole(user.role), ...runtime.config.apiKeys.permissions],
  };
  return claimsWithin(claims, values, claimsMaxBytes);
}

/** The extra claims of a session's next access token: ACCESS_TOKEN_CLAIMS, then what the custom_access_token_claims hook adds. */
export async function accessTokenClaimsOf(runtime: Runtime, userId: string): Promise<Record<string, unknown>> {
  const claims = await configuredClaimsOf(runtime, userId);
  return { ...claims, ...(await hookClaims(runtime, userId, claims)) };
}
