import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDatabaseUrl } from '../src/db.js';
import { migrationsTable } from '../src/migrate.js';
import { capturingLogger, createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { loginMutation, refreshMutation, registerMutation, whoamiQuery } from './helpers/flows.js';
import { call } from './helpers/rest.js';
import { startServerProcess } from './helpers/server-process.js';
import { codes } from '../src/errors.js';

const requestLines = (app: TestApp) =>
  app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');

/** The value of one sample in Prometheus' text format, 0 when absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { REFRESH_REUSE_GRACE: '0' } });
});
afterAll(() => app.close());

async function signedUp() {
  const identity = newIdentity();
  await app.gql(registerMutation, { input: identity });
  const login = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
  return { identity, tokens: login.data.login as { accessToken: string; refreshToken: string } };
}

describe('request log', () => {
  it('writes one JSON line per request with id, method, path, operation, status and duration, and echoes the id', async () => {
    const response = await app.gql(`query Me { whoami { user { id } } }`, {}, { 'x-request-id': 'trace-42' });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    expect(requestLines(app).at(-1)).toMatchObject({
      reqId: 'trace-42',
      method: 'POST',
      path: '/graphql',
      operation: 'Me',
      status: 200,
      durationMs: expect.any(Number),
      level: 30,
    });
  });

  it('tells a failed GraphQL operation from a successful one by its error codes (both answer 200)', async () => {
    const { identity } = await signedUp();
    await app.gql(loginMutation, { input: { username: identity.username, password: 'wrong-password-here' } });
    const failed = requestLines(app).at(-1)!;
    await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    const succeeded = requestLines(app).at(-1)!;
    expect(failed).toMatchObject({ operation: 'Login', status: 200, errors: ['UNAUTHENTICATED'] });
    expect(succeeded).toMatchObject({ operation: 'Login', status: 200 });
    expect(succeeded).not.toHaveProperty('errors');
  });

  it('names an anonymous operation by its type and fields, and a REST request by its path without the query string', async () => {
    await app.gql(`{ whoami { user { id } } }`);
    expect(requestLines(app).at(-1)).toMatchObject({ operation: 'query whoami' });
    await app.request('/v1/whoami?code=123456');
    expect(requestLines(app).at(-1)).toMatchObject({ method: 'GET', path: '/v1/whoami', status: 401 });
    expect(app.logLines.join('')).not.toContain('123456');
  });

  it('makes up a request id when none or a malformed one is sent', async () => {
    const generated = await app.request('/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const malformed of ['spaces and "quotes" {}', 'x'.repeat(129)]) {
      const response = await app.request('/healthz', { headers: { 'x-request-id': malformed } });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('stamps every line logged while serving a request with its id', async () => {
    const { tokens } = await signedUp();
    await app.gql(refreshMutation, { refreshToken: tokens.refreshToken });
    await app.gql(refreshMutation, { refreshToken: tokens.refreshToken }, { 'x-request-id': 'reuse-attempt' });
    const reuse = app.logLines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'refresh-token-reuse');
    expect(reuse).toMatchObject({ reqId: 'reuse-attempt' });
  });

  it("stamps an unexpected failure's line with the request id, on GraphQL and on REST, with the fault's type but not its message", async () => {
    const original = app.runtime.db.user.findFirst;
    const fault = Object.assign(new Error('SELECT "passwordHash" FROM "User"'), { name: 'InjectedFault' });
    app.runtime.db.user.findFirst = (() => Promise.reject(fault)) as typeof original;
    try {
      const input = { username: 'someone', password: 'whatever password' };
      const graphql = await app.gql(loginMutation, { input }, { 'x-request-id': 'fault-graphql' });
      expect(graphql.body.errors?.[0]?.extensions?.code).toBe(codes.INTERNAL);
      expect((await call(app, 'POST', '/v1/auth/login', { body: input, headers: { 'x-request-id': 'fault-rest' } })).status).toBe(500);
    } finally {
      app.runtime.db.user.findFirst = original;
    }
    const faults = app.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'unexpected error');
    expect(faults.map((entry) => entry.reqId)).toEqual(expect.arrayContaining(['fault-graphql', 'fault-rest']));
    for (const entry of faults) expect(entry.err).toMatchObject({ type: 'InjectedFault' });
    expect(app.logLines.join('')).not.toContain('passwordHash');
  });

  it('logs a path with a parameter as its route, so a challenge link never reaches the log', async () => {
    const uid = 'a-challenge-link-secret-0123456789';
    const before = app.logLines.length;
    await app.request(`/challenge/${uid}`);
    const lines = app.logLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((entry) => entry.msg === 'request')).toMatchObject({ path: '/challenge/:uid', method: 'GET' });
    expect(app.logLines.slice(before).join('')).not.toContain(uid);
  });

  it('carries no secret from a whole flow: register, login, refresh, wrong password, logout', async () => {
    const identity = newIdentity();
    const wrongPassword = `${identity.password} but wrong`;
    const before = app.logLines.length;
    await app.gql(registerMutation, { input: identity });
    const login = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    const first = login.data.login as { accessToken: string; refreshToken: string };
    const refreshed = (await app.gql(refreshMutation, { refreshToken: first.refreshToken })).data.refresh;
    const wrong = await app.gql(loginMutation, { input: { username: identity.username, password: wrongPassword } });
    expect(wrong.errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    // A password written into the document itself, and one in a variable that fails validation.
    await app.gql(`mutation { login(input: { username: "${identity.username}", password: "${wrongPassword}" }) { accessToken } }`);
    await app.gql(loginMutation, { input: { username: identity.username, password: wrongPassword, clientType: 'NOPE' } });
    const browser = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password, clientType: 'BROWSER' } });
    const cookie = browser.headers.get('set-cookie')!.split(';')[0]!;
    await app.gql(refreshMutation, {}, { cookie });
    await app.gql('mutation { logout }', {}, { authorization: `Bearer ${refreshed.accessToken}` });

    const logged = app.logLines.slice(before).join('');
    expect(requestLines(app).length).toBeGreaterThanOrEqual(8);
    const secrets = [identity.password, wrongPassword, first.accessToken, first.refreshToken, refreshed.accessToken, refreshed.refreshToken];
    secrets.push(browser.data.login.accessToken, cookie.slice(cookie.indexOf('=') + 1));
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });

  it('censors secret fields and GraphQL documents and variables, but keeps error codes', () => {
    const { logger, lines } = capturingLogger();
    logger.info({
      password: 'p1',
      input: { newPassword: 'p2', code: '123456' },
      headers: { authorization: 'Bearer t1', cookie: 'c=1', 'x-api-key': 'sk_live_k1' },
      params: { query: 'mutation { login }', variables: { password: 'p3' } },
      refreshToken: 'rt_1',
      rawKey: 'sk_live_k2',
      err: { type: 'PrismaClientKnownRequestError', code: 'P2002' },
    });
    const entry = JSON.parse(lines[0]!);
    for (const secret of ['p1', 'p2', '123456', 'Bearer t1', 'c=1', 'sk_live_k1', 'mutation { login }', 'p3', 'rt_1', 'sk_live_k2']) {
      expect(lines[0]).not.toContain(secret);
    }
    expect(entry.err.code).toBe('P2002');
    expect(entry.input.code).toBe('[redacted]');
  });
});

describe('health', () => {
  it('answers /healthz while the process is alive', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz when the database answers and every migration is applied', async () => {
    const response = await app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', database: 'ok', migrations: expect.any(Number) });
  });

  it('is not ready while a migration file is not applied', async () => {
    const target = parseDatabaseUrl(app.config.databaseUrl);
    const table = target.provider === 'postgresql' ? `"${target.schema}"."${migrationsTable}"` : `"${migrationsTable}"`;
    const rows = await app.runtime.db.$queryRawUnsafe<{ name: string; checksum: string; appliedAt: string }[]>(
      `SELECT "name", "checksum", "appliedAt" FROM ${table} ORDER BY "name" DESC`,
    );
    const latest = rows[0]!;
    await app.runtime.db.$executeRawUnsafe(`DELETE FROM ${table} WHERE "name" = '${latest.name}'`);
    try {
      const response = await app.request('/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', database: 'ok', pendingMigrations: [latest.name] });
    } finally {
      await app.runtime.db.$executeRawUnsafe(
        `INSERT INTO ${table} ("name", "checksum", "appliedAt") VALUES ('${latest.name}', '${latest.checksum}', '${latest.appliedAt}')`,
      );
    }
    expect((await app.request('/readyz')).status).toBe(200);
  });

  it('is not ready when the database does not answer', async () => {
    const query = vi.spyOn(app.runtime.db, '$queryRawUnsafe').mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    try {
      const response = await app.request('/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    } finally {
      query.mockRestore();
    }
  });
});

describe('metrics', () => {
  const scrape = async (target: TestApp = app, headers: Record<string, string> = {}) => {
    const response = await target.request('/metrics', { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('counts requests and their latency by route and GraphQL operation', async () => {
    const before = await scrape();
    await app.gql(whoamiQuery);
    await app.request('/v1/whoami');
    const after = await scrape();
    const graphql = 'authgraph_http_requests_total{method="POST",route="/graphql",operation="query whoami",status="200"}';
    expect(sample(after, graphql) - sample(before, graphql)).toBe(1);
    const rest = 'authgraph_http_requests_total{method="GET",route="/v1/whoami",operation="",status="401"}';
    expect(sample(after, rest) - sample(before, rest)).toBe(1);
    const latency = 'authgraph_http_request_duration_seconds_count{method="POST",route="/graphql",operation="query whoami"}';
    expect(sample(after, latency) - sample(before, latency)).toBe(1);
    expect(after).toContain('authgraph_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/graphql",operation="query whoami"}');
  });

  it('counts logins by outcome and failures by error code, for GraphQL and REST', async () => {
    const before = await scrape();
    const { identity } = await signedUp();
    await app.gql(loginMutation, { input: { username: identity.username, password: 'wrong password here' } });
    await app.request('/v1/whoami');
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('authgraph_logins_total{method="password",outcome="success"}')).toBe(1);
    expect(delta('authgraph_logins_total{method="password",outcome="UNAUTHENTICATED"}')).toBe(1);
    expect(delta('authgraph_failures_total{api="graphql",code="UNAUTHENTICATED"}')).toBe(1);
    expect(delta('authgraph_failures_total{api="rest",code="UNAUTHENTICATED"}')).toBe(1);
  });

  it('exports the rate-limit counter and process metrics', async () => {
    const metrics = await scrape();
    expect(metrics).toContain('# TYPE authgraph_rate_limit_hits_total counter');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('reports the sessions that are neither revoked nor expired, counted at scrape time', async () => {
    const own = await createTestApp();
    try {
      const identity = newIdentity();
      await own.gql(registerMutation, { input: identity });
      const input = { username: identity.username, password: identity.password };
      const sessions = [];
      for (let index = 0; index < 3; index += 1) sessions.push((await own.gql(loginMutation, { input })).data.login);
      await own.gql('mutation { logout }', {}, { authorization: `Bearer ${sessions[0].accessToken}` });
      expect(sample(await scrape(own), 'authgraph_active_sessions')).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('wants the METRICS_TOKEN as a bearer token when one is set', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await createTestApp({ env: { METRICS_TOKEN: token } });
    try {
      expect((await guarded.request('/metrics')).status).toBe(401);
      expect((await guarded.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect(await scrape(guarded, { authorization: `Bearer ${token}` })).toContain('authgraph_http_requests_total');
    } finally {
      await guarded.close();
    }
  });
});

describe('graceful shutdown of a real process', () => {
  it('on SIGTERM stops accepting, lets the request in flight finish, then exits 0', async () => {
    const server = await startServerProcess();
    try {
      const { port } = new URL(server.url);
      // A request whose body arrives in two halves is in flight when the signal lands.
      const inFlight = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        inFlight.on('response', (response) => {
          let body = '';
          response.on('data', (chunk) => (body += String(chunk)));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        });
        inFlight.on('error', reject);
      });
      inFlight.write('{"query":"{ __typename');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await vi.waitFor(() => expect(server.output()).toContain('shutting down'));
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
      expect(server.child.exitCode).toBeNull();

      inFlight.end(' }"}');
      expect(await answer).toEqual({ status: 200, body: '{"data":{"__typename":"Query"}}' });
      expect(await exited).toBe(0);
      const log = server
        .output()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(log.find((entry) => entry.msg === 'request')).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
      expect(log.at(-1)).toMatchObject({ msg: 'HTTP server closed', drain: 'drained' });
    } finally {
      await server.destroy();
    }
  });
});
