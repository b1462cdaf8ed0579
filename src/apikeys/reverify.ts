import type { Runtime } from '../runtime.js';

/**
 * Every instance verifies the user's keys again on their next use: what a key
 * may do follows its owner's state (disabled) and role (the admin scope).
 */
export async function reverifyKeysOf(runtime: Runtime, userId: string): Promise<void> {
  const keys = await runtime.db.apiKey.findMany({ where: { userId }, select: { id: true } });
  for (const key of keys) runtime.revocations.keyChanged(key.id);
}
