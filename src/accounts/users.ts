import type { Runtime } from '../runtime.js';

export const usernamePattern = /^[a-z0-9_.-]{3,32}$/;

/** Usernames and e-mail addresses are unique case-insensitively: they are stored lower-cased. */
export const normalizeUsername = (username: string) => username.trim().toLowerCase();
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** An active user by username or e-mail address. */
export function findUserByLogin(runtime: Runtime, login: string) {
  const normalized = login.trim().toLowerCase();
  return runtime.db.user.findFirst({
    where: { [normalized.includes('@') ? 'email' : 'username']: normalized, disabledAt: null },
  });
}

export function findActiveUser(runtime: Runtime, userId: string) {
  return runtime.db.user.findFirst({ where: { id: userId, disabledAt: null } });
}
