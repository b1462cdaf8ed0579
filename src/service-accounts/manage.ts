import { z } from 'zod';
import { reverifyKeysOfServiceAccount } from '../apikeys/reverify.js';
import { apiKeyScopes, scopesOfRole, storeScopes } from '../apikeys/scopes.js';
import type { ActedBy } from '../audit/actor.js';
import { isUniqueViolation } from '../db.js';
import { AppError, badInput, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { serviceAccountName } from './service-accounts.js';
import { commitWithEvents, type ChangeEvent } from '../webhooks/outbox.js';

export type UpdateServiceAccountInput = { name?: string | null; description?: string | null; scopes?: string[] | null };

const updateSchema = z.object({
  name: serviceAccountName.nullish(),
  description: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
  scopes: z.array(z.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(', ')}` })).nullish(),
});

async function existing(runtime: Runtime, id: string) {
  const account = await runtime.db.serviceAccount.findUnique({ where: { id } });
  if (!account) throw new AppError(refusals.noSuchServiceAccount);
  return account;
}

/**
 * updateServiceAccount: name, description, scopes (within its role). Its keys are
 * verified again everywhere: narrowed scopes take effect on their next use.
 */
export async function updateServiceAccount(runtime: Runtime, id: string, input: UpdateServiceAccountInput, by: ActedBy) {
  const { name, description, scopes } = parseOrThrow(updateSchema, input);
  const account = await existing(runtime, id);
  if (scopes) {
    const beyondRole = scopes.filter((scope) => !scopesOfRole(account.role).includes(scope));
    if (beyondRole.length > 0) throw badInput([{ field: 'scopes', message: `${beyondRole.join(', ')} needs the ADMIN role` }]);
  }
  try {
    const updated = await runtime.db.serviceAccount.update({
      where: { id },
      data: { ...(name && { name }), ...(description !== undefined && { description: description || null }), ...(scopes && { scopes: storeScopes(scopes) }) },
    });
    await reverifyKeysOfServiceAccount(runtime, id);
    const changed = [name && 'name', description !== undefined && 'description', scopes && `scopes: ${storeScopes(scopes)}`].filter(Boolean).join(', ');
    runtime.tokenEvents.record({ action: 'service-account-updated', outcome: 'success', serviceAccountId: id, ...by, detail: changed || null });
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError(refusals.serviceAccountNameTaken, { fields: [{ field: 'name', message: 'is taken' }] });
    throw error;
  }
}

/** Disabling refuses its keys on every instance at their next use; enabling lets them work again. */
export async function setServiceAccountDisabled(runtime: Runtime, id: string, disabled: boolean, by: ActedBy) {
  await existing(runtime, id);
  const updated = await runtime.db.serviceAccount.update({ where: { id }, data: { disabledAt: disabled ? runtime.clock() : null } });
  await reverifyKeysOfServiceAccount(runtime, id);
  runtime.tokenEvents.record({ action: disabled ? 'service-account-disabled' : 'service-account-enabled', outcome: 'success', serviceAccountId: id, ...by });
  return updated;
}

/** deleteServiceAccount: its keys die with it (revoked and announced first, then the rows go). */
export async function deleteServiceAccount(runtime: Runtime, id: string, by: ActedBy): Promise<boolean> {
  const account = await existing(runtime, id);
  const keys = await commitWithEvents(
    runtime,
    (tx) => tx.apiKey.updateManyAndReturn({ where: { serviceAccountId: id, revokedAt: null }, data: { revokedAt: runtime.clock() }, select: { id: true } }),
    (revoked) => revoked.map((key): ChangeEvent => ({ action: 'revoke', outcome: 'success', operation: 'service-account-deleted', serviceAccountId: id, apiKeyId: key.id, ...by })),
  );
  for (const key of keys) runtime.revocations.keyChanged(key.id);
  await runtime.db.serviceAccount.deleteMany({ where: { id } });
  runtime.tokenEvents.record({ action: 'service-account-deleted', outcome: 'success', serviceAccountId: id, ...by, detail: account.name });
  return true;
}
