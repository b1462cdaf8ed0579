import { dictionary } from '@zxcvbn-ts/language-common';

export const passwordLength = { min: 8, max: 128 } as const;

// Only entries that pass the length rule matter; about 18k of zxcvbn's 49k common passwords.
const commonPasswords = new Set(
  (dictionary['passwords-common'] as string[]).filter((password) => password.length >= passwordLength.min),
);

/** Why a password is refused, or null. Runs before any hashing. No composition rules (NIST 800-63B). */
export function passwordProblem(password: string, identity: { username?: string; email?: string }): string | null {
  const length = [...password].length;
  if (length < passwordLength.min) return `must be at least ${passwordLength.min} characters`;
  if (length > passwordLength.max) return `must be at most ${passwordLength.max} characters`;
  const lowered = password.toLowerCase();
  if (lowered === identity.username?.toLowerCase() || lowered === identity.email?.toLowerCase()) {
    return 'must not be your username or e-mail address';
  }
  if (commonPasswords.has(lowered)) return 'is too common; choose another';
  return null;
}
