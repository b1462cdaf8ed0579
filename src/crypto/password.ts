import argon2 from 'argon2';
import { traced } from '../tracing.js';

/** OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
export const passwordHashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return traced('argon2id hash', {}, () => argon2.hash(password, passwordHashOptions));
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (unknown user, or an
 * account with no password) it verifies against a dummy hash so that both cases
 * cost the same as a wrong password.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('authgraph-dummy-password');
  const hash = storedHash ?? (await dummyHash);
  const matches = await traced('argon2id verify', {}, () => argon2.verify(hash, password)).catch(() => false);
  return matches && Boolean(storedHash);
}
