import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { parseDatabaseUrl } from '../db.js';
import { migrationsTable } from '../migrate.js';

/**
 * Why a command that works on the server's data (the operator's `npm run admin`)
 * must not start here, or null: a start would silently create a fresh DATA_DIR or
 * database (a mistyped path, a missing DATABASE_URL), and change nothing real.
 */
export async function missingData(config: Config): Promise<string | null> {
  const keysElsewhere = config.serverSecret !== undefined && config.jwt.privateJwk !== undefined;
  if (!existsSync(config.dataDir) && !keysElsewhere) {
    return `DATA_DIR ${config.dataDir} does not exist: point DATA_DIR (and DATABASE_URL) at the server's data.`;
  }
  const target = parseDatabaseUrl(config.databaseUrl);
  if (target.provider === 'sqlite') {
    return existsSync(target.file) ? null : `No database at ${target.file}: point DATABASE_URL (or DATA_DIR) at the server's.`;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: config.database.connectTimeoutMs });
  await client.connect();
  try {
    const table = `${target.schema ? `"${target.schema}".` : ''}"${migrationsTable}"`;
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [table]);
    return rows[0]?.found ? null : `The PostgreSQL database of DATABASE_URL${target.schema ? ` (schema ${target.schema})` : ''} has no authgraph tables: point DATABASE_URL at the server's.`;
  } finally {
    await client.end();
  }
}
