import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { parseDatabaseUrl, tableName } from '../src/db.js';
import { createRuntime } from '../src/create-runtime.js';
import { createWebhookEndpoint } from '../src/webhooks/endpoints.js';
import { capturingLogger, freshDatabaseUrl, newIdentity } from './helpers/app.js';
import { httpReceiver, type Receiver } from './helpers/receiver.js';
import { startServerProcess } from './helpers/server-process.js';

// Issue 27: nothing lost when a server dies between the commit and the delivery; several instances deliver each event once.
type Server = Awaited<ReturnType<typeof startServerProcess>>;

const webhookSettings = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_INTERVAL: '1', WEBHOOK_TIMEOUT_MS: '1000' };

/** Registers the receiver in the database the servers will use, as an operator would before starting them. */
async function registerEndpoint(env: Record<string, string>, url: string) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const runtime = await createRuntime(config, { logger: capturingLogger().logger });
  try {
    await createWebhookEndpoint(runtime, { url, events: ['user.created'] }, { kind: 'anonymous' });
  } finally {
    await runtime.close();
  }
}

async function register(server: Server) {
  const identity = newIdentity();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'webhook-processes-test' },
    body: JSON.stringify({ query: 'mutation($i: RegisterInput!) { register(input: $i) { id } }', variables: { i: identity } }),
  });
  const body = (await response.json()) as { data?: { register: { id: string } } };
  return body.data!.register.id;
}

/** The deliveries as stored, read beside the servers (each status is written after its post returned). */
async function deliveryRows(databaseUrl: string) {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider !== 'postgresql') throw new Error('PostgreSQL only');
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const deliveries = tableName(target, 'WebhookDelivery');
    let rows: { status: string; attempts: number }[] = [];
    // Until every delivery has its answer recorded: the receiver can see a post a moment before its row is updated.
    do rows = (await client.query<{ status: string; attempts: number }>(`SELECT "status", "attempts" FROM ${deliveries}`)).rows;
    while (rows.some((row) => row.status === 'pending'));
    return rows;
  } finally {
    await client.end();
  }
}

/** Resolves once `check` holds, looking every 25 ms (the vitest timeout bounds it). */
async function until(check: () => boolean) {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 25));
}

const userIdsIn = (receiver: Receiver) => receiver.received.map((entry) => (JSON.parse(entry.body) as { data: { user: { id: string } } }).data.user.id);

describe('a server killed with a delivery in flight', () => {
  let receiver: Receiver;
  const servers: Server[] = [];

  beforeAll(async () => {
    receiver = await httpReceiver();
  });
  afterAll(async () => {
    for (const server of servers.slice(1)) await server.stop();
    await servers[0]?.destroy();
    await receiver.close();
  });

  it('delivers the event after a restart (SIGKILL after the commit, before any answer)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-webhook-kill-'));
    const env = { ...webhookSettings, DATA_DIR: dataDir, DATABASE_URL: freshDatabaseUrl(dataDir) };
    await registerEndpoint(env, `${receiver.url}/mirror`);
    // The receiver takes the first delivery and never answers it: the server is killed meanwhile.
    receiver.answerWith(() => undefined);
    const first = await startServerProcess(env);
    servers.push(first);
    const userId = await register(first);
    await until(() => receiver.received.length === 1);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    receiver.answerWith(receiver.json(200, {}));
    servers.push(await startServerProcess(env));
    // After the killed attempt's lease runs out, the new server posts it again: same event, same webhook-id.
    await until(() => receiver.received.length === 2);
    expect(userIdsIn(receiver)).toEqual([userId, userId]);
    const [killed, delivered] = receiver.received;
    expect(delivered!.headers['webhook-id']).toBe(killed!.headers['webhook-id']);
  });
});

// Several instances need PostgreSQL (one SQLite DATA_DIR takes one server), as in instances.test.ts.
const postgresBase = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test';

describe('two instances on one PostgreSQL database', () => {
  let receiver: Receiver;
  let a: Server;
  let b: Server;

  beforeAll(async () => {
    receiver = await httpReceiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-webhook-instances-'));
    const env = { ...webhookSettings, DATA_DIR: dataDir, DATABASE_URL: freshDatabaseUrl(dataDir, postgresBase), REQUIRE_VERIFIED_EMAIL: 'false' };
    await registerEndpoint(env, `${receiver.url}/mirror`);
    a = await startServerProcess(env);
    b = await startServerProcess({ ...env, DATA_DIR: a.dataDir, DATABASE_URL: a.databaseUrl });
  });
  afterAll(async () => {
    await b.stop();
    await a.destroy();
    await receiver.close();
  });

  it('deliver each event exactly once, whichever instance wrote it', async () => {
    const userIds = await Promise.all(Array.from({ length: 24 }, (_, index) => register(index % 2 === 0 ? a : b)));
    await until(() => new Set(userIdsIn(receiver)).size === userIds.length);
    // A delivery is marked succeeded after its post returns, and a second post would have claimed it again (attempts 2).
    const deliveries = await deliveryRows(a.databaseUrl);
    expect(deliveries).toHaveLength(userIds.length);
    expect(deliveries.every((row) => row.status === 'succeeded' && row.attempts === 1)).toBe(true);
    expect(receiver.received).toHaveLength(userIds.length);
    expect(new Set(receiver.received.map((entry) => entry.headers['webhook-id'])).size).toBe(userIds.length);
    expect(new Set(userIdsIn(receiver))).toEqual(new Set(userIds));
  });
});
