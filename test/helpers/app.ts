import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { parseDatabaseUrl } from '../../src/db.js';
import { createLogger } from '../../src/logger.js';
import type { MailTransport } from '../../src/mail/transport.js';
import { createRuntime } from '../../src/create-runtime.js';
import type { Runtime } from '../../src/runtime.js';
import { randomToken } from '../../src/crypto/random.js';

/** A clock the tests move by hand. */
export function testClock(start = new Date()) {
  let now = start.getTime();
  const clock = () => new Date(now);
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** A logger whose output the test reads back, line by line. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, lines };
}

/** PostgreSQL when DATABASE_URL is set (a fresh schema per app), else a fresh SQLite file. */
export function freshDatabaseUrl(dataDir: string, base = process.env.DATABASE_URL): string {
  if (!base?.startsWith('postgres')) return `file:${join(dataDir, 'test.db')}`;
  const url = new URL(base);
  url.searchParams.set('schema', `test_${randomToken(9).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`);
  return url.toString();
}

/** Drops what freshDatabaseUrl made: the PostgreSQL schema, and the data directory. */
export async function dropTestDatabase(databaseUrl: string, dataDir: string) {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'postgresql' && target.schema) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: target.connectionString });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`);
    await client.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export async function createTestApp(
  options: { env?: Record<string, string>; clock?: ReturnType<typeof testClock>; mailTransport?: MailTransport; spanExporter?: SpanExporter } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-test-'));
  const databaseUrl = freshDatabaseUrl(dataDir);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    // Each app counts its own limits, even in one shared Redis.
    REDIS_KEY_PREFIX: `test-${randomToken(6)}`,
    // Suites register many users from one address; the limit tests set their own numbers.
    RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '100000',
    ...options.env,
  });
  const { logger, lines: logLines } = capturingLogger();
  const clock = options.clock ?? testClock();
  const runtime: Runtime = await createRuntime(config, { clock, logger, mailTransport: options.mailTransport, spanExporter: options.spanExporter });
  const app: App = createApp(runtime);
  const baseUrl = 'http://authgraph.test';

  async function request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', 'vitest');
    return app.fetch(new Request(baseUrl + path, { ...init, headers }));
  }

  async function gql<T = any>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, any> }[] };
    return { status: response.status, headers: response.headers, data: body.data as T, errors: body.errors, body };
  }

  async function close() {
    await runtime.close();
    await dropTestDatabase(databaseUrl, dataDir);
  }

  return { app, runtime, config, clock, request, gql, close, logLines, dataDir, restRoutes: app.restRoutes };
}

let userCounter = 0;

/** A unique, policy-abiding identity for one test. */
export function newIdentity() {
  userCounter += 1;
  const username = `user${userCounter}_${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  return { username, email: `${username}@example.com`, password: `long pass phrase ${randomToken(6)}` };
}
