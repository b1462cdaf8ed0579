import { z } from 'zod';
import { randomLowercase } from '../crypto/random.js';
import { describeUserAgent } from '../sessions/user-agent.js';

/**
 * novem's rule for token names (its CLI enforces the same): a lower-case letter,
 * then lower-case letters, digits, "-", "." and "_", at most 128 characters. Names
 * that follow it can be used in a URL path as they are (/v1/admin/tokens/:token).
 */
export const tokenNameSchema = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[a-z][a-z0-9\-._]*$/, 'must start with a lower-case letter and hold only a-z, 0-9, "-", "." and "_"');

/** A session's name when the client gives none: its client, slugged, and a nonce, e.g. "firefox-132-on-linux-k3x9a2bq". */
export function generatedTokenName(userAgent: string): string {
  const client = describeUserAgent(userAgent)
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/[-.]+$/, '');
  return `${client || 'session'}-${randomLowercase(8)}`;
}
