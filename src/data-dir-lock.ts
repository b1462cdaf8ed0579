import type { Database as SQLiteConnection } from 'better-sqlite3';
import { join } from 'node:path';
import type { Config } from './config.js';
import { makePrivateDirectory, makePrivateFile } from './private-files.js';
import { StartupError } from './startup-error.js';

export const lockFileName = 'authgraph.lock';

/** The connection that holds the lock, referenced so that it lives as long as the process. */
let holder: SQLiteConnection | undefined;

/**
 * Keeps a second server off a SQLite DATA_DIR: two would race to create the signing
 * keys and fail each other's writes (SQLITE_BUSY_SNAPSHOT). Taken by the server only
 * (main.ts): an admin command beside it is a short, welcome second process.
 *
 * The lock is SQLite's own on a small database file, held until the process ends: the
 * kernel drops it however the process ends, so a crash leaves nothing stale, and,
 * unlike a pid in a file, it holds between containers that share a volume (where each
 * server is pid 1). The file stays: deleting it would let two processes lock two
 * different files of that name.
 */
export async function lockDataDirectory(config: Pick<Config, 'dataDir' | 'databaseProvider'>): Promise<void> {
  // PostgreSQL instances share a DATA_DIR (a volume with the signing keys and secret) by design.
  if (config.databaseProvider !== 'sqlite') return;
  const { default: SQLite } = await import('better-sqlite3');
  makePrivateDirectory(config.dataDir);
  const file = join(config.dataDir, lockFileName);
  makePrivateFile(file);
  const connection = new SQLite(file, { timeout: 0 });
  try {
    // In exclusive mode the lock taken by the first write is kept until the connection closes.
    connection.pragma('locking_mode = EXCLUSIVE');
    connection.exec('CREATE TABLE IF NOT EXISTS "holder" ("pid" INTEGER NOT NULL, "since" TEXT NOT NULL)');
    connection.transaction(() => {
      connection.exec('DELETE FROM "holder"');
      connection.prepare('INSERT INTO "holder" VALUES (?, ?)').run(process.pid, new Date().toISOString());
    })();
  } catch (error) {
    connection.close();
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
    throw new StartupError(
      `DATA_DIR ${config.dataDir} is in use by another authgraph server (it holds ${file}): stop that one, or give this one another DATA_DIR; several instances on one database need PostgreSQL`,
    );
  }
  holder = connection;
}
