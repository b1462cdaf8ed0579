import { z } from 'zod';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication, type Proof } from '../accounts/reauth.js';
import { AppError, badInput, refusals } from '../errors.js';
import { assertStillAwaited } from '../http/deadline.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../principal.js';
import { parseOrThrow, singleLineText } from '../validation.js';
import { assertEmailVerified } from '../challenges/email-verification.js';
import { newKeySecret, type KeyFormat } from './key-format.js';
import { assertBelowKeyLimit } from './limits.js';
import { limitColumns, rateLimitSchema, storedPermissions, usageSchema, type RateLimitInput, type UsageInput } from './key-settings.js';
import { apiKeyScopes, keyEnvironments, serviceAccountOnlyScopes, storeScopes } from './scopes.js';
import { commitWithEvents } from '../webhooks/outbox.js';
import { keyData } from '../webhooks/event-data.js';

export type CreateApiKeyInput = {
  name: string;
  description?: string | null;
  scopes?: string[] | null;
  expiresAt?: Date | null;
  environment?: 'LIVE' | 'TEST' | null;
  /** Of the permissions the deployment declares (API_KEY_PERMISSIONS); omitted: none. */
  permissions?: string[] | null;
  rateLimit?: RateLimitInput | null;
  usage?: UsageInput | null;
  /** Chosen by the door, not the caller: RESTume's route mints `restume` keys, always LIVE (key-format.ts). */
  format?: KeyFormat;
};

const createSchema = z.object({
  name: singleLineText().trim().min(1, 'is required').max(128, 'must be at most 128 characters'),
  description: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
  scopes: z.array(z.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(', ')}` })).nullish(),
  expiresAt: z.date().nullish(),
  environment: z.enum(keyEnvironments).nullish(),
  permissions: z.array(z.string()).max(100).nullish(),
  rateLimit: rateLimitSchema.nullish(),
  usage: usageSchema.nullish(),
});

export type KeyOwner = { userId: string } | { serviceAccountId: string };
/** Who mints the key, and what proves it is them now (accounts/reauth.ts). */
export type Actor = { userId: string; client: ClientInfo; proof: Proof };

/**
 * Mints a key for a user (by the user) or a service account (by an admin). The
 * raw key is returned once; only its peppered hash and display prefix are kept.
 */
export async function createApiKey(runtime: Runtime, owner: KeyOwner, input: CreateApiKeyInput, actor: Actor) {
  const { name, description, scopes, expiresAt, environment, permissions, rateLimit, usage } = parseOrThrow(createSchema, input);
  if ('userId' in owner && scopes?.some((scope) => serviceAccountOnlyScopes.includes(scope))) {
    throw badInput([{ field: 'scopes', message: `${serviceAccountOnlyScopes.join(', ')} is for service accounts' keys only` }]);
  }
  await assertRecentAuthentication(runtime, actor.proof);
  if ('userId' in owner) await assertEmailVerified(runtime, owner.userId);
  const now = runtime.clock();
  if (expiresAt && expiresAt <= now) throw badInput([{ field: 'expiresAt', message: 'must be in the future' }]);
  const secret = newKeySecret(input.format ?? 'standard', runtime.config.apiKeys.prefix, environment ?? 'LIVE', runtime.serverSecret);
  const data = {
    name,
    description: description || null,
    prefix: secret.displayPrefix,
    environment: environment ?? 'LIVE',
    scopes: scopes ? storeScopes(scopes) : null,
    permissions: permissions?.length ? storedPermissions(runtime.config.apiKeys.permissions, permissions) : null,
    ...limitColumns(rateLimit ?? null, usage ?? null),
    secretHash: secret.secretHash,
    expiresAt: expiresAt ?? null,
    createdAt: now,
  };
  const apiKey = await commitWithEvents(runtime, async (tx) => {
    if ('userId' in owner) {
      // An access token outlives its account's disabling by up to ACCESS_TOKEN_TTL; it must not mint a key meanwhile.
      const active = await tx.user.findFirst({ where: { id: owner.userId, disabledAt: null }, select: { id: true } });
      if (!active) throw new AppError('UNAUTHENTICATED');
      await assertBelowKeyLimit(runtime, tx, owner.userId, now);
    } else {
      const serviceAccount = await tx.serviceAccount.findFirst({ where: { id: owner.serviceAccountId, disabledAt: null } });
      if (!serviceAccount) throw new AppError(refusals.noSuchServiceAccount);
    }
    const created = await tx.apiKey.create({ data: { ...data, ...owner } });
    // A key whose request was already answered 503 would be a secret nobody ever saw.
    assertStillAwaited(runtime);
    return created;
  }, (created) => [{
    action: 'create',
    outcome: 'success',
    client: actor.client,
    userId: actor.userId,
    serviceAccountId: created.serviceAccountId,
    apiKeyId: created.id,
    data: { key: keyData(created) },
  }]);
  if (apiKey.userId) await notifyAccountChange(runtime, apiKey.userId, 'an API key was created', [`Key: "${apiKey.name}" (${apiKey.prefix}...)`]);
  return { apiKey, rawKey: secret.rawKey };
}
