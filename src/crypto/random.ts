import { randomBytes, randomUUID } from 'node:crypto';

/** A URL-safe random string carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A UUID version 7 (RFC 9562): `at` in milliseconds, then 74 random bits. Ids made
 * in time order sort in time order, so rows keyed by them append to their indexes
 * instead of landing on random pages.
 */
export function timeOrderedUuid(at: Date): string {
  const time = at.getTime().toString(16).padStart(12, '0');
  // A version 4 UUID's random digits after its version digit, the variant bits in place.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

const lowercaseAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of a-z and 0-9, for generated names (not for secrets: the draw is slightly uneven). */
export function randomLowercase(length: number): string {
  return [...randomBytes(length)].map((byte) => lowercaseAlphabet[byte % lowercaseAlphabet.length]).join('');
}
