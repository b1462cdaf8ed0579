import { z } from 'zod';
import { badInput } from '../errors.js';
import { usageRefills, type KeyLimits } from '../principal.js';
import { storePermissions, undeclaredPermissions } from './permissions.js';

/** A key's own rate limit: requests per window, instead of its owner's plan's per minute. */
export const rateLimitSchema = z.object({
  limit: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400).nullish(),
});

/** A key's budget of request cost, refilled at the start of each UTC day or month. */
export const usageSchema = z.object({ limit: z.number().int().min(0).max(1_000_000_000), refill: z.enum(usageRefills) });

export type RateLimitInput = z.infer<typeof rateLimitSchema>;
export type UsageInput = z.infer<typeof usageSchema>;

/** The stored form of a key's permissions, refusing names the deployment does not declare. */
export function storedPermissions(declared: readonly string[], requested: readonly string[]): string {
  const unknown = undeclaredPermissions(declared, requested);
  if (unknown.length > 0) {
    throw badInput([{ field: 'permissions', message: `not declared by this server (API_KEY_PERMISSIONS): ${unknown.join(', ')}` }]);
  }
  return storePermissions(requested);
}

/** The columns of a key's limits; `undefined` leaves a column as it is. */
export function limitColumns(rateLimit: RateLimitInput | null | undefined, usage: UsageInput | null | undefined) {
  return {
    ...(rateLimit !== undefined && { rateLimit: rateLimit?.limit ?? null, rateLimitWindow: rateLimit ? (rateLimit.windowSeconds ?? 60) : null }),
    ...(usage !== undefined && { usageLimit: usage?.limit ?? null, usageRefill: usage?.refill ?? null }),
  };
}

/** Whether new limits let the key do more than `old`: what wants a recent sign-in. No own limit counts as the widest. */
export function limitsWiden(old: KeyLimits, rateLimit: RateLimitInput | null | undefined, usage: UsageInput | null | undefined): boolean {
  const rateWidens =
    rateLimit !== undefined &&
    (old.rateLimit === null ||
      rateLimit === null ||
      rateLimit.limit / (rateLimit.windowSeconds ?? 60) > old.rateLimit / (old.rateLimitWindow ?? 60));
  const usageWidens =
    usage !== undefined &&
    old.usageLimit !== null &&
    (usage === null || usage.limit > old.usageLimit || (usage.refill === 'DAILY' && old.usageRefill !== 'DAILY'));
  return rateWidens || usageWidens;
}
