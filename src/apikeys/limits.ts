import { AppError, refusals } from '../errors.js';
import type { Database } from '../db.js';
import type { Runtime } from '../runtime.js';

type Transaction = Parameters<Parameters<Database['$transaction']>[0]>[0];

export const activeKeyFilter = (now: Date) => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/**
 * At most MAX_API_KEYS_PER_USER active keys per user. The user row is written
 * first so that concurrent creations for one user queue on its lock (PostgreSQL)
 * or the database write lock (SQLite) and cannot both pass the count.
 */
export async function assertBelowKeyLimit(runtime: Runtime, tx: Transaction, userId: string, now: Date): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { updatedAt: now } });
  const active = await tx.apiKey.count({ where: { userId, ...activeKeyFilter(now) } });
  const limit = runtime.config.apiKeys.maxPerUser;
  if (active >= limit) {
    throw new AppError(refusals.keyLimitReached(limit));
  }
}
