import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';
import { rateLimitHits } from '../metrics.js';
import type { SharedRedis } from '../redis.js';

export type LimitSettings = {
  /** The window of the login counters: the per-account cap is per this many seconds. */
  loginWindowSeconds: number;
  loginFreeFailures: number;
  loginFailuresPerAccountPerHour: number;
  loginFailuresPerIpPerHour: number;
  registrationsPerIpPerHour: number;
  refreshesPerSessionPerMinute: number;
  apiKeyRequestsPerMinute: Record<string, number>;
};

/**
 * Every abuse limit, as rate-limiter-flexible limiters: in memory by default,
 * in Redis when REDIS_URL is set so that all instances share the counts. While
 * Redis is away, each instance counts in its own memory (the insurance limiter)
 * rather than refusing: limits loosen by the number of instances, sign-in goes on.
 */
export type Limits = ReturnType<typeof createLimits>;

export function createLimits(settings: LimitSettings, redis?: SharedRedis) {
  const limiter = (keyPrefix: string, points: number, duration: number, memoryDuration = duration): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration: memoryDuration });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: `${redis.keyPrefix}:${keyPrefix}`,
      points,
      duration,
      insuranceLimiter: memory,
      rejectIfRedisNotReady: true,
    });
  };
  const hour = 3600;
  return {
    settings,
    loginFailuresByAccountAndIp: limiter('login-pair', Number.MAX_SAFE_INTEGER, settings.loginWindowSeconds),
    loginDelayByAccountAndIp: limiter('login-delay', 1, settings.loginWindowSeconds),
    loginFailuresByAccount: limiter('login-account', settings.loginFailuresPerAccountPerHour, settings.loginWindowSeconds),
    loginFailuresByIp: limiter('login-ip', settings.loginFailuresPerIpPerHour, settings.loginWindowSeconds),
    registrationsByIp: limiter('register-ip', settings.registrationsPerIpPerHour, hour),
    refreshesBySession: limiter('refresh-session', settings.refreshesPerSessionPerMinute, 60),
    /** Wrong passwords sent from one session (changePassword, reauthenticate): counted, the session ends at the cap (accounts/reauth.ts). */
    passwordMissesBySession: limiter('password-misses-session', Number.MAX_SAFE_INTEGER, settings.loginWindowSeconds),
    /** A key's requests, each counted with its key's window (apikeys/quota.ts compares the count with the key's own limit or its plan's). */
    keyRequests: limiter('key-requests', Number.MAX_SAFE_INTEGER, 60),
    /**
     * A key's spent budget per refill period; the period is in the counted key, so a new period starts from zero.
     * In memory it never expires: Node's timers, which expire memory records, stop at 24.8 days, short of a month.
     */
    keyUsage: limiter('key-usage', Number.MAX_SAFE_INTEGER, 32 * 24 * hour, 0),
  };
}

export function rateLimited(msBeforeNext: number, limit: string): AppError {
  rateLimitHits.inc({ limit });
  return new AppError('RATE_LIMITED', { retryAfter: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

/** Takes one point, or throws RATE_LIMITED with the seconds until one is free again. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext, limiter.keyPrefix.split(':').at(-1)!);
    throw rejection;
  }
}
