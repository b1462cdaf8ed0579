import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Room for a commit's WAL frames and the next checkpoint; below it SQLite's writes fail or are about to. */
const minimumFreeBytes = 1024 * 1024;

/** Whether the file system that holds a SQLite database file has too little space left to write. */
export async function isStorageFull(databaseFile: string): Promise<boolean> {
  const { bavail, bsize } = await statfs(dirname(databaseFile));
  return bavail * bsize < minimumFreeBytes;
}
