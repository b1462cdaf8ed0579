import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestDatabase, freshDatabaseUrl, newIdentity } from './helpers/app.js';
import { loginMutation, refreshMutation, registerMutation, whoamiQuery } from './helpers/flows.js';
import { runServerProcess, startServerProcess } from './helpers/server-process.js';
import { codes } from '../src/errors.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.destroy());

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'smoke', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

describe('a real server started as `npm start` does', () => {
  it('registers, logs in, answers whoami, refreshes and logs out over HTTP', async () => {
    const identity = newIdentity();
    expect((await gql(registerMutation, { input: identity })).errors).toBeUndefined();
    const login = await gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    const { accessToken, refreshToken } = login.data.login;
    const auth = { authorization: `Bearer ${accessToken}` };
    expect((await gql(whoamiQuery, {}, auth)).data.whoami.user.username).toBe(identity.username);
    const refreshed = await gql(refreshMutation, { refreshToken });
    expect(refreshed.data.refresh.refreshToken).toMatch(/^rt_/);
    const next = { authorization: `Bearer ${refreshed.data.refresh.accessToken}` };
    expect((await gql('mutation { logout }', {}, next)).data.logout).toBe(true);
    expect((await gql(whoamiQuery, {}, next)).errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
  });

  it('serves GraphiQL, the JWKS and a health check', async () => {
    const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(await graphiql.text()).toContain('graphiql');
    const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  });

  it('keeps its signing keys across restarts', async () => {
    const before = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    await server.stop();
    server = await startServerProcess({ DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl });
    const after = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    expect(after).toEqual(before);
  });

  it.runIf(process.platform === 'linux')('hashes passwords on thread-pool threads of the lowest priority, its event loop at normal priority', async () => {
    const pid = server.child.pid!;
    // Field 19 of /proc/<pid>/task/<tid>/stat, counted after the parenthesised thread name.
    const niceOf = (threadId: string) => Number(readFileSync(`/proc/${pid}/task/${threadId}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    expect(niceOf(String(pid))).toBe(0);
    expect(readdirSync(`/proc/${pid}/task`).filter((threadId) => niceOf(threadId) === 19)).toHaveLength(poolSize);
    expect(server.output()).toContain(`"hashingThreads":${poolSize}`);
    const identity = newIdentity();
    expect((await gql(registerMutation, { input: identity })).errors).toBeUndefined();
    expect((await gql(loginMutation, { input: { username: identity.username, password: identity.password } })).data.login.accessToken).toBeTruthy();
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const result = await runServerProcess({ PORT: 'not-a-port', DATA_DIR: server.dataDir });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT');
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('refuses a port in use with one line naming PORT', async () => {
    const { port } = new URL(server.url);
    const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-port-in-use-'));
    const result = await runServerProcess({ PORT: port, HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: freshDatabaseUrl(dataDir), LOG_LEVEL: 'warn' });
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n').at(-1)).toBe(`Port ${port} on 127.0.0.1 is in use (PORT, HOST): stop what holds it, or choose another PORT.`);
    expect(result.output).not.toMatch(/\n\s+at /);
    await dropTestDatabase(freshDatabaseUrl(dataDir), dataDir);
  });
});
