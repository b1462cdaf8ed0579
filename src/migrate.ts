import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { connectPostgres, postgresWaitDefaults, type ConnectSettings } from './database-connect.js';
import { quoteIdentifier, type DatabaseTarget } from './db.js';
import { projectRoot } from './paths.js';
import { makePrivateDirectory, makePrivateFile, restrictFile } from './private-files.js';
import { StartupError } from './startup-error.js';

/**
 * Applies the checked-in SQL migrations (prisma/migrations/<provider>/NNNN_name.sql)
 * at start-up: one transaction per file, a checksum per applied file, and on
 * PostgreSQL an advisory lock so instances starting together apply each file once.
 * The Prisma CLI cannot apply them offline on PostgreSQL, so both providers use this.
 */
type Migration = { name: string; sql: string; checksum: string };

/** PostgreSQL's settings; lock timeout 0 waits for the lock for ever. */
export type MigrateSettings = ConnectSettings & { migrationLockTimeoutMs: number };

const migrateDefaults: MigrateSettings = {
  connectTimeoutMs: postgresWaitDefaults.DATABASE_CONNECT_TIMEOUT * 1000,
  connectRetryMs: postgresWaitDefaults.DATABASE_CONNECT_RETRY * 1000,
  migrationLockTimeoutMs: postgresWaitDefaults.DATABASE_MIGRATION_LOCK_TIMEOUT * 1000,
};

/** PostgreSQL's lock_not_available: lock_timeout passed. */
const lockNotAvailable = '55P03';

/** Names and checksums of the applied files; /readyz reads it too. */
export const migrationsTable = '_authgraph_migrations';
const createTable = `CREATE TABLE IF NOT EXISTS "${migrationsTable}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;

export function readMigrations(provider: DatabaseTarget['provider']): Migration[] {
  const dir = fileURLToPath(new URL(`prisma/migrations/${provider}/`, projectRoot));
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const sql = readFileSync(dir + file, 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationChecksumError extends Error {
  constructor(name: string) {
    super(`migration ${name} was changed after it was applied`);
  }
}

function pending(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) throw new MigrationChecksumError(migration.name);
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

/** Returns the names of the migrations it applied. */
export async function migrate(target: DatabaseTarget, settings = migrateDefaults): Promise<string[]> {
  const migrations = readMigrations(target.provider);
  return target.provider === 'sqlite' ? migrateSqlite(target.file, migrations) : migratePostgres(target, migrations, settings);
}

async function migrateSqlite(file: string, migrations: Migration[]): Promise<string[]> {
  const { default: SQLite } = await import('better-sqlite3');
  makePrivateDirectory(dirname(file));
  // SQLite gives the -wal and -shm files it creates the database file's mode.
  makePrivateFile(file);
  for (const companion of [`${file}-wal`, `${file}-shm`]) restrictFile(companion);
  const db = new SQLite(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(createTable);
    const appliedNow: string[] = [];
    // BEGIN IMMEDIATE takes the write lock, so two processes cannot apply the same file.
    const applyAll = db.transaction(() => {
      const rows = db.prepare(`SELECT "name", "checksum" FROM "${migrationsTable}"`).all() as { name: string; checksum: string }[];
      for (const migration of pending(migrations, new Map(rows.map((row) => [row.name, row.checksum])))) {
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "${migrationsTable}" VALUES (?, ?, ?)`).run(migration.name, migration.checksum, new Date().toISOString());
        appliedNow.push(migration.name);
      }
    });
    applyAll.immediate();
    return appliedNow;
  } finally {
    db.close();
  }
}

/** The advisory lock instances migrating one schema share. */
export function migrationLockKey(schema: string): number {
  return Number.parseInt(createHash('sha256').update(`authgraph:${schema}`).digest('hex').slice(0, 12), 16);
}

/**
 * Every step runs in a transaction that takes a transaction-scoped lock and sets
 * its own search_path: behind a pooler in transaction mode (PgBouncer, Supavisor)
 * consecutive statements outside a transaction may run on different server
 * connections, so a session-level lock or SET would land on another one.
 */
async function migratePostgres(
  target: Extract<DatabaseTarget, { provider: 'postgresql' }>,
  migrations: Migration[],
  settings: MigrateSettings,
): Promise<string[]> {
  const client = await connectPostgres(target.connectionString, settings);
  const schema = target.schema ?? 'public';
  const appliedNow: string[] = [];
  try {
    for (;;) {
      const name = await inTransaction(client, async () => {
        await lockSchema(client, schema, settings.migrationLockTimeoutMs);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
        await client.query(`SET LOCAL search_path TO ${quoteIdentifier(schema)}`);
        await client.query(createTable);
        const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "${migrationsTable}"`);
        const [next] = pending(migrations, new Map(rows.map((row) => [row.name, row.checksum])));
        if (!next) return undefined;
        await client.query(next.sql);
        await client.query(`INSERT INTO "${migrationsTable}" VALUES ($1, $2, $3)`, [next.name, next.checksum, new Date().toISOString()]);
        return next.name;
      });
      if (name === undefined) return appliedNow;
      appliedNow.push(name);
    }
  } finally {
    await client.end();
  }
}

async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Waits for the schema's migration lock, at most timeoutMs, then says who to look for rather than hanging. */
async function lockSchema(client: pg.Client, schema: string, timeoutMs: number): Promise<void> {
  const key = migrationLockKey(schema);
  await client.query(`SET LOCAL lock_timeout = ${timeoutMs}`);
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [key]);
  } catch (error) {
    if ((error as { code?: unknown }).code !== lockNotAvailable) throw error;
    throw new StartupError(
      `Timed out after ${timeoutMs / 1000} s waiting for the migration lock of schema "${schema}" (DATABASE_MIGRATION_LOCK_TIMEOUT): ` +
        `another instance is migrating, or a connection still holds advisory lock ${key} (pg_locks, locktype 'advisory'; an older authgraph behind PgBouncer in transaction mode could leave it held).`,
    );
  }
  // The migration's own statements wait for table locks as before.
  await client.query('SET LOCAL lock_timeout TO DEFAULT');
}
