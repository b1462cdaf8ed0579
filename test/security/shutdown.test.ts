import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dropTestDatabase, freshDatabaseUrl, newIdentity } from '../helpers/app.js';
import { registerMutation } from '../helpers/flows.js';
import { startServerProcess } from '../helpers/server-process.js';

type Server = Awaited<ReturnType<typeof startServerProcess>>;

/** A GraphQL request whose body never ends: it holds a graceful shutdown for as long as SHUTDOWN_TIMEOUT lets it. */
async function holdRequestOpen(server: Server) {
  const held = httpRequest({
    host: '127.0.0.1',
    port: new URL(server.url).port,
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
  });
  held.on('error', () => undefined);
  await new Promise<void>((resolve) => held.write('{"query":"{ __typename', () => resolve()));
  // Its headers went out on an earlier connection than this probe's: once the probe is answered, the server is reading it.
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  return held;
}

const exitOf = (server: Server) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));

const logOf = (server: Server) =>
  server
    .output()
    .trim()
    .split('\n')
    .flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));

describe('shutdown of a real process that hangs', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('a second %s ends it at once with exit code 1', async (signal) => {
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT: '600' });
    try {
      const held = await holdRequestOpen(server);
      const exited = exitOf(server);
      server.child.kill(signal);
      await vi.waitFor(() => expect(server.output()).toContain('shutting down'));
      expect(server.child.exitCode).toBeNull();
      server.child.kill(signal);
      expect(await exited).toEqual({ code: 1, signal: null });
      expect(logOf(server).at(-1)).toMatchObject({ msg: 'shutdown forced', reason: `second ${signal}` });
      held.destroy();
    } finally {
      await server.destroy();
    }
  });

  it('a close that hangs is ended after SHUTDOWN_TIMEOUT (twice: draining, then closing) with exit code 1', async () => {
    // An SMTP server that accepts connections and never greets: the queued verification mail never leaves.
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const smtpUrl = `smtp://127.0.0.1:${(blackHole.address() as AddressInfo).port}`;
    const server = await startServerProcess({ SHUTDOWN_TIMEOUT: '1', SMTP_URL: smtpUrl });
    try {
      const registered = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: registerMutation, variables: { input: newIdentity() } }),
      });
      expect(registered.status).toBe(200);
      await vi.waitFor(() => expect(sockets.length).toBeGreaterThan(0));
      const exited = exitOf(server);
      server.child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 1, signal: null });
      expect(logOf(server).at(-1)).toMatchObject({ msg: 'shutdown forced', reason: 'shutdown timeout' });
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
      await server.destroy();
    }
  });
});

describe('npm start', () => {
  it('passes SIGTERM to the server: it shuts down gracefully instead of running on, orphaned', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-npm-start-'));
    // --ignore-scripts: dist/ was built by the suite's setup, no prestart rebuild under other tests' feet.
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: freshDatabaseUrl(dataDir), PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk) => (output += String(chunk)));
    const listening = await vi.waitFor(
      () => {
        const line = output.split('\n').find((entry) => entry.includes('authgraph is listening'));
        if (!line) throw new Error('not listening yet');
        return JSON.parse(line) as { pid: number };
      },
      { timeout: 60_000, interval: 50 },
    );
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    npm.kill('SIGTERM');
    await exited;
    await vi.waitFor(() => expect(() => process.kill(listening.pid, 0)).toThrow(), { timeout: 30_000, interval: 50 });
    expect(output).toContain('"msg":"shutting down"');
    await dropTestDatabase(freshDatabaseUrl(dataDir), dataDir);
  });
});
