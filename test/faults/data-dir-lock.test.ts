import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFileName } from '../../src/data-dir-lock.js';
import { dropTestDatabase } from '../helpers/app.js';
import { runServerProcess, startServerProcess } from '../helpers/server-process.js';

// Issue 20: two processes on one SQLite DATA_DIR raced to create the signing keys (one
// crashed with EEXIST) and failed each other's writes. The second server is refused with one line
// (an admin command beside a server is welcome: see roles.test.ts).

type Server = Awaited<ReturnType<typeof startServerProcess>>;

const sqliteIn = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: `file:${join(dataDir, 'authgraph.db')}` });
const refusal = /^DATA_DIR .+ is in use by another authgraph server/;

describe('one process per SQLite DATA_DIR', () => {
  let dataDir: string;
  const started: Server[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startServerProcess(env);
    started.push(server);
    return server;
  };
  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop();
    if (dataDir) await dropTestDatabase(sqliteIn(dataDir).DATABASE_URL, dataDir);
  });

  it('refuses a second process with one line, and lets the next one in once the first has stopped', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'authgraph-lock-'));
    const first = await start(sqliteIn(dataDir));

    const second = await runServerProcess({ ...sqliteIn(dataDir), PORT: '0', HOST: '127.0.0.1' });
    expect(second.code).toBe(1);
    expect(second.output.trim()).toMatch(refusal);
    expect(second.output.trim().split('\n')).toHaveLength(1);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);

    await first.stop();
    const third = await start(sqliteIn(dataDir));
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
  });

  it('is not held by a process that died without stopping, nor by a lock file alone', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'authgraph-lock-'));
    const killed = await start(sqliteIn(dataDir));
    killed.child.kill('SIGKILL');
    await killed.stop();
    const next = await start(sqliteIn(dataDir));
    expect((await fetch(`${next.url}/readyz`)).status).toBe(200);
    await next.stop();

    // A file of that name that is no lock at all (left by an older layout, or touched by hand).
    const other = mkdtempSync(join(tmpdir(), 'authgraph-lock-'));
    writeFileSync(join(other, lockFileName), '');
    const fresh = await start(sqliteIn(other));
    expect((await fetch(`${fresh.url}/readyz`)).status).toBe(200);
    await fresh.stop();
    await dropTestDatabase(sqliteIn(other).DATABASE_URL, other);
  });
});

describe.runIf(process.env.DATABASE_URL?.startsWith('postgres'))('PostgreSQL instances sharing a DATA_DIR', () => {
  it('both start: the directory holds their shared keys, not the database', async () => {
    const first = await startServerProcess();
    const second = await startServerProcess({ DATA_DIR: first.dataDir, DATABASE_URL: first.databaseUrl });
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    } finally {
      await second.stop();
      await first.destroy();
    }
  });
});
