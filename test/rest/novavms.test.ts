import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../../src/accounts/roles.js';
import { createTestApp, testClock, type TestApp } from '../helpers/app.js';
import { bearer, call } from '../helpers/rest.js';
import { codes, refusals } from '../../src/errors.js';

// Replays the examples of source document 001 (NovaVMS, "Authenticate to the API").
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  const registered = await call(app, 'POST', '/v1/register', {
    body: { username: 'ops', email: 'ops@example.com', password: 'CorrectHorseBattery!' },
  });
  expect(registered.status).toBe(201);
});
afterAll(() => app.close());

const login = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(app, 'POST', '/api/auth/login', { body, headers });

describe('NovaVMS: user JWT flow', () => {
  it('curl: login with client_type api and remember_me false returns both tokens in the body', async () => {
    const result = await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api', remember_me: false });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.stringMatching(/^rt_/) });
    expect(result.headers.get('set-cookie')).toBeNull();
    expect(result.headers.get('cache-control')).toBe('no-store');
    const refreshTtl = Date.parse(result.body.refresh_expires_at) - app.clock().getTime();
    expect(refreshTtl).toBe(7 * 86400_000);
    expect(result.body.expires_in).toBe(3600);
  });

  it('fetch: login without remember_me answers { access_token, refresh_token }', async () => {
    const result = await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' });
    const { access_token, refresh_token } = result.body;
    expect(access_token).toEqual(expect.any(String));
    expect(refresh_token).toEqual(expect.any(String));
  });

  it('httpx: the access token calls the API', async () => {
    const tokens = (await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body;
    const whoami = await call(app, 'GET', '/v1/whoami', { headers: { ...bearer(tokens.access_token), accept: 'application/json' } });
    expect(whoami.status).toBe(200);
    expect(whoami.body.user.username).toBe('ops');
  });

  it('remember_me: true gives a 30-day refresh token; the access token stays 1 hour', async () => {
    const result = await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api', remember_me: true });
    expect(Date.parse(result.body.refresh_expires_at) - app.clock().getTime()).toBe(30 * 86400_000);
    expect(result.body.expires_in).toBe(3600);
  });

  it('client_type browser sets the refresh token as an HttpOnly cookie instead of the body', async () => {
    const result = await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'browser' });
    expect(result.status).toBe(200);
    expect(result.body.refresh_token).toBeUndefined();
    expect(result.headers.get('set-cookie')).toMatch(/^authgraph_refresh=rt_[\w-]+; Path=\/api\/auth\/refresh; .*HttpOnly; SameSite=Strict/);
  });

  it('curl: refresh with Authorization: Bearer $REFRESH_TOKEN rotates the pair; the old one is spent', async () => {
    const tokens = (await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body;
    const refreshed = await call(app, 'POST', '/api/auth/refresh', { headers: bearer(tokens.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);
    app.clock.advance(11_000);
    const replay = await call(app, 'POST', '/api/auth/refresh', { headers: bearer(tokens.refresh_token) });
    expect(replay.status).toBe(401);
  });

  it('refresh from the browser cookie answers with a new cookie', async () => {
    const first = await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'browser' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const refreshed = await call(app, 'POST', '/api/auth/refresh', { headers: { cookie } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(refreshed.headers.get('set-cookie')!.split(';')[0]).not.toBe(cookie);
  });

  it('User-Agent binding: a refresh from another User-Agent is 401 SESSION_MISMATCH, and the user must log in again', async () => {
    const tokens = (await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' }, { 'user-agent': 'novavms-sdk/1.0' })).body;
    const mismatch = await call(app, 'POST', '/api/auth/refresh', { headers: { ...bearer(tokens.refresh_token), 'user-agent': 'curl/8.5' } });
    expect(mismatch.status).toBe(401);
    expect(mismatch.body.code).toBe(codes.SESSION_MISMATCH);
    const again = await call(app, 'POST', '/api/auth/refresh', { headers: { ...bearer(tokens.refresh_token), 'user-agent': 'novavms-sdk/1.0' } });
    expect(again.status).toBe(401);
  });

  it('no IP binding: the same User-Agent may refresh from anywhere', async () => {
    const tokens = (await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body;
    const refreshed = await app.app.fetch(
      new Request('http://authgraph.test/api/auth/refresh', { method: 'POST', headers: { ...bearer(tokens.refresh_token), 'user-agent': 'vitest' } }),
      { ip: '203.0.113.9' },
    );
    expect(refreshed.status).toBe(200);
  });

  it('wrong password and missing fields', async () => {
    expect((await login({ email: 'ops@example.com', password: 'wrong password' })).status).toBe(401);
    const missing = await login({ email: 'ops@example.com' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0].loc).toEqual(['body', 'password']);
    expect((await login({ email: 'ops@example.com', password: 'x', client_type: 'desktop' })).status).toBe(422);
  });
});

describe('NovaVMS: service-account keys', () => {
  it('an admin mints sk_live_ and sk_test_ keys; each is accepted as Authorization: Bearer and names its environment', async () => {
    const admin = (await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body;
    await app.runtime.db.user.update({ where: { email: 'ops@example.com' }, data: { role: 'ADMIN', emailVerified: true } });
    const account = await app.gql(
      'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name } }',
      { input: { name: 'siem-collector', role: 'USER', scopes: ['account:read'] } },
      bearer(admin.access_token),
    );
    expect(account.errors).toBeUndefined();
    for (const environment of ['LIVE', 'TEST'] as const) {
      const minted = await app.gql(
        'mutation($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey apiKey { expiresAt } } }',
        { id: account.data.createServiceAccount.id, input: { name: `collector-${environment}`, environment } },
        bearer(admin.access_token),
      );
      const { rawKey, apiKey } = minted.data.createServiceAccountKey;
      expect(rawKey).toMatch(environment === 'LIVE' ? /^sk_live_/ : /^sk_test_/);
      expect(apiKey.expiresAt).toBeNull();
      const whoami = await call(app, 'GET', '/v1/whoami', { headers: { ...bearer(rawKey), accept: 'application/json' } });
      expect(whoami.status).toBe(200);
      expect(whoami.body).toMatchObject({
        user: null,
        service_account_id: account.data.createServiceAccount.id,
        credential: { kind: 'api_key', environment: environment.toLowerCase() },
      });
    }
  });
});

describe('NovaVMS: sk_test_ keys answer 404 on production-only resources, on both doors', () => {
  const mintKey = async (auth: Record<string, string>, serviceAccountId: string, environment: 'LIVE' | 'TEST') => {
    const minted = await app.gql(
      'mutation($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey } }',
      { id: serviceAccountId, input: { name: `soc-${environment}`, environment } },
      auth,
    );
    return minted.data.createServiceAccountKey.rawKey as string;
  };

  it('GET /api/v1/service-accounts and the serviceAccounts query: a LIVE admin key is served, a TEST one gets NOT_FOUND', async () => {
    // The operator makes "ops" the owner (npm run admin -- owner ops); an owner gives a service account the ADMIN role.
    await setUserRole(app.runtime, 'ops', 'OWNER');
    await app.runtime.db.user.update({ where: { email: 'ops@example.com' }, data: { emailVerified: true } });
    const owner = bearer((await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body.access_token);
    const created = await app.gql(
      'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }',
      { input: { name: 'soc-exporter', role: 'ADMIN', scopes: ['admin'] } },
      owner,
    );
    const serviceAccountId = created.data.createServiceAccount.id;
    const live = await mintKey(owner, serviceAccountId, 'LIVE');
    const test = await mintKey(owner, serviceAccountId, 'TEST');

    const served = await call(app, 'GET', '/api/v1/service-accounts', { headers: bearer(live) });
    expect(served.status).toBe(200);
    expect(served.body.service_accounts).toContainEqual(expect.objectContaining({ id: serviceAccountId, name: 'soc-exporter', role: 'ADMIN', scopes: ['admin'] }));
    expect((await call(app, 'GET', '/api/v1/service-accounts', { headers: owner })).status).toBe(200);
    const restRefusal = await call(app, 'GET', '/api/v1/service-accounts', { headers: bearer(test) });
    expect(restRefusal.status).toBe(404);
    expect(restRefusal.body).toMatchObject({ code: codes.NOT_FOUND, detail: refusals.testKeyProductionOnly.message });

    expect((await app.gql('{ serviceAccounts { id } }', {}, bearer(live))).errors).toBeUndefined();
    const graphqlRefusal = await app.gql('{ serviceAccounts { id } }', {}, bearer(test));
    expect(graphqlRefusal.errors?.[0]).toMatchObject({ message: refusals.testKeyProductionOnly.message, extensions: { code: codes.NOT_FOUND } });
  });

  it('a LIVE key without the admin scope stays 403, no credential 401', async () => {
    await setUserRole(app.runtime, 'ops', 'OWNER');
    const owner = bearer((await login({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' })).body.access_token);
    const created = await app.gql(
      'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }',
      { input: { name: 'ticket-bridge', role: 'USER', scopes: ['account:read'] } },
      owner,
    );
    expect(created.errors).toBeUndefined();
    const live = await mintKey(owner, created.data.createServiceAccount.id, 'LIVE');
    expect((await call(app, 'GET', '/api/v1/service-accounts', { headers: bearer(live) })).body.code).toBe(codes.FORBIDDEN);
    expect((await call(app, 'GET', '/api/v1/service-accounts')).status).toBe(401);
  });
});

describe('NovaVMS: the 90-day absolute session cap (SESSION_MAX_AGE), our addition to the document', () => {
  const day = 86400_000;

  /** A session refreshed every 50 days with 60-day refresh tokens: each refresh's expiry, counted from login, and where it ends. */
  async function refreshEvery50Days(env: Record<string, string>) {
    const clock = testClock();
    const capped = await createTestApp({ clock, env: { REFRESH_TOKEN_TTL: String(60 * 86400), ...env } });
    try {
      await call(capped, 'POST', '/v1/register', { body: { username: 'ops', email: 'ops@example.com', password: 'CorrectHorseBattery!' } });
      const loginAt = clock().getTime();
      const tokens = await call(capped, 'POST', '/api/auth/login', { body: { email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' } });
      let refreshToken = tokens.body.refresh_token as string;
      const expiries: number[] = [];
      for (let refresh = 0; refresh < 3; refresh += 1) {
        clock.advance(50 * day);
        const refreshed = await call(capped, 'POST', '/api/auth/refresh', { headers: bearer(refreshToken) });
        if (refreshed.status !== 200) return { expiries, refusedAt: refresh, code: refreshed.body.code };
        expiries.push(Date.parse(refreshed.body.refresh_expires_at) - loginAt);
        refreshToken = refreshed.body.refresh_token;
      }
      return { expiries, refusedAt: null };
    } finally {
      await capped.close();
    }
  }

  it('by default a session ends 90 days after login, however often it refreshes', async () => {
    // Day 50: the refresh promises no more than day 90; day 100: the session is over.
    expect(await refreshEvery50Days({})).toEqual({ expiries: [90 * day], refusedAt: 1, code: codes.UNAUTHENTICATED });
  });

  it('SESSION_MAX_AGE=0 turns the cap off: each refresh slides the expiry on', async () => {
    expect(await refreshEvery50Days({ SESSION_MAX_AGE: '0' })).toEqual({ expiries: [110 * day, 160 * day, 210 * day], refusedAt: null });
  });
});
