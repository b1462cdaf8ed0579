import { randomInt } from 'node:crypto';
import { hmacSha256 } from '../crypto/hash.js';
import type { Database } from '../db.js';
import type { Runtime } from '../runtime.js';

export const recoveryCodeCount = 10;
// No 0/o, 1/l/i: read off a printout and typed by hand.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxxx-xxxxx`: 10 characters of a 31-letter alphabet, about 50 bits, single use and throttled. */
function newRecoveryCode(): string {
  const characters = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]);
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}

const normalized = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

/** The keyed hash stored for a code (as typed: case, spaces and dashes do not matter). */
export const recoveryCodeHash = (runtime: Runtime, code: string) => hmacSha256(runtime.serverSecret, `recovery:${normalized(code)}`);

export const looksLikeRecoveryCode = (code: string) => /^[a-z2-9]{10}$/.test(normalized(code));

/** Replaces the user's recovery codes with a new set: answers the codes, which are never shown again. */
export async function replaceRecoveryCodes(runtime: Runtime, db: Pick<Database, 'recoveryCode'>, userId: string): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
  const now = runtime.clock();
  await db.recoveryCode.deleteMany({ where: { userId } });
  await db.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(runtime, code), createdAt: now })) });
  return codes;
}
