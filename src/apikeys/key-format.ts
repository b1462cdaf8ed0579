import { hmacSha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import type { KeyEnvironment } from './scopes.js';

const randomBytes = 32;
const randomLength = 43; // base64url of 32 bytes
const displayRandomLength = 4;

export type NewKeySecret = { rawKey: string; displayPrefix: string; secretHash: string };

/** `<prefix>_<live|test>_<256 random bits>`; only the HMAC and a short display prefix are kept. */
export function newKeySecret(prefix: string, environment: KeyEnvironment, serverSecret: string): NewKeySecret {
  const random = randomToken(randomBytes);
  const head = `${prefix}_${environment.toLowerCase()}_`;
  const rawKey = head + random;
  return { rawKey, displayPrefix: head + random.slice(0, displayRandomLength), secretHash: apiKeyHash(serverSecret, rawKey) };
}

/** Peppered with the server secret, so a leaked table cannot be checked against guesses offline. */
export const apiKeyHash = (serverSecret: string, rawKey: string) => hmacSha256(serverSecret, `api-key:${rawKey}`);

export function looksLikeApiKey(prefix: string, value: string): boolean {
  const rest = value.startsWith(`${prefix}_live_`) || value.startsWith(`${prefix}_test_`) ? value.slice(prefix.length + 6) : '';
  return rest.length === randomLength && /^[\w-]+$/.test(rest);
}
