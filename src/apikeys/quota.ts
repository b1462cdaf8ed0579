import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError, refusals } from '../errors.js';
import { rateLimited } from '../limits/limits.js';
import type { ApiKeyPrincipal, UsageRefill } from '../principal.js';
import type { Runtime } from '../runtime.js';

export type QuotaState = {
  rateLimit: { limit: number; remaining: number; resetAt: Date };
  /** Null for a key without a budget. */
  usage: { limit: number; remaining: number; resetAt: Date } | null;
  refused: 'RATE_LIMITED' | 'USAGE_EXCEEDED' | null;
};

const defaultWindowSeconds = 60;

/** The UTC day or month `now` falls in, and when the next one starts (a budget refills then). */
function refillPeriod(refill: UsageRefill, now: Date): { label: string; endsAt: Date } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  if (refill === 'MONTHLY') return { label: `${year}-${month + 1}`, endsAt: new Date(Date.UTC(year, month + 1, 1)) };
  const day = now.getUTCDate();
  return { label: `${year}-${month + 1}-${day}`, endsAt: new Date(Date.UTC(year, month, day + 1)) };
}

async function count(limiter: RateLimiterAbstract, key: string, cost: number, windowSeconds?: number) {
  const counted = cost > 0 ? await limiter.consume(key, cost, windowSeconds === undefined ? {} : { customDuration: windowSeconds }) : await limiter.get(key);
  return { consumed: counted?.consumedPoints ?? 0, msBeforeNext: counted?.msBeforeNext ?? 0 };
}

/**
 * Spends `cost` of a key's rate limit (its own, else its owner's plan's per minute)
 * and of its usage budget, in the shared limiter (Redis when configured): what
 * authgraph's own routes spend per request, and verifyApiKey per product call.
 * A refused budget keeps its points; a refused rate keeps counting, as before.
 */
export async function spendKeyQuota(runtime: Runtime, principal: ApiKeyPrincipal, cost: number): Promise<QuotaState> {
  const now = runtime.clock();
  const { limits } = principal;
  const perMinute = runtime.limits.settings.apiKeyRequestsPerMinute;
  const limit = limits.rateLimit ?? perMinute[principal.plan] ?? perMinute.FREE!;
  const windowSeconds = limits.rateLimit === null ? defaultWindowSeconds : (limits.rateLimitWindow ?? defaultWindowSeconds);
  // The window is in the counted key: a key given another window starts a fresh count.
  const requests = await count(runtime.limits.keyRequests, `${principal.keyId}:${windowSeconds}`, cost, windowSeconds);
  const rateLimit = {
    limit,
    remaining: Math.max(0, limit - requests.consumed),
    resetAt: new Date(now.getTime() + (requests.msBeforeNext || windowSeconds * 1000)),
  };
  if (requests.consumed > limit) return { rateLimit, usage: null, refused: 'RATE_LIMITED' };
  if (limits.usageLimit === null || limits.usageRefill === null) return { rateLimit, usage: null, refused: null };
  const period = refillPeriod(limits.usageRefill, now);
  const usageKey = `${principal.keyId}:${period.label}`;
  const spent = await count(runtime.limits.keyUsage, usageKey, cost);
  const exceeded = spent.consumed > limits.usageLimit;
  if (exceeded && cost > 0) await runtime.limits.keyUsage.reward(usageKey, cost);
  const consumed = exceeded ? spent.consumed - cost : spent.consumed;
  const usage = { limit: limits.usageLimit, remaining: Math.max(0, limits.usageLimit - consumed), resetAt: period.endsAt };
  return { rateLimit, usage, refused: exceeded ? 'USAGE_EXCEEDED' : null };
}

/** One request of a key on authgraph's own routes: refused RATE_LIMITED past its rate or its budget. */
export async function spendKeyRequest(runtime: Runtime, principal: ApiKeyPrincipal): Promise<void> {
  const quota = await spendKeyQuota(runtime, principal, 1);
  const now = runtime.clock().getTime();
  if (quota.refused === 'RATE_LIMITED') throw rateLimited(quota.rateLimit.resetAt.getTime() - now, 'key-requests');
  if (quota.refused === 'USAGE_EXCEEDED') {
    throw new AppError(refusals.usageExceeded, { retryAfter: Math.max(1, Math.ceil((quota.usage!.resetAt.getTime() - now) / 1000)) });
  }
}
