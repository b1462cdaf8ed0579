import { readlink } from 'node:fs/promises';
import { setPriority } from 'node:os';

/** The lowest scheduling priority: the threads run on whatever CPU the event loop leaves. */
const backgroundNice = 19;

/**
 * Password hashing runs on libuv's thread pool, one thread per hash; with as many pool
 * threads as cores they would take the CPU from the event loop and every other request
 * would wait behind them. Lowering the pool threads' priority lets the event loop run
 * first while the hashes still use every idle cycle.
 *
 * Linux keeps a nice value per thread, but node names no thread, so each pool thread is
 * found by having it read `/proc/thread-self` (file system calls run on the pool). Returns
 * the thread ids lowered, none on other systems.
 */
export async function lowerThreadPoolPriority(): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const threadIds = new Set<number>();
  for (let round = 0; round < 100 && threadIds.size < poolSize; round += 1) {
    const links = await Promise.all(Array.from({ length: poolSize * 8 }, () => readlink('/proc/thread-self')));
    for (const link of links) threadIds.add(Number(link.slice(link.lastIndexOf('/') + 1)));
  }
  for (const threadId of threadIds) setPriority(threadId, backgroundNice);
  return [...threadIds];
}
