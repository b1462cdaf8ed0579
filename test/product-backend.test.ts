import { createRemoteJWKSet, jwtVerify } from 'jose';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, quoteIdentifier } from '../src/db.js';
import { freshDatabaseUrl, newIdentity } from './helpers/app.js';
import { startServerProcess } from './helpers/server-process.js';

// Issue 25, end to end: a product's backend (NovaVMS's /api/v1/cameras) checks the keys its callers send
// against two authgraph instances on one PostgreSQL database (and one Redis when REDIS_URL is set).
const redisUrl = process.env.REDIS_URL;
const postgresBase = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test';
type Server = Awaited<ReturnType<typeof startServerProcess>>;

let a: Server;
let b: Server;
let verifier: Record<string, string>;
let user: { auth: Record<string, string>; id: string };
let admin: { auth: Record<string, string> };
let serviceAccountId: string;

async function gql(server: Server, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'product-backend-test', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function rest(server: Server, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'user-agent': 'product-backend-test', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function signedIn(server: Server) {
  const identity = newIdentity();
  const { register } = await gql(server, 'mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
  const { login } = await gql(server, 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', {
    i: { username: identity.username, password: identity.password },
  });
  return { id: register.id as string, username: identity.username, auth: { authorization: `Bearer ${login.accessToken}` } };
}

/** What `npm run admin -- grant` does, straight in the database the instances share. */
async function grantAdmin(databaseUrl: string, username: string) {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider !== 'postgresql') throw new Error('PostgreSQL expected');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  await client.query(`UPDATE ${quoteIdentifier(target.schema ?? 'public')}."User" SET role = 'ADMIN' WHERE username = $1`, [username]);
  await client.end();
}

async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not within ${ms} ms`);
}

const createKey = async (input: Record<string, unknown>) =>
  (await gql(a, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { rawKey apiKey { id } } }', { i: { name: 'camera-client', ...input } }, user.auth))
    .createApiKey as { rawKey: string; apiKey: { id: string } };

/** The product's middleware: what NovaVMS's GET /api/v1/cameras asks before it answers. */
const verifyOn = (server: Server, key: string, extra: Record<string, unknown> = {}) =>
  rest(server, 'POST', '/v1/keys/verify', { key, permissions: 'cameras:read', operation: 'GET /api/v1/cameras', ...extra }, verifier).then(
    (answer) => answer.body,
  );

beforeAll(async () => {
  // Without Redis an instance cannot hear of another's revocations: keys are not cached (README, "Running in production").
  const shared = {
    REQUIRE_VERIFIED_EMAIL: 'false',
    API_KEY_PERMISSIONS: 'cameras:read,cameras:write,exports:run',
    REDIS_KEY_PREFIX: `product-${process.pid}`,
    ...(redisUrl ? {} : { API_KEY_CACHE_TTL: '0' }),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-product-'));
  a = await startServerProcess({ ...shared, DATA_DIR: dataDir, DATABASE_URL: freshDatabaseUrl(dataDir, postgresBase) });
  b = await startServerProcess({ ...shared, DATA_DIR: a.dataDir, DATABASE_URL: a.databaseUrl });
  const adminUser = await signedIn(a);
  await grantAdmin(a.databaseUrl, adminUser.username);
  admin = adminUser;
  user = await signedIn(a);
  const { createServiceAccount } = await gql(
    a,
    'mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { id } }',
    { i: { name: 'novavms-backend', scopes: ['keys:verify'] } },
    admin.auth,
  );
  serviceAccountId = createServiceAccount.id;
  const { createServiceAccountKey } = await gql(
    a,
    'mutation($id: ID!, $i: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $i) { rawKey } }',
    { id: serviceAccountId, i: { name: 'verifier', scopes: ['keys:verify'], rateLimit: { limit: 100000 } } },
    admin.auth,
  );
  verifier = { 'x-api-key': createServiceAccountKey.rawKey };
}, 120_000);

afterAll(async () => {
  await b?.stop();
  await a?.destroy();
});

describe(`a product backend verifying keys on two instances${redisUrl ? ' with Redis' : ' without Redis'}`, () => {
  it("verifies a user's key and a service account's key with permission queries; the product's operation is in the key's log", async () => {
    const key = await createKey({ permissions: ['cameras:read', 'exports:run'] });
    expect(await verifyOn(b, key.rawKey, { permissions: 'cameras:read AND (exports:run OR cameras:write)', tags: ['camera=7'] })).toMatchObject({
      valid: true,
      code: 'VALID',
      key_id: key.apiKey.id,
      owner: { type: 'user', id: user.id, plan: 'FREE' },
    });
    expect(await verifyOn(b, key.rawKey, { permissions: 'cameras:write', operation: 'POST /api/v1/cameras' })).toMatchObject({
      valid: false,
      code: 'INSUFFICIENT_PERMISSIONS',
    });
    const { createServiceAccountKey } = await gql(
      a,
      'mutation($id: ID!, $i: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $i) { rawKey } }',
      { id: serviceAccountId, i: { name: 'recorder', permissions: ['cameras:write'] } },
      admin.auth,
    );
    expect(await verifyOn(a, createServiceAccountKey.rawKey, { permissions: 'cameras:write' })).toMatchObject({
      valid: true,
      owner: { type: 'service_account', id: serviceAccountId },
    });
    const logged = async () => {
      const { tokenLog } = await gql(a, 'query($id: ID!) { tokenLog(tokenId: $id) { nodes { operation outcome tags } } }', { id: key.apiKey.id }, user.auth);
      return tokenLog.nodes as { operation: string; outcome: string; tags: string[] }[];
    };
    await within(5000, async () => (await logged()).length >= 3);
    expect(await logged()).toEqual(
      expect.arrayContaining([
        { operation: 'GET /api/v1/cameras', outcome: 'success', tags: ['camera=7'] },
        { operation: 'POST /api/v1/cameras', outcome: 'INSUFFICIENT_PERMISSIONS', tags: [] },
      ]),
    );
  });

  it("hits the key's own rate limit, then its usage budget (counted on both instances together with Redis)", async () => {
    const second = redisUrl ? b : a;
    const limited = await createKey({ permissions: ['cameras:read'], rateLimit: { limit: 2, windowSeconds: 3600 } });
    expect((await verifyOn(a, limited.rawKey)).ratelimit).toMatchObject({ limit: 2, remaining: 1 });
    expect((await verifyOn(second, limited.rawKey)).valid).toBe(true);
    expect(await verifyOn(a, limited.rawKey)).toMatchObject({ valid: false, code: 'RATE_LIMITED', ratelimit: { remaining: 0 } });
    const budgeted = await createKey({ permissions: ['cameras:read'], usage: { limit: 4, refill: 'MONTHLY' } });
    expect((await verifyOn(a, budgeted.rawKey, { cost: 3 })).usage).toMatchObject({ limit: 4, remaining: 1 });
    expect(await verifyOn(second, budgeted.rawKey, { cost: 2 })).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', usage: { remaining: 1 } });
    expect((await verifyOn(a, budgeted.rawKey, { cost: 1 })).usage.remaining).toBe(0);
  });

  it('a key rolled, then revoked, on A verifies differently on B within a second', async () => {
    const key = await createKey({ permissions: ['cameras:read'] });
    expect((await verifyOn(b, key.rawKey)).valid).toBe(true);
    const rolled = await rest(a, 'POST', `/v1/auth/api-keys/${key.apiKey.id}/roll`, {}, user.auth);
    expect(rolled.status).toBe(200);
    expect(await within(1000, async () => (await verifyOn(b, key.rawKey)).code === 'NOT_FOUND')).toBeLessThan(1000);
    expect((await verifyOn(b, rolled.body.raw_key)).valid).toBe(true);
    await rest(a, 'DELETE', `/v1/auth/api-keys/${key.apiKey.id}`, undefined, user.auth);
    expect(await within(1000, async () => (await verifyOn(b, rolled.body.raw_key)).code === 'REVOKED')).toBeLessThan(1000);
  });

  it('exchanges a key on B for a token the product verifies offline through the JWKS the discovery document names', async () => {
    const key = await createKey({ permissions: ['cameras:read'] });
    const exchanged = await fetch(`${b.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: key.rawKey,
        subject_token_type: 'urn:authgraph:params:oauth:token-type:api-key',
      }),
    });
    expect(exchanged.status).toBe(200);
    const { access_token: accessToken } = (await exchanged.json()) as { access_token: string };
    const discovery = (await (await fetch(`${a.url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    // The instances listen on port 0 without PUBLIC_URL: the document names the public origin, which here is the test's.
    const jwks = createRemoteJWKSet(new URL(new URL(discovery.jwks_uri).pathname, a.url));
    const { payload } = await jwtVerify(accessToken, jwks, { issuer: discovery.issuer, audience: 'authgraph' });
    expect(payload).toMatchObject({ sub: user.id, key_id: key.apiKey.id, owner_type: 'user', permissions: expect.arrayContaining(['cameras:read']) });
  });
});
