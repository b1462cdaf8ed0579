import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomToken } from '../../src/crypto/random.js';
import { dropTestDatabase, freshDatabaseUrl } from './app.js';

const root = new URL('../../', import.meta.url);

/** Starts the built server (dist/main.js, see test/global-setup.ts) as `npm start` does, on a free port; resolves with its URL once it listens. */
export async function startServerProcess(env: Record<string, string> = {}) {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'authgraph-server-'));
  const databaseUrl = env.DATABASE_URL ?? freshDatabaseUrl(dataDir);
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // As createTestApp: limits counted per server even in one shared Redis, and room for many registrations.
      REDIS_KEY_PREFIX: `test-${randomToken(6)}`,
      RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '100000',
      // Hashing runs on the lowest-priority threads: beside other CPU-heavy work a login can take
      // longer than the default 15 s limit, which the suites that test it set for themselves.
      REQUEST_TIMEOUT: '120',
      ...env,
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr!.on('data', (chunk) => {
      output += String(chunk);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  /** Stops the server and drops its database and data directory. */
  const destroy = async () => {
    await stop();
    await dropTestDatabase(databaseUrl, dataDir);
  };
  return { url, child, dataDir, databaseUrl, stop, destroy, output: () => output };
}

/** Runs the built server to completion (for start-up failures). */
export function runServerProcess(env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['dist/main.js'], { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
