import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteIdentifier, type DatabaseTarget } from './db.js';
import { projectRoot } from './paths.js';
import { makePrivateDirectory, makePrivateFile, restrictFile } from './private-files.js';

/**
 * Applies the checked-in SQL migrations (prisma/migrations/<provider>/NNNN_name.sql)
 * at start-up: one transaction per file, a checksum per applied file, and on
 * PostgreSQL an advisory lock so instances starting together apply each file once.
 * The Prisma CLI cannot apply them offline on PostgreSQL, so both providers use this.
 */
type Migration = { name: string; sql: string; checksum: string };

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
export async function migrate(target: DatabaseTarget): Promise<string[]> {
  const migrations = readMigrations(target.provider);
  return target.provider === 'sqlite' ? migrateSqlite(target.file, migrations) : migratePostgres(target, migrations);
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

async function migratePostgres(
  target: Extract<DatabaseTarget, { provider: 'postgresql' }>,
  migrations: Migration[],
): Promise<string[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  const schema = target.schema ?? 'public';
  const lockKey = Number.parseInt(createHash('sha256').update(`authgraph:${schema}`).digest('hex').slice(0, 12), 16);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`SET search_path TO ${quoteIdentifier(schema)}`);
    await client.query(createTable);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT "name", "checksum" FROM "${migrationsTable}"`);
    const appliedNow: string[] = [];
    for (const migration of pending(migrations, new Map(rows.map((row) => [row.name, row.checksum])))) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${migrationsTable}" VALUES ($1, $2, $3)`, [
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
    await client.end();
  }
}
