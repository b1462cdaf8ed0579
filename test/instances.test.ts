import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabaseUrl, newIdentity } from './helpers/app.js';
import { startServerProcess } from './helpers/server-process.js';
import { codes } from '../src/errors.js';

// Issue 9: several instances on one database (and one Redis when REDIS_URL is set), and durability.
const redisUrl = process.env.REDIS_URL;
type Server = Awaited<ReturnType<typeof startServerProcess>>;

async function post(server: Server, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'instances-test', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, any> }[] };
}

async function signedIn(server: Server) {
  const identity = newIdentity();
  await post(server, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
  const login = await post(server, 'mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken user { id } } }', {
    i: { username: identity.username, password: identity.password },
  });
  return { identity, ...login.data.login };
}

async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not within ${ms} ms`);
}

// Several instances need PostgreSQL (a second process on one SQLite DATA_DIR is refused: test/faults/data-dir-lock.test.ts),
// so on the SQLite run these instances share a PostgreSQL schema, without Redis.
const postgresBase = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test';

describe(`two instances on one PostgreSQL database${redisUrl ? ' and one Redis' : ' without Redis'}`, () => {
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    // Without Redis an instance cannot hear of another's revocations: keys are not cached (README, "Running in production").
    const shared = { REQUIRE_VERIFIED_EMAIL: 'false', REFRESH_REUSE_GRACE: '0', RATE_LIMIT_LOGIN_FREE_FAILURES: '1000', ...(redisUrl ? {} : { API_KEY_CACHE_TTL: '0' }) };
    const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-instances-'));
    a = await startServerProcess({
      ...shared,
      RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '3',
      REDIS_KEY_PREFIX: `instances-${process.pid}`,
      DATA_DIR: dataDir,
      DATABASE_URL: freshDatabaseUrl(dataDir, postgresBase),
    });
    b = await startServerProcess({
      ...shared,
      RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '3',
      REDIS_KEY_PREFIX: `instances-${process.pid}`,
      DATA_DIR: a.dataDir,
      DATABASE_URL: a.databaseUrl,
    });
  });
  afterAll(async () => {
    await b.stop();
    await a.destroy();
  });

  it('a key revoked on A is refused on B within 1 s', async () => {
    const { accessToken } = await signedIn(a);
    const auth = { authorization: `Bearer ${accessToken}` };
    const created = await post(a, 'mutation { createApiKey(input: { name: "shared" }) { rawKey apiKey { id } } }', {}, auth);
    const { rawKey, apiKey } = created.data.createApiKey;
    const whoamiOnB = () => post(b, '{ whoami { credential { id } } }', {}, { 'x-api-key': rawKey });
    expect((await whoamiOnB()).data.whoami.credential.id).toBe(apiKey.id);
    await post(a, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, auth);
    const elapsed = await within(1000, async () => (await whoamiOnB()).errors?.[0]?.extensions?.code === codes.UNAUTHENTICATED);
    expect(elapsed).toBeLessThan(1000);
  });

  it(`a logout on A ends the session on B: its refresh token at once${redisUrl ? ', its access token within 1 s' : ''}`, async () => {
    const { accessToken, refreshToken } = await signedIn(a);
    const auth = { authorization: `Bearer ${accessToken}` };
    expect((await post(b, '{ whoami { credential { id } } }', {}, auth)).errors).toBeUndefined();
    await post(a, 'mutation { logout }', {}, auth);
    expect((await post(a, '{ whoami { credential { id } } }', {}, auth)).errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    const refreshOnB = await post(b, 'mutation($t: String) { refresh(refreshToken: $t) { refreshToken } }', { t: refreshToken });
    expect(refreshOnB.errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    if (redisUrl) {
      const elapsed = await within(1000, async () => (await post(b, '{ whoami { credential { id } } }', {}, auth)).errors !== undefined);
      expect(elapsed).toBeLessThan(1000);
    }
  });

  it('the same refresh token sent to A and B at once succeeds exactly once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { refreshToken } = await signedIn(a);
      const refresh = (server: Server) =>
        post(server, 'mutation($t: String) { refresh(refreshToken: $t) { refreshToken } }', { t: refreshToken });
      const results = await Promise.all([refresh(a), refresh(b), refresh(a), refresh(b)]);
      expect(results.filter((result) => !result.errors)).toHaveLength(1);
    }
  });

  it(redisUrl ? 'a login limit hit on A holds on B' : 'without Redis each instance counts its own login limits', async () => {
    const { identity } = await signedIn(a);
    const attempt = (server: Server, password: string) =>
      post(server, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { username: identity.username, password } });
    for (let failure = 0; failure < 3; failure += 1) {
      expect((await attempt(a, 'wrong password!')).errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    }
    expect((await attempt(a, identity.password)).errors?.[0]?.extensions?.code).toBe(codes.RATE_LIMITED);
    const onB = await attempt(b, identity.password);
    if (redisUrl) expect(onB.errors?.[0]?.extensions?.code).toBe(codes.RATE_LIMITED);
    else expect(onB.errors).toBeUndefined();
  });
});

describe('durability', () => {
  it('every acknowledged registration survives a SIGKILL under load', async () => {
    const server = await startServerProcess({ RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '100000' });
    const acknowledged: { username: string; password: string }[] = [];
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const identity = newIdentity();
        try {
          const result = await post(server, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
          if (result.data?.register?.id) acknowledged.push(identity);
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await within(60_000, async () => acknowledged.length >= 20);
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await server.stop();

    const restarted = await startServerProcess({ DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl });
    try {
      for (const identity of acknowledged) {
        const login = await post(restarted, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
          i: { username: identity.username, password: identity.password },
        });
        expect(login.errors, identity.username).toBeUndefined();
      }
    } finally {
      await restarted.destroy();
    }
  }, 120_000);
});
