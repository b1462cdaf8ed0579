import { z } from 'zod';
import type { ApiKeyPrincipal, ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow, singleLineText } from '../validation.js';
import { parsePermissionQuery, satisfies } from './permissions.js';
import { spendKeyQuota, type QuotaState } from './quota.js';
import { lookupApiKey } from './verify.js';

export const verificationCodes = [
  'VALID',
  'NOT_FOUND',
  'EXPIRED',
  'REVOKED',
  'DISABLED',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
] as const;
export type VerificationCode = (typeof verificationCodes)[number];

export type VerifyKeyInput = {
  key: string;
  /** A permission query (`cameras:read AND (exports:run OR admin)`); omitted: none is checked. */
  permissions?: string | null;
  /** The product's name for what the key is used for, kept in the key's activity log. */
  operation?: string | null;
  /** Of the key's rate limit and usage budget; 0 checks without spending. */
  cost?: number | null;
  tags?: string[] | null;
};

const inputSchema = z.object({
  key: z.string().max(200, 'must be at most 200 characters'),
  permissions: z.string().max(1000, 'must be at most 1000 characters').nullish(),
  operation: singleLineText().trim().max(200, 'must be at most 200 characters').nullish(),
  cost: z.number().int().min(0).max(1000).nullish(),
  tags: z
    .array(z.string().regex(/^[\w:.=/-]{1,64}$/, 'must be 1 to 64 letters, digits or _ : . = / -'))
    .max(10, 'at most 10 tags')
    .nullish(),
});

export type KeyVerification = {
  valid: boolean;
  code: VerificationCode;
  keyId: string | null;
  principal: ApiKeyPrincipal | null;
  /** authgraph's scopes and the deployment's permissions the key holds. */
  permissions: string[];
  quota: QuotaState | null;
};

const refused = (code: VerificationCode, keyId: string | null = null, principal: ApiKeyPrincipal | null = null): KeyVerification => ({
  valid: false,
  code,
  keyId,
  principal,
  permissions: principal ? [...principal.scopes, ...principal.permissions] : [],
  quota: null,
});

/**
 * What a product's backend asks of a key its caller sent: one cached lookup (no
 * write: the log and lastUsedAt are batched), the permission query, then the
 * key's rate limit and budget, spent by `cost`. The product's operation and tags
 * go into the key's own activity log, refusals included.
 */
export async function verifyKeyForProduct(runtime: Runtime, input: VerifyKeyInput, client: ClientInfo): Promise<KeyVerification> {
  const { key, permissions, operation, cost, tags } = parseOrThrow(inputSchema, input);
  const query = permissions ? parsePermissionQuery(permissions) : null;
  const lookup = await lookupApiKey(runtime, key);
  if (!lookup) return refused('NOT_FOUND');
  const { cached } = lookup;
  const verification = await judge(runtime, lookup, query, cost ?? 1);
  runtime.tokenEvents.record({
    action: 'request',
    outcome: verification.valid ? 'success' : verification.code,
    operation: operation || 'verifyApiKey',
    tags: tags ?? [],
    client,
    apiKeyId: cached.keyId,
    ...cached.owner,
  });
  if (verification.valid) runtime.tokenEvents.keyUsed(cached.keyId, runtime.clock());
  return verification;
}

async function judge(
  runtime: Runtime,
  { cached, accepted, expired }: NonNullable<Awaited<ReturnType<typeof lookupApiKey>>>,
  query: ReturnType<typeof parsePermissionQuery> | null,
  cost: number,
): Promise<KeyVerification> {
  if (cached.refusal) return refused(cached.refusal, cached.keyId);
  if (expired || !accepted) return refused('EXPIRED', cached.keyId);
  const held = [...accepted.scopes, ...accepted.permissions];
  if (query && !satisfies(query, new Set(held))) return refused('INSUFFICIENT_PERMISSIONS', cached.keyId, accepted);
  const quota = await spendKeyQuota(runtime, accepted, cost);
  const code = quota.refused ?? 'VALID';
  return { valid: code === 'VALID', code, keyId: cached.keyId, principal: accepted, permissions: held, quota };
}
