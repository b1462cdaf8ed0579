import { constantTimeEqual } from '../crypto/hash.js';
import type { Runtime } from '../runtime.js';
import type { ApiKeyPrincipal, ClientInfo, UsageRefill } from '../principal.js';
import type { CachedKey } from './cache.js';
import { apiKeyHash } from './key-format.js';
import { parsePermissions } from './permissions.js';
import { effectiveScopes, scopesOfRole, userScopesOfRole, type KeyEnvironment } from './scopes.js';

const keyForVerification = {
  id: true,
  name: true,
  environment: true,
  scopes: true,
  permissions: true,
  rateLimit: true,
  rateLimitWindow: true,
  usageLimit: true,
  usageRefill: true,
  secretHash: true,
  previousSecretHash: true,
  previousSecretExpiresAt: true,
  expiresAt: true,
  revokedAt: true,
  userId: true,
  serviceAccountId: true,
  user: { select: { role: true, plan: true, disabledAt: true } },
  serviceAccount: { select: { role: true, plan: true, scopes: true, disabledAt: true } },
} as const;

/** A raw key's verdict: the cached entry and whether it is accepted now. */
export type KeyLookup = { cached: CachedKey; accepted: ApiKeyPrincipal | null; expired: boolean };

/**
 * What a raw key stands for, or null for an unknown key. One lookup by the
 * peppered hash (current or, during a roll's grace period, previous secret) on
 * a cache miss, none on a hit.
 */
export async function lookupApiKey(runtime: Runtime, rawKey: string): Promise<KeyLookup | null> {
  const secretHash = apiKeyHash(runtime.serverSecret, rawKey);
  const nowMs = runtime.clock().getTime();
  let cached = runtime.apiKeyCache.get(secretHash, nowMs);
  if (!cached) {
    const row = await runtime.db.apiKey.findFirst({
      where: { OR: [{ secretHash }, { previousSecretHash: secretHash }] },
      select: keyForVerification,
    });
    if (!row) return null;
    cached = toCachedKey(row, secretHash, runtime.config.apiKeys.permissions);
    runtime.apiKeyCache.set(secretHash, cached, nowMs);
  }
  const expired = cached.validUntilMs !== null && nowMs >= cached.validUntilMs;
  return { cached, accepted: expired ? null : cached.principal, expired };
}

/** The principal a raw key stands for, or null; a refused use of a known key is logged against that key. */
export async function verifyApiKey(runtime: Runtime, rawKey: string, client: ClientInfo): Promise<ApiKeyPrincipal | null> {
  const lookup = await lookupApiKey(runtime, rawKey);
  if (!lookup) return null;
  if (lookup.accepted) return lookup.accepted;
  const { cached } = lookup;
  runtime.tokenEvents.record({ action: 'request', outcome: 'UNAUTHENTICATED', client, apiKeyId: cached.keyId, ...cached.owner });
  return null;
}

type VerificationRow = {
  id: string;
  name: string;
  environment: string;
  scopes: string | null;
  permissions: string | null;
  rateLimit: number | null;
  rateLimitWindow: number | null;
  usageLimit: number | null;
  usageRefill: string | null;
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  userId: string | null;
  serviceAccountId: string | null;
  user: { role: string; plan: string; disabledAt: Date | null } | null;
  serviceAccount: { role: string; plan: string; scopes: string; disabledAt: Date | null } | null;
};

function toCachedKey(row: VerificationRow, secretHash: string, declaredPermissions: readonly string[]): CachedKey {
  const isCurrent = constantTimeEqual(row.secretHash, secretHash);
  const isPrevious = !isCurrent && row.previousSecretHash !== null && constantTimeEqual(row.previousSecretHash, secretHash);
  const secretValidUntil = isCurrent ? null : (row.previousSecretExpiresAt?.getTime() ?? 0);
  const keyValidUntil = row.expiresAt?.getTime() ?? null;
  const validUntilMs =
    secretValidUntil === null ? keyValidUntil : keyValidUntil === null ? secretValidUntil : Math.min(secretValidUntil, keyValidUntil);
  const owner = { userId: row.userId, serviceAccountId: row.serviceAccountId };
  const ownerRow = row.user ?? row.serviceAccount;
  const ownerScopes = row.user
    ? !row.user.disabledAt && userScopesOfRole(row.user.role)
    : row.serviceAccount && !row.serviceAccount.disabledAt && effectiveScopes(scopesOfRole(row.serviceAccount.role), row.serviceAccount.scopes);
  const refusal = row.revokedAt ? 'REVOKED' : ownerScopes ? null : 'DISABLED';
  const principal: ApiKeyPrincipal | null =
    (isCurrent || isPrevious) && ownerScopes && !refusal
      ? {
          kind: 'apiKey',
          keyId: row.id,
          keyName: row.name,
          ...owner,
          scopes: effectiveScopes(ownerScopes, row.scopes),
          environment: row.environment === 'TEST' ? 'TEST' : ('LIVE' satisfies KeyEnvironment),
          plan: ownerRow?.plan ?? 'FREE',
          role: ownerRow?.role ?? 'USER',
          permissions: parsePermissions(row.permissions).filter((permission) => declaredPermissions.includes(permission)),
          limits: {
            rateLimit: row.rateLimit,
            rateLimitWindow: row.rateLimitWindow,
            usageLimit: row.usageLimit,
            usageRefill: row.usageRefill as UsageRefill | null,
          },
          expiresAt: row.expiresAt,
        }
      : null;
  return { keyId: row.id, principal, refusal, validUntilMs, owner };
}
