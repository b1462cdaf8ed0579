import { AppError, refusals } from '../errors.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { Runtime } from '../runtime.js';

export const usernamePattern = /^[a-z0-9_.-]{3,32}$/;

/** Usernames and e-mail addresses are unique case-insensitively: stored, looked up and throttled lower-cased. */
export const normalizeLogin = (name: string) => name.trim().toLowerCase();

/** An active user by username or e-mail address. */
export function findUserByLogin(runtime: Runtime, login: string) {
  const normalized = normalizeLogin(login);
  return runtime.db.user.findFirst({
    where: { [normalized.includes('@') ? 'email' : 'username']: normalized, disabledAt: null },
  });
}

export function findActiveUser(runtime: Runtime, userId: string) {
  return runtime.db.user.findFirst({ where: { id: userId, disabledAt: null } });
}

/** A user with what a GraphQL selection asks of it (`query`: Pothos' include/select). */
export function findUser<Query extends Omit<Prisma.UserFindUniqueOrThrowArgs, 'where'>>(runtime: Runtime, userId: string, query: Query) {
  return runtime.db.user.findUniqueOrThrow({ ...query, where: { id: userId } });
}

/** The caller's own account: a disabled or deleted one refuses the credential. */
export async function activeUserOrThrow(runtime: Runtime, userId: string) {
  const user = await findActiveUser(runtime, userId);
  if (!user) throw new AppError('UNAUTHENTICATED');
  return user;
}

/** An account named by an administrator: by id (GraphQL) or by username (a string: the shell, setUserRole). */
export type UserRef = string | { id: string };

export async function resolveUser(runtime: Runtime, ref: UserRef) {
  const where = typeof ref === 'string' ? { username: normalizeLogin(ref) } : { id: ref.id };
  const user = await runtime.db.user.findUnique({ where });
  if (!user) throw new AppError(typeof ref === 'string' ? refusals.noUserNamed(ref) : refusals.noSuchUser);
  return user;
}
