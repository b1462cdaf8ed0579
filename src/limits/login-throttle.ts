import { normalizeLogin } from '../accounts/users.js';
import type { Runtime } from '../runtime.js';
import { consumeOrThrow, rateLimited } from './limits.js';

/**
 * What the per-account counters count: the user when the identifier names one,
 * so that its username and its e-mail address spend one budget; else the
 * identifier itself, which an unknown name is throttled by alike.
 */
export type LoginAccount = { userId: string } | { login: string };

export const loginAccount = (login: string, user: { id: string } | null): LoginAccount => (user ? { userId: user.id } : { login });

const accountKey = (account: LoginAccount) => ('userId' in account ? `user:${account.userId}` : `login:${normalizeLogin(account.login)}`);
const pairKey = (account: LoginAccount, ip: string) => `${accountKey(account)}|${ip}`;
const maxDelaySeconds = 15 * 60;

/**
 * Online guessing is throttled per account and address first: after a few free
 * failures each further one doubles the wait (1 s, 2 s, 4 s ... 15 min). Per
 * account, at most `loginFailuresPerAccountPerHour` failures are possible in any
 * hour (OWASP ASVS 2.2.1), and per address as many across accounts. Windows
 * expire, so the rightful owner is never locked out for good.
 *
 * Each attempt reserves its point before the password is checked (so parallel
 * guesses cannot overshoot the cap, and a throttled guess learns nothing); a
 * success gives it back.
 */
export async function reserveLoginAttempt(runtime: Runtime, account: LoginAccount, ip: string): Promise<void> {
  const { limits } = runtime;
  const delay = await limits.loginDelayByAccountAndIp.get(pairKey(account, ip));
  if (delay && delay.consumedPoints > 0) throw rateLimited(delay.msBeforeNext, 'login-delay');
  await consumeOrThrow(limits.loginFailuresByAccount, accountKey(account));
  try {
    await consumeOrThrow(limits.loginFailuresByIp, ip);
  } catch (error) {
    await limits.loginFailuresByAccount.reward(accountKey(account));
    throw error;
  }
}

export async function recordLoginFailure(runtime: Runtime, account: LoginAccount, ip: string): Promise<void> {
  const { limits } = runtime;
  const key = pairKey(account, ip);
  const pair = await limits.loginFailuresByAccountAndIp.penalty(key);
  const beyondFree = pair.consumedPoints - limits.settings.loginFreeFailures;
  if (beyondFree > 0) {
    await limits.loginDelayByAccountAndIp.block(key, Math.min(2 ** (beyondFree - 1), maxDelaySeconds));
  }
}

export async function recordLoginSuccess(runtime: Runtime, account: LoginAccount, ip: string): Promise<void> {
  const { limits } = runtime;
  const key = pairKey(account, ip);
  await Promise.all([
    limits.loginFailuresByAccount.reward(accountKey(account)),
    limits.loginFailuresByIp.reward(ip),
    limits.loginFailuresByAccountAndIp.delete(key),
    limits.loginDelayByAccountAndIp.delete(key),
  ]);
}
