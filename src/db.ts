import type { PrismaClient } from './generated/sqlite/client.js';

/**
 * The Prisma client. Both providers' generated clients have the same API for the
 * queries this server makes; the SQLite one's type stands for both.
 */
export type Database = PrismaClient;

export type DatabaseTarget =
  | { provider: 'sqlite'; file: string }
  | { provider: 'postgresql'; connectionString: string; schema?: string };

/** `file:<path>` or `postgres://...` (an optional `?schema=` picks a PostgreSQL schema, as in Prisma URLs). */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  if (databaseUrl.startsWith('file:')) return { provider: 'sqlite', file: databaseUrl.slice('file:'.length) };
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { provider: 'postgresql', connectionString: url.toString(), schema };
}

/** Whether a write failed on a unique constraint (Prisma's P2002), e.g. a name taken by a parallel request. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown }).code === 'P2002';

/** A schema or table name as raw SQL writes it, double-quoted. */
export const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A table's name for raw SQL: Prisma puts PostgreSQL's schema into its own queries, raw SQL must name it. */
export function tableName(target: DatabaseTarget, table: string): string {
  return target.provider === 'postgresql' && target.schema ? `${quoteIdentifier(target.schema)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
}

export async function openDatabase(target: DatabaseTarget, poolSize = 10): Promise<Database> {
  if (target.provider === 'sqlite') {
    const [{ PrismaClient }, { SQLiteAdapterFactory }] = await Promise.all([
      import('./generated/sqlite/client.js'),
      import('./database/sqlite-adapter.js'),
    ]);
    return new PrismaClient({ adapter: new SQLiteAdapterFactory({ url: target.file, timeout: 10_000 }) });
  }
  const [{ PrismaClient }, { PostgresAdapterFactory, answeringUnavailable }] = await Promise.all([
    import('./generated/postgresql/client.js'),
    import('./database/postgres-adapter.js'),
  ]);
  return answeringUnavailable(new PrismaClient({ adapter: new PostgresAdapterFactory(target, poolSize) }) as unknown as Database);
}
