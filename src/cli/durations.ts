import { usageError } from './errors.js';

const unitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `12h` or `7d` in milliseconds; undefined for anything else. */
function durationMs(value: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(value);
  return match ? Number(match[1]) * unitMs[match[2]!]! : undefined;
}

/** `--expires 30d` (also `s`, `m`, `h`) or an ISO date or date-time. */
export function parseExpiry(value: string, now = Date.now()): string {
  const duration = durationMs(value);
  if (duration !== undefined) return new Date(now + duration).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw usageError(`--expires takes a duration like 30d, 12h or 90m, or an ISO date; got "${value}".`);
  return new Date(at).toISOString();
}

/** `--grace 1h` in whole seconds. */
export function parseGraceSeconds(value: string): number {
  const duration = durationMs(value);
  if (duration === undefined) throw usageError(`--grace takes a duration like 90s, 30m, 12h or 7d; got "${value}".`);
  return duration / 1000;
}

/** `--since 24h` (that long ago) or an ISO date or date-time. */
export function parseSince(value: string, now = Date.now()): string {
  const duration = durationMs(value);
  if (duration !== undefined) return new Date(now - duration).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw usageError(`--since takes a duration like 24h or 7d, or an ISO date; got "${value}".`);
  return new Date(at).toISOString();
}
