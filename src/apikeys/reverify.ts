import type { Runtime } from '../runtime.js';

/**
 * Every instance verifies the user's keys again on their next use: what a key
 * may do follows its owner's state (disabled) and role (the admin scope).
 */
export async function reverifyKeysOf(runtime: Runtime, userId: string): Promise<void> {
  const keys = await runtime.db.apiKey.findMany({ where: { userId }, select: { id: true } });
  for (const key of keys) runtime.revocations.keyChanged(key.id);
}

/** The same for a service account's keys: after its scopes change, or it is disabled or enabled. */
export async function reverifyKeysOfServiceAccount(runtime: Runtime, serviceAccountId: string): Promise<void> {
  const keys = await runtime.db.apiKey.findMany({ where: { serviceAccountId }, select: { id: true } });
  for (const key of keys) runtime.revocations.keyChanged(key.id);
}
