import { badInput } from '../errors.js';
import type { Runtime } from '../runtime.js';

export type HourOfRequests = { hour: Date; requests: number; refused: number };

const hourMs = 3600 * 1000;
export const usageHistoryDays = { default: 7, max: 30 } as const;

/**
 * A key's requests per hour over the last `days`, oldest first, from the activity
 * log (its `request` events, still-batched ones included): every hour of the window,
 * the current one last, empty ones as zero. Counted here rather than in SQL, which
 * truncates times differently on SQLite and PostgreSQL; only two columns are read.
 */
export async function requestsPerHour(runtime: Runtime, apiKeyId: string, days: number = usageHistoryDays.default): Promise<HourOfRequests[]> {
  if (!Number.isInteger(days) || days < 1 || days > usageHistoryDays.max) throw badInput([{ field: 'days', message: `must be a whole number from 1 to ${usageHistoryDays.max}` }]);
  await runtime.tokenEvents.flush();
  const currentHour = Math.floor(runtime.clock().getTime() / hourMs) * hourMs;
  const start = currentHour - (days * 24 - 1) * hourMs;
  const hours: HourOfRequests[] = Array.from({ length: days * 24 }, (_, index) => ({ hour: new Date(start + index * hourMs), requests: 0, refused: 0 }));
  const events = await runtime.db.tokenEvent.findMany({
    where: { apiKeyId, action: 'request', at: { gte: new Date(start), lt: new Date(currentHour + hourMs) } },
    select: { at: true, outcome: true },
  });
  for (const { at, outcome } of events) {
    const bucket = hours[Math.floor((at.getTime() - start) / hourMs)];
    if (!bucket) continue;
    bucket.requests += 1;
    if (outcome !== 'success') bucket.refused += 1;
  }
  return hours;
}
