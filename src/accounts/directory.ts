import type { Prisma } from '../generated/sqlite/client.js';
import { keysetPage, olderThan, type PageArgs } from '../pagination.js';
import type { Runtime } from '../runtime.js';
import { normalizeLogin } from './users.js';

/** What an administrator lists users by; every field narrows. `query` is a prefix of the username or the e-mail address. */
export type UserFilter = {
  query?: string | null;
  role?: string | null;
  plan?: string | null;
  disabled?: boolean | null;
  verified?: boolean | null;
};

function whereOf({ query, role, plan, disabled, verified }: UserFilter): Prisma.UserWhereInput {
  const prefix = query ? normalizeLogin(query) : '';
  return {
    ...(prefix && { OR: [{ username: { startsWith: prefix } }, { email: { startsWith: prefix } }] }),
    ...(role && { role }),
    ...(plan && { plan }),
    ...(typeof disabled === 'boolean' && { disabledAt: disabled ? { not: null } : null }),
    ...(typeof verified === 'boolean' && { emailVerified: verified }),
  };
}

/** users: newest accounts first, in keyset pages of (createdAt, id), stable while accounts are added. */
export function listUsers<Query extends Omit<Prisma.UserFindManyArgs, 'where' | 'orderBy' | 'take'>>(
  runtime: Runtime,
  filter: UserFilter,
  page: PageArgs,
  query?: Query,
) {
  return keysetPage(
    page,
    (before, take) =>
      runtime.db.user.findMany({
        ...query,
        where: { AND: [whereOf(filter), olderThan('createdAt', before)] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
      }),
    (user) => ({ at: user.createdAt, id: user.id }),
  );
}
