import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../../src/crypto/random.js';
import { codes } from '../../src/errors.js';
import { readMigrations } from '../../src/migrate.js';
import { newIdentity } from '../helpers/app.js';
import { startServerProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

// Issue 20: behind PgBouncer in transaction mode, the migration's session-level advisory
// lock and SET search_path landed on different server connections: the lock stayed held
// (later starts hung) and a start that got through created every table in public.
// Here two instances start at once through Debian's pgbouncer, on a fresh database.
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
const pgbouncerPath = '/usr/sbin/pgbouncer';
type Server = Awaited<ReturnType<typeof startServerProcess>>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * pgbouncer in transaction mode on its own port, in front of `server` (the suite's PostgreSQL, through a proxy
 * the test can cut); a small pool, so instances share server connections; server_login_retry and query_wait_timeout
 * short, as the README advises.
 */
async function startPgBouncer(user: string, server: { host: string; port: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'authgraph-pgbouncer-'));
  // pgbouncer refuses to run as root: as root it is started with -u postgres, which must read these files.
  chmodSync(dir, 0o755);
  const port = await freePort();
  writeFileSync(join(dir, 'users.txt'), `"${user}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = transaction',
      'default_pool_size = 3',
      'server_login_retry = 1',
      'query_wait_timeout = 2',
      'max_client_conn = 200',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  const child: ChildProcess = spawn(pgbouncerPath, [...asRoot, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const listening = () => /listening on 127\.0\.0\.1:/.test(output) && resolve();
    child.stderr!.on('data', listening);
    child.stdout!.on('data', listening);
    child.once('exit', (code) => reject(new Error(`pgbouncer exited with ${code}: ${output}`)));
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function gql(server: Server, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'pgbouncer-test', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

/** Register, sign in, whoami, refresh, create an API key and use it: each step must answer without errors. */
async function smokeFlow(server: Server) {
  const identity = newIdentity();
  const step = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const result = await gql(server, query, variables, headers);
    expect(result.errors, query).toBeUndefined();
    return result.data;
  };
  await step('mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
  const { login } = await step('mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }', {
    i: { username: identity.username, password: identity.password },
  });
  const auth = { authorization: `Bearer ${login.accessToken}` };
  expect((await step('{ whoami { user { username } } }', {}, auth)).whoami.user.username).toBe(identity.username);
  await step('mutation($t: String) { refresh(refreshToken: $t) { accessToken } }', { t: login.refreshToken });
  const { createApiKey } = await step('mutation { createApiKey(input: { name: "pgbouncer" }) { rawKey apiKey { id } } }', {}, auth);
  const byKey = await step('{ whoami { credential { id } } }', {}, { 'x-api-key': createApiKey.rawKey });
  expect(byKey.whoami.credential.id).toBe(createApiKey.apiKey.id);
}

describe.skipIf(!onPostgres)('PgBouncer in transaction mode (PostgreSQL)', () => {
  const upstream = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const database = `authgraph_pgbouncer_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const direct = (name: string) => Object.assign(new URL(upstream), { pathname: `/${name}`, search: '' }).toString();
  const admin = async <T>(name: string, work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: direct(name) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const user = decodeURIComponent(upstream.username) || 'postgres';
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let pgbouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  let servers: Server[] = [];

  beforeAll(async () => {
    if (!existsSync(pgbouncerPath)) throw new Error(`${pgbouncerPath} is missing: this test needs Debian's pgbouncer (apt-get install pgbouncer, as .ci/run does)`);
    await admin(upstream.pathname.slice(1), (client) => client.query(`CREATE DATABASE "${database}"`));
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    pgbouncer = await startPgBouncer(user, { host: '127.0.0.1', port: proxy.port });
  });
  afterAll(async () => {
    proxy?.restore();
    await Promise.all(servers.map((server) => server.destroy()));
    await pgbouncer?.stop();
    await proxy?.close();
    await admin(upstream.pathname.slice(1), (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  });

  it('two instances starting at once migrate the asked-for schema once, and serve the smoke flow through it', async () => {
    const databaseUrl = `postgres://${user}@127.0.0.1:${pgbouncer.port}/${database}?schema=authgraph`;
    const env = { DATABASE_URL: databaseUrl, REQUIRE_VERIFIED_EMAIL: 'false' };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    for (const server of servers) await smokeFlow(server);

    const tablesBySchema = await admin(database, async (client) => {
      const { rows } = await client.query<{ schema: string; tables: number }>(
        `SELECT table_schema AS schema, count(*)::int AS tables FROM information_schema.tables WHERE table_schema IN ('authgraph', 'public') GROUP BY 1`,
      );
      return Object.fromEntries(rows.map((row) => [row.schema, row.tables]));
    });
    expect(tablesBySchema.public).toBeUndefined();
    expect(tablesBySchema.authgraph).toBeGreaterThan(5);
    const logged = servers.flatMap((server) => [...server.output().matchAll(/"migrations":(\[[^\]]*\])/g)].flatMap((match) => JSON.parse(match[1]!) as string[]));
    expect(logged.sort()).toEqual(readMigrations('postgresql').map((migration) => migration.name));
    // Nothing is left holding the migration lock: a third start gets through at once.
    const third = await startServerProcess(env);
    servers.push(third);
    await smokeFlow(third);
  });

  it('when PostgreSQL behind pgbouncer goes away, requests answer UPSTREAM_UNAVAILABLE, and are served again within seconds of its return', async () => {
    const [server] = servers;
    const sessions = async (auth: Record<string, string>) => gql(server!, '{ sessions { id } }', {}, auth);
    const identity = newIdentity();
    await gql(server!, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
    const login = await gql(server!, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
      i: { username: identity.username, password: identity.password },
    });
    const auth = { authorization: `Bearer ${login.data.login.accessToken}` };
    expect((await sessions(auth)).errors).toBeUndefined();

    proxy.cut();
    const during = (await sessions(auth)) as { errors?: { extensions?: { code?: string } }[] };
    expect(during.errors?.[0]?.extensions?.code).toBe(codes.UPSTREAM_UNAVAILABLE);

    proxy.restore();
    const restored = Date.now();
    await expect.poll(async () => (await sessions(auth)).errors, { interval: 50 }).toBeUndefined();
    // pgbouncer tries the database again server_login_retry (1 s) after a failed login.
    expect(Date.now() - restored).toBeLessThan(5_000);
  });
});
