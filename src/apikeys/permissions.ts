import { badInput } from '../errors.js';

/** A permission name a deployment may declare: `cameras:read`, `exports:run`, `billing.admin`. */
export const permissionNamePattern = /^[a-z][a-z0-9_.-]*(:[a-z0-9_.*-]+)*$/;

/** Stored space-separated, sorted; null on a key means none. */
export const parsePermissions = (stored: string | null): string[] => (stored ? stored.split(' ').filter(Boolean) : []);
export const storePermissions = (permissions: readonly string[]) => [...new Set(permissions)].sort().join(' ');

/** The permissions a deployment declares that `requested` names beyond them, for a BAD_USER_INPUT. */
export const undeclaredPermissions = (declared: readonly string[], requested: readonly string[]) =>
  requested.filter((permission) => !declared.includes(permission));

type Query = { name: string } | { all: Query[] } | { any: Query[] };

const maxQueryLength = 1000;

/**
 * Reads a permission query as Unkey's: names joined by AND and OR (AND binds
 * tighter), grouped with parentheses, e.g. `cameras:read AND (exports:run OR admin)`.
 */
export function parsePermissionQuery(text: string): Query {
  const tokens = text.length <= maxQueryLength ? (text.match(/\(|\)|[^\s()]+/g) ?? []) : [];
  let at = 0;
  const fail = (): never => {
    throw badInput([{ field: 'permissions', message: 'must be permission names joined by AND and OR, with parentheses' }]);
  };
  const operand = (): Query => {
    const token = tokens[at++];
    if (token === '(') {
      const inner = disjunction();
      if (tokens[at++] !== ')') fail();
      return inner;
    }
    if (!token || !permissionNamePattern.test(token)) return fail();
    return { name: token };
  };
  const chain = (next: () => Query, keyword: string, wrap: (parts: Query[]) => Query) => () => {
    const parts = [next()];
    while (tokens[at]?.toUpperCase() === keyword) {
      at++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : wrap(parts);
  };
  const conjunction = chain(operand, 'AND', (all) => ({ all }));
  const disjunction = chain(conjunction, 'OR', (any) => ({ any }));
  if (tokens.length === 0) fail();
  const query = disjunction();
  if (at !== tokens.length) fail();
  return query;
}

export function satisfies(query: Query, held: ReadonlySet<string>): boolean {
  if ('name' in query) return held.has(query.name);
  if ('all' in query) return query.all.every((part) => satisfies(part, held));
  return query.any.some((part) => satisfies(part, held));
}
