import { randomInt } from 'node:crypto';
import { hmacSha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import type { KeyEnvironment } from './scopes.js';

/**
 * The two formats one deployment issues and accepts at once; the door and the kind
 * of key choose. `standard`: `<API_KEY_PREFIX>_<live|test>_<43 base64url>`, for
 * NovaVMS's service-account keys and users' keys from GraphQL and novem.
 * `restume`: `rst_<50 of a-z0-9>`, what RESTume's POST /v1/auth/api-keys mints
 * (its document shows `rst_a1b2c3...`). Both carry 256 bits or more; the
 * environment lives in ApiKey.environment whatever the string shows.
 */
export type KeyFormat = 'standard' | 'restume';

const standardRandomLength = 43; // base64url of 32 bytes
const standardDisplayRandomLength = 4;
const restumeHead = 'rst_';
const restumeAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const restumeRandomLength = 50; // 50 * log2(36) = 258 bits
const restumeDisplayLength = 8; // `rst_a1b2`, as the document's prefix
const restumeShape = new RegExp(`^${restumeHead}[a-z0-9]{${restumeRandomLength}}$`);

export type NewKeySecret = { rawKey: string; displayPrefix: string; secretHash: string };

/** A fresh secret in `format`; only its HMAC and a short display prefix are kept. */
export function newKeySecret(format: KeyFormat, prefix: string, environment: KeyEnvironment, serverSecret: string): NewKeySecret {
  if (format === 'restume') {
    const random = Array.from({ length: restumeRandomLength }, () => restumeAlphabet[randomInt(restumeAlphabet.length)]).join('');
    const rawKey = restumeHead + random;
    return { rawKey, displayPrefix: rawKey.slice(0, restumeDisplayLength), secretHash: apiKeyHash(serverSecret, rawKey) };
  }
  const random = randomToken(32);
  const head = `${prefix}_${environment.toLowerCase()}_`;
  const rawKey = head + random;
  return { rawKey, displayPrefix: head + random.slice(0, standardDisplayRandomLength), secretHash: apiKeyHash(serverSecret, rawKey) };
}

/** The format a stored key was minted in, read from its display prefix (a roll keeps it). */
export const keyFormatOf = (displayPrefix: string): KeyFormat =>
  displayPrefix.length === restumeDisplayLength && displayPrefix.startsWith(restumeHead) ? 'restume' : 'standard';

/** Peppered with the server secret, so a leaked table cannot be checked against guesses offline. */
export const apiKeyHash = (serverSecret: string, rawKey: string) => hmacSha256(serverSecret, `api-key:${rawKey}`);

/** Whether a credential has the shape of a key in either format (the hash lookup decides the rest). */
export function looksLikeApiKey(prefix: string, value: string): boolean {
  if (restumeShape.test(value)) return true;
  const rest = value.startsWith(`${prefix}_live_`) || value.startsWith(`${prefix}_test_`) ? value.slice(prefix.length + 6) : '';
  return rest.length === standardRandomLength && /^[\w-]+$/.test(rest);
}
