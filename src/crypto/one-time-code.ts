import { randomInt } from 'node:crypto';
import { hmacSha256 } from './hash.js';

export const oneTimeCodePattern = /^\d{6}$/;

/** Six decimal digits from the CSPRNG, uniformly distributed (leading zeros kept). */
export function newOneTimeCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * The code of a sign-in link, derived from its uid with the server secret: the
 * link page can show it (to type on the device that asked) while the database
 * keeps only hashes of both. 48 bits reduced mod 10^6: the bias is negligible.
 */
export function oneTimeCodeOfUid(serverSecret: string, uid: string): string {
  const value = Buffer.from(hmacSha256(serverSecret, `link-code:${uid}`), 'base64url').readUIntBE(0, 6);
  return (value % 1_000_000).toString().padStart(6, '0');
}

/**
 * A million codes are brute-forced from a plain hash in a blink; keyed with the
 * server secret, a database dump alone does not reveal them. The challenge id in
 * the input makes equal codes of different challenges hash differently.
 */
export function oneTimeCodeHash(serverSecret: string, challengeId: string, code: string): string {
  return hmacSha256(serverSecret, `one-time-code:${challengeId}:${code}`);
}
