import { z } from 'zod';
import { badInput } from './errors.js';

export type PageArgs = { first?: number | null; after?: string | null };
export type Page<T> = { nodes: T[]; cursors: string[]; hasNextPage: boolean };
/** The position of a row in a newest-first listing ordered by (time, id). */
export type Position = { at: Date; id: string };

export const defaultPageSize = 20;
export const maxPageSize = 100;

const positionSchema = z.tuple([z.iso.datetime(), z.string().min(1)]);

/** Cursors are opaque to clients: base64url of the row's (time, id). */
export const encodeCursor = ({ at, id }: Position) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at: new Date(at), id };
  } catch {
    throw badInput([{ field: 'after', message: 'is not a cursor from this listing' }]);
  }
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return defaultPageSize;
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw badInput([{ field: 'first', message: `must be between 1 and ${maxPageSize}` }]);
  }
  return first;
}

/**
 * Keyset pagination, newest first: rows strictly older than the cursor, so a
 * page is stable however many rows arrive meanwhile, and no OFFSET is scanned.
 * `fetch` receives the filter on (timeField, id) and how many rows to read.
 */
export async function keysetPage<T>(
  args: PageArgs,
  fetch: (before: Position | undefined, take: number) => Promise<T[]>,
  positionOf: (row: T) => Position,
): Promise<Page<T>> {
  const size = pageSize(args.first);
  const before = args.after ? decodeCursor(args.after) : undefined;
  const rows = await fetch(before, size + 1);
  const nodes = rows.slice(0, size);
  return { nodes, cursors: nodes.map((row) => encodeCursor(positionOf(row))), hasNextPage: rows.length > size };
}

/**
 * The Prisma filter for rows older than `before` in (field, id) order. The plain
 * `field <= at` beside the OR gives PostgreSQL an index bound, so a page deep in
 * a long log reads one page of rows, not everything newer than the cursor.
 */
export function olderThan<Field extends string>(field: Field, before: Position | undefined) {
  if (!before) return {};
  return {
    [field]: { lte: before.at },
    OR: [{ [field]: { lt: before.at } }, { [field]: before.at, id: { lt: before.id } }],
  } as Record<string, unknown>;
}
