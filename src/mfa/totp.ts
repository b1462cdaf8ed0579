import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const period = 30;

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export function totpOf(secret: string, account: { label: string; issuer: string }): TOTP {
  return new TOTP({ issuer: account.issuer, label: account.label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period });
}

/**
 * The time step `code` belongs to, one step either side of now allowed for clock
 * drift; null when it is none of them. The caller accepts each step once.
 */
export function stepOfCode(totp: TOTP, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / period) + delta;
}
