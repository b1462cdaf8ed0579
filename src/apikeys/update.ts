import { z } from 'zod';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication } from '../accounts/reauth.js';
import { badInput } from '../errors.js';
import type { ClientInfo, SessionPrincipal, UsageRefill } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow, singleLineText } from '../validation.js';
import { limitColumns, limitsWiden, rateLimitSchema, storedPermissions, usageSchema, type RateLimitInput, type UsageInput } from './key-settings.js';
import { managedKeyOrThrow } from './manage.js';
import { parsePermissions } from './permissions.js';

/** A field left out stays as it is; null clears it (no permissions, no expiry, the plan's rate, no budget). */
export type UpdateApiKeyInput = {
  name?: string | null;
  permissions?: string[] | null;
  expiresAt?: Date | null;
  rateLimit?: RateLimitInput | null;
  usage?: UsageInput | null;
};

const updateSchema = z.object({
  name: singleLineText().trim().min(1, 'is required').max(128, 'must be at most 128 characters').nullish(),
  permissions: z.array(z.string()).max(100).nullish(),
  expiresAt: z.date().nullish(),
  rateLimit: rateLimitSchema.nullish(),
  usage: usageSchema.nullish(),
});

/**
 * Renames a key or changes what it may do. Narrowing takes effect at once everywhere
 * (the key leaves every instance's cache); widening it (more permissions, a later or no
 * expiry, a higher rate or budget) also wants a recent sign-in.
 */
export async function updateApiKey(runtime: Runtime, principal: SessionPrincipal, keyId: string, input: UpdateApiKeyInput, client: ClientInfo) {
  const { name, permissions, expiresAt, rateLimit, usage } = parseOrThrow(updateSchema, input);
  const key = await managedKeyOrThrow(runtime, principal, keyId);
  const now = runtime.clock();
  if (key.revokedAt) throw badInput([{ field: 'id', message: 'the key is revoked' }]);
  if (expiresAt && expiresAt <= now) throw badInput([{ field: 'expiresAt', message: 'must be in the future' }]);
  const stored = permissions === undefined ? undefined : storedPermissions(runtime.config.apiKeys.permissions, permissions ?? []) || null;
  const held = new Set(parsePermissions(key.permissions));
  const oldLimits = {
    rateLimit: key.rateLimit,
    rateLimitWindow: key.rateLimitWindow,
    usageLimit: key.usageLimit,
    usageRefill: key.usageRefill as UsageRefill | null,
  };
  const widens =
    parsePermissions(stored ?? null).some((permission) => !held.has(permission)) ||
    (expiresAt !== undefined && key.expiresAt !== null && (expiresAt === null || expiresAt > key.expiresAt)) ||
    limitsWiden(oldLimits, rateLimit, usage);
  if (widens) await assertRecentAuthentication(runtime, principal);
  const updated = await runtime.db.apiKey.update({
    where: { id: key.id },
    data: {
      ...(name && { name }),
      ...(stored !== undefined && { permissions: stored }),
      ...(expiresAt !== undefined && { expiresAt }),
      ...limitColumns(rateLimit, usage),
    },
  });
  runtime.revocations.keyChanged(key.id);
  runtime.tokenEvents.record({
    action: 'update',
    outcome: 'success',
    operation: widens ? 'widened' : 'changed',
    client,
    userId: principal.userId,
    serviceAccountId: key.serviceAccountId,
    apiKeyId: key.id,
  });
  if (widens && key.userId) await notifyAccountChange(runtime, key.userId, 'an API key was allowed more', [`Key: "${updated.name}" (${updated.prefix}...)`]);
  return updated;
}
