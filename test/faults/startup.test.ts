import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/crypto/random.js';
import { migrationLockKey } from '../../src/migrate.js';
import { runServerProcess, startServerProcess } from '../helpers/server-process.js';

// Issue 20: PostgreSQL refusing, or accepting and never answering, at start-up ended in
// a stack trace or a silent hang. Each case here sets its own postgres:// DATABASE_URL,
// so it runs on both CI databases (PostgreSQL is up on 5432 for the SQLite run too).
const postgres = { host: '127.0.0.1', port: 5432 };
const stackTrace = /\n\s+at /;

async function listening(server: Server, sockets: Set<Socket>) {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port: (server.address() as AddressInfo).port, close };
}

/** A TCP server that takes connections and never says a word. */
const silentServer = () => listening(createServer(), new Set());

/** PostgreSQL behind a gate: closes each connection at once (as a database still starting) until opened. */
async function gatedPostgres() {
  let open = false;
  let refusedOne = () => {};
  const firstRefusal = new Promise<void>((resolve) => (refusedOne = resolve));
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return refusedOne();
    }
    const upstream = connect(postgres.port, postgres.host);
    client.pipe(upstream).pipe(client);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) from.on('error', () => to.destroy()).on('close', () => to.destroy());
  });
  return { ...(await listening(server, new Set())), firstRefusal, open: () => (open = true) };
}

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'authgraph-startup-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const freshSchema = () => `test_startup_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
const lastLine = (output: string) => output.trim().split('\n').at(-1);

describe('PostgreSQL at start-up', () => {
  it('refusing connections: exit 1 with one line naming DATABASE_URL, without its password', async () => {
    const closed = await silentServer();
    await closed.close();
    const started = Date.now();
    const { code, output } = await runServerProcess({ DATA_DIR: dataDir(), DATABASE_URL: `postgres://authgraph:hunter2-secret@127.0.0.1:${closed.port}/test` });
    expect(code).toBe(1);
    expect(lastLine(output)).toBe(`Cannot reach PostgreSQL at 127.0.0.1:${closed.port} (DATABASE_URL): connection refused.`);
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(stackTrace);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('accepting and never answering: exit 1 after DATABASE_CONNECT_TIMEOUT, with one line saying so', async () => {
    const silent = await silentServer();
    cleanup.push(silent.close);
    const { code, output } = await runServerProcess({
      DATA_DIR: dataDir(),
      DATABASE_URL: `postgres://authgraph:hunter2-secret@127.0.0.1:${silent.port}/test`,
      DATABASE_CONNECT_TIMEOUT: '1',
    });
    expect(code).toBe(1);
    expect(lastLine(output)).toBe(`Cannot reach PostgreSQL at 127.0.0.1:${silent.port} (DATABASE_URL): no answer within 1 s (DATABASE_CONNECT_TIMEOUT).`);
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(stackTrace);
  });

  it('with DATABASE_CONNECT_RETRY, a database that comes up after the start is waited for', async () => {
    const gate = await gatedPostgres();
    cleanup.push(gate.close);
    const starting = startServerProcess({
      DATA_DIR: dataDir(),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${gate.port}/test?schema=${freshSchema()}`,
      DATABASE_CONNECT_RETRY: '60',
    });
    await gate.firstRefusal;
    gate.open();
    const server = await starting;
    cleanup.push(server.destroy);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('a migration lock held elsewhere ends the start after DATABASE_MIGRATION_LOCK_TIMEOUT with one line naming it', async () => {
    const schema = freshSchema();
    const holder = new pg.Client({ connectionString: `postgres://postgres@${postgres.host}:${postgres.port}/test` });
    await holder.connect();
    cleanup.push(() => holder.end());
    // A session-level lock, as an older authgraph left behind a pooler in transaction mode.
    await holder.query('SELECT pg_advisory_lock($1)', [migrationLockKey(schema)]);
    const { code, output } = await runServerProcess({
      DATA_DIR: dataDir(),
      DATABASE_URL: `postgres://postgres@${postgres.host}:${postgres.port}/test?schema=${schema}`,
      DATABASE_MIGRATION_LOCK_TIMEOUT: '1',
    });
    expect(code).toBe(1);
    expect(lastLine(output)).toMatch(/^Timed out after 1 s waiting for the migration lock of schema "test_startup_\w+" \(DATABASE_MIGRATION_LOCK_TIMEOUT\)/);
    expect(output).not.toMatch(stackTrace);
  });
});
