import { availableParallelism } from 'node:os';
import argon2 from 'argon2';

/** The parameters authgraph hashes with (README: OWASP's minimum for argon2id). */
export const argon2Parameters = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes per second this machine can do at those parameters: as many hashes in flight as
 * cores, on argon2's own thread pool (libuv's, 4 threads by default), for `seconds`; and the
 * CPU one hash costs, read from this process (idle otherwise while it hashes).
 */
export async function measureArgon2Ceiling(seconds: number) {
  const inFlight = availableParallelism();
  const hash = await argon2.hash('warm up the thread pool', argon2Parameters);
  const deadline = performance.now() + seconds * 1000;
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  let done = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await argon2.verify(hash, 'a password that does not match');
        done += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return {
    hashesPerSecond: done / ((performance.now() - startedAt) / 1000),
    cpuMsPerHash: (cpu.user + cpu.system) / 1000 / done,
    inFlight,
    hashes: done,
  };
}
