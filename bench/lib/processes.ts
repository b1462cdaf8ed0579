import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const parentWatch = fileURLToPath(new URL('./parent-watch.mjs', import.meta.url));

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const asyncCleanups = new Set<() => Promise<void>>();

/** Kills what is still running and removes the temporary directories; safe to call from an 'exit' handler. */
function cleanUpSync() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  children.clear();
  tempDirs.clear();
}

/** Runs the asynchronous clean-ups (dropping a PostgreSQL schema), then the synchronous ones. */
export async function cleanUp() {
  for (const cleanup of asyncCleanups) await cleanup().catch(() => undefined);
  asyncCleanups.clear();
  cleanUpSync();
}

export function onCleanUp(cleanup: () => Promise<void>) {
  asyncCleanups.add(cleanup);
}

process.once('exit', cleanUpSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping servers`);
    void cleanUp().finally(() => process.exit(130));
  });
}

export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `authgraph-bench-${label}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A port the kernel just handed out on loopback (free unless someone grabs it in the next millisecond). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export type ServerProcess = {
  name: string;
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 on the ready path. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
};

/**
 * Spawns `node <script>` (with tsx for a .ts script) on a free loopback port and waits for a 200 on readyPath.
 * The server itself is the child (no npm or tsx wrapper), so /proc/<pid> is the server's.
 */
export async function startServer(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  readyPath: string;
  timeoutMs?: number;
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  // The server's log goes to a file, as to a log collector that keeps up: through a pipe to this
  // process, busy driving the load, a full pipe would hold up a server that logs synchronously.
  const logFile = join(makeTempDir('log'), 'server.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, '--import', parentWatch, options.script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['pipe', logFd, logFd],
  });
  closeSync(logFd);
  children.add(child);
  const output = () => readFileSync(logFile, 'utf8').slice(-8000);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready:\n${output()}`))),
  );
  exited.catch(() => undefined);
  const deadline = startedAt + (options.timeoutMs ?? 60_000);
  let readyMs = -1;
  while (readyMs < 0) {
    if (performance.now() > deadline) throw new Error(`${options.name} was not ready within ${options.timeoutMs ?? 60_000} ms:\n${output()}`);
    const ok = await Promise.race([
      fetch(url + options.readyPath).then(
        (response) => response.status === 200,
        () => false,
      ),
      exited,
    ]);
    if (ok) readyMs = performance.now() - startedAt;
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        children.delete(child);
        return resolve();
      }
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(killer);
        children.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { name: options.name, url, child, readyMs, output, stop };
}
