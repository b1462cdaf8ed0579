import { constantTimeEqual } from '../crypto/hash.js';
import type { Runtime } from '../runtime.js';
import type { ApiKeyPrincipal, ClientInfo } from '../principal.js';
import type { CachedKey } from './cache.js';
import { apiKeyHash } from './key-format.js';
import { effectiveScopes, scopesOfRole, type ApiKeyScope, type KeyEnvironment } from './scopes.js';

const keyForVerification = {
  id: true,
  name: true,
  environment: true,
  scopes: true,
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

/**
 * The principal a raw key stands for, or null. One lookup by the peppered hash
 * (current or, during a roll's grace period, previous secret) on a cache miss,
 * none on a hit. A refused use of a known key is logged against that key.
 */
export async function verifyApiKey(runtime: Runtime, rawKey: string, client: ClientInfo): Promise<ApiKeyPrincipal | null> {
  const secretHash = apiKeyHash(runtime.serverSecret, rawKey);
  const nowMs = runtime.clock().getTime();
  let cached = runtime.apiKeyCache.get(secretHash, nowMs);
  if (!cached) {
    const row = await runtime.db.apiKey.findFirst({
      where: { OR: [{ secretHash }, { previousSecretHash: secretHash }] },
      select: keyForVerification,
    });
    if (!row) return null;
    cached = toCachedKey(row, secretHash);
    runtime.apiKeyCache.set(secretHash, cached, nowMs);
  }
  if (cached.principal && (cached.validUntilMs === null || nowMs < cached.validUntilMs)) return cached.principal;
  runtime.tokenEvents.record({ action: 'request', outcome: 'UNAUTHENTICATED', client, apiKeyId: cached.keyId, ...cached.owner });
  return null;
}

type VerificationRow = {
  id: string;
  name: string;
  environment: string;
  scopes: string | null;
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

function toCachedKey(row: VerificationRow, secretHash: string): CachedKey {
  const isCurrent = constantTimeEqual(row.secretHash, secretHash);
  const isPrevious = !isCurrent && row.previousSecretHash !== null && constantTimeEqual(row.previousSecretHash, secretHash);
  const secretValidUntil = isCurrent ? null : (row.previousSecretExpiresAt?.getTime() ?? 0);
  const keyValidUntil = row.expiresAt?.getTime() ?? null;
  const validUntilMs =
    secretValidUntil === null ? keyValidUntil : keyValidUntil === null ? secretValidUntil : Math.min(secretValidUntil, keyValidUntil);
  const owner = { userId: row.userId, serviceAccountId: row.serviceAccountId };
  const ownerScopes = row.user
    ? !row.user.disabledAt && scopesOfRole(row.user.role)
    : row.serviceAccount && !row.serviceAccount.disabledAt && effectiveScopes(scopesOfRole(row.serviceAccount.role), row.serviceAccount.scopes);
  const accepted = (isCurrent || isPrevious) && !row.revokedAt && ownerScopes;
  const principal: ApiKeyPrincipal | null = accepted
    ? {
        kind: 'apiKey',
        keyId: row.id,
        keyName: row.name,
        ...owner,
        scopes: effectiveScopes(ownerScopes, row.scopes),
        environment: row.environment === 'TEST' ? 'TEST' : 'LIVE',
        plan: (row.user ?? row.serviceAccount)?.plan ?? 'FREE',
      }
    : null;
  return { keyId: row.id, principal, validUntilMs, owner };
}
