import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { newIdentity } from '../helpers/app.js';
import { runServerProcess, startServerProcess } from '../helpers/server-process.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

// Issue 20: Redis going away degrades an instance (its own limits, revocations
// checked against the database), never stops it, and loses no revocation.
type Server = Awaited<ReturnType<typeof startServerProcess>>;
type Proxy = Awaited<ReturnType<typeof startTcpProxy>>;
const redisTarget = { host: '127.0.0.1', port: 6379 };
const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;

async function gql(server: Server, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'redis-outage-test', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, any> }[] };
}

const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;
const readiness = async (server: Server) => (await fetch(`${server.url}/readyz`)).json() as Promise<Record<string, unknown>>;
const logEvents = (server: Server, event: string) => server.output().split('\n').filter((line) => line.includes(`"event":"${event}"`));

async function register(server: Server) {
  const identity = newIdentity();
  const result = await gql(server, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
  expect(result.errors).toBeUndefined();
  return identity;
}

async function login(server: Server, identity: { username: string; password: string }) {
  const result = await gql(server, 'mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }', {
    i: { username: identity.username, password: identity.password },
  });
  expect(result.errors).toBeUndefined();
  return result.data.login as { accessToken: string; refreshToken: string };
}

async function createKey(server: Server, accessToken: string) {
  return gql(server, 'mutation { createApiKey(input: { name: "outage" }) { rawKey apiKey { id } } }', {}, { authorization: `Bearer ${accessToken}` });
}

const whoami = (server: Server, headers: Record<string, string>) => gql(server, '{ whoami { credential { id } } }', {}, headers);
const shared = { REQUIRE_VERIFIED_EMAIL: 'false', REFRESH_REUSE_GRACE: '0' };

describe('start-up', () => {
  it('an unreachable REDIS_URL ends the start with one line naming it, without its password', async () => {
    const closed = await startTcpProxy(redisTarget);
    closed.cut();
    await closed.close();
    const { code, output } = await runServerProcess({ REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${closed.port}` });
    expect(code).toBe(1);
    const lines = output.split('\n').filter(Boolean);
    expect(lines.at(-1)).toBe(`Cannot reach Redis at 127.0.0.1:${closed.port} (REDIS_URL): connection refused.`);
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(/\n\s+at /);
  });
});

describe('one instance while Redis is away', () => {
  let proxy: Proxy;
  let server: Server;
  beforeAll(async () => {
    proxy = await startTcpProxy(redisTarget);
    server = await startServerProcess({ ...shared, RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '3', REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  });
  afterAll(async () => {
    await server.destroy();
    await proxy.close();
  });

  it('signs in, refreshes, registers and serves keys on its own limits; /readyz says degraded; one log line each way', async () => {
    const identity = await register(server);
    const tokens = await login(server, identity);
    const { rawKey } = (await createKey(server, tokens.accessToken)).data.createApiKey;
    expect(await readiness(server)).toMatchObject({ status: 'ready', redis: 'ok' });

    proxy.cut();
    await expect.poll(() => readiness(server)).toMatchObject({ status: 'degraded', redis: 'unavailable' });
    const during = await login(server, identity);
    const refreshed = await gql(server, 'mutation($t: String) { refresh(refreshToken: $t) { refreshToken } }', { t: during.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    await register(server);
    expect((await whoami(server, { 'x-api-key': rawKey })).errors).toBeUndefined();
    const rest = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: identity.email, password: identity.password }),
    });
    expect(rest.status).toBe(200);
    // The fallback still limits: at most three wrong passwords per account (RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR below).
    const wrong = { i: { username: identity.username, password: 'not-the-password' } };
    const answers = [];
    for (let attempt = 0; attempt < 4; attempt++) answers.push(codeOf(await gql(server, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', wrong)));
    expect(answers).toEqual([codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.RATE_LIMITED]);

    proxy.restore();
    await expect.poll(() => readiness(server)).toMatchObject({ status: 'ready', redis: 'ok' });
    // The lines reach this process through a pipe, maybe after the answer that showed the change.
    await expect.poll(() => logEvents(server, 'redis-restored').length).toBe(1);
    expect(logEvents(server, 'redis-unavailable')).toHaveLength(1);
    // Everything the process wrote is the JSON log: no ioredis complaints on stderr.
    const lines = server.output().split('\n').filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});

describe.runIf(onPostgres)('two instances on one database (PostgreSQL): no revocation is lost to a Redis outage', () => {
  let proxyA: Proxy;
  let proxyB: Proxy;
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    [proxyA, proxyB] = await Promise.all([startTcpProxy(redisTarget), startTcpProxy(redisTarget)]);
    const prefix = `outage-${process.pid}`;
    a = await startServerProcess({ ...shared, REDIS_KEY_PREFIX: prefix, REDIS_URL: `redis://127.0.0.1:${proxyA.port}` });
    b = await startServerProcess({
      ...shared,
      REDIS_KEY_PREFIX: prefix,
      REDIS_URL: `redis://127.0.0.1:${proxyB.port}`,
      DATA_DIR: a.dataDir,
      DATABASE_URL: a.databaseUrl,
    });
  });
  afterAll(async () => {
    await b.stop();
    await a.destroy();
    await Promise.all([proxyA.close(), proxyB.close()]);
  });

  it('a logout and a key revocation on A while Redis is down for both are refused on B at once and after Redis returns', async () => {
    const identity = await register(a);
    const tokens = await login(a, identity);
    const auth = { authorization: `Bearer ${tokens.accessToken}` };
    const { rawKey, apiKey } = (await createKey(a, tokens.accessToken)).data.createApiKey;
    expect((await whoami(b, auth)).errors).toBeUndefined();
    expect((await whoami(b, { 'x-api-key': rawKey })).errors).toBeUndefined();

    proxyA.cut();
    proxyB.cut();
    await expect.poll(async () => (await readiness(b)).redis).toBe('unavailable');
    expect((await gql(a, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, auth)).errors).toBeUndefined();
    expect((await gql(a, 'mutation { logout }', {}, auth)).errors).toBeUndefined();

    expect(codeOf(await whoami(b, auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await whoami(b, { 'x-api-key': rawKey }))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await createKey(b, tokens.accessToken))).toBe(codes.UNAUTHENTICATED);

    proxyA.restore();
    proxyB.restore();
    await expect.poll(async () => (await readiness(b)).redis).toBe('ok');
    expect(codeOf(await whoami(b, auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await whoami(b, { 'x-api-key': rawKey }))).toBe(codes.UNAUTHENTICATED);
  });

  it('a logout on A while only A has lost Redis reaches B when A is back, and B never mints a key for it meanwhile', async () => {
    const identity = await register(a);
    const tokens = await login(a, identity);
    const auth = { authorization: `Bearer ${tokens.accessToken}` };
    expect((await whoami(b, auth)).errors).toBeUndefined();

    proxyA.cut();
    await expect.poll(async () => (await readiness(a)).redis).toBe('unavailable');
    expect((await gql(a, 'mutation { logout }', {}, auth)).errors).toBeUndefined();
    // B heard nothing, but a credential is minted only for a session whose row is live.
    expect(codeOf(await createKey(b, tokens.accessToken))).toBe(codes.UNAUTHENTICATED);

    proxyA.restore();
    await expect.poll(async () => codeOf(await whoami(b, auth))).toBe(codes.UNAUTHENTICATED);
  });
});
