import { join } from 'node:path';
import type { DatabaseTarget } from './db.js';
import { makePrivateFile } from './private-files.js';
import { StartupError } from './startup-error.js';

export const lockFileName = 'authgraph.lock';

/**
 * Keeps a second process off a SQLite DATA_DIR: two would race to create the signing
 * keys and fail each other's writes (SQLITE_BUSY_SNAPSHOT). The lock is SQLite's own
 * on a small database file, held by the connection until `release()`: the kernel drops
 * it when the process dies, however it dies, so a crash leaves nothing stale to clean
 * up, and, unlike a pid in a file, it holds between containers that share a volume
 * (where each server is pid 1). The file stays: deleting it would let two processes
 * lock two different files of that name.
 */
export async function lockDataDirectory(dataDir: string, target: DatabaseTarget): Promise<{ release: () => void }> {
  // PostgreSQL instances share a DATA_DIR (a volume with the signing keys and secret) by design.
  if (target.provider !== 'sqlite') return { release: () => {} };
  const { default: SQLite } = await import('better-sqlite3');
  const file = join(dataDir, lockFileName);
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
      `DATA_DIR ${dataDir} is in use by another authgraph process (it holds ${file}): stop that one, or give this one another DATA_DIR; several instances on one database need PostgreSQL`,
    );
  }
  return { release: () => connection.close() };
}
