import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../../src/accounts/roles.js';
import { codes } from '../../src/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { transportNames, transports, type Send } from '../helpers/transports.js';

// Replays the client requests of source document 001 (NovaVMS, "Authenticate to the API") as its
// three clients send them: curl, the TypeScript fetch snippet and Python's httpx, with the headers
// each adds of its own. Each runs in process (the app's fetch handler) and against a listening server.
// authgraph has no cameras: GET /api/v1/service-accounts, NovaVMS's admin resource, stands in
// for the document's GET /api/v1/cameras.

const curlHeaders = { 'User-Agent': 'curl/8.5.0', Accept: '*/*' };
const httpxHeaders = { 'User-Agent': 'python-httpx/0.27.0', Accept: '*/*', 'Accept-Encoding': 'gzip, deflate' };
const documentLogin = { email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' };
const day = 86400_000;

let app: TestApp;
const via = transports();
let liveKey: string;
let testKey: string;

beforeAll(async () => {
  app = await createTestApp();
  await via.open(app);

  // The account of the document's examples, made the owner by the operator (npm run admin -- owner ops);
  // the owner mints an ADMIN service account's keys, as "an admin or owner" does at /admin/service-accounts.
  await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', {
    input: { username: 'ops', email: documentLogin.email, password: documentLogin.password },
  });
  await setUserRole(app.runtime, 'ops', 'OWNER');
  const signedIn = await app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', {
    input: { username: 'ops', password: documentLogin.password },
  });
  const owner = { authorization: `Bearer ${signedIn.data.login.accessToken}` };
  const account = await app.gql(
    'mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }',
    { input: { name: 'siem-collector', role: 'ADMIN', scopes: ['admin'] } },
    owner,
  );
  const mint = async (environment: 'LIVE' | 'TEST') =>
    (
      await app.gql(
        'mutation($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey } }',
        { id: account.data.createServiceAccount.id, input: { name: `siem-${environment.toLowerCase()}`, environment } },
        owner,
      )
    ).data.createServiceAccountKey.rawKey as string;
  liveKey = await mint('LIVE');
  testKey = await mint('TEST');
});
afterAll(async () => {
  via.close();
  await app?.close();
});

describe.each(transportNames)('NovaVMS clients, %s', (transport) => {
  const send: Send = via.send(transport);
  const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers });

  /** curl -X POST .../api/auth/login -H "Content-Type: application/json" -d '{...}' */
  const curlLogin = (body: object) =>
    send('/api/auth/login', { method: 'POST', headers: { ...curlHeaders, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(json);
  /** httpx.post(".../api/auth/login", json={...}) */
  const httpxLogin = () =>
    send('/api/auth/login', { method: 'POST', headers: { ...httpxHeaders, 'Content-Type': 'application/json' }, body: JSON.stringify(documentLogin) }).then(json);
  /** curl -X POST .../api/auth/refresh -H "Authorization: Bearer $REFRESH_TOKEN" */
  const curlRefresh = (refreshToken: string, userAgent = curlHeaders['User-Agent']) =>
    send('/api/auth/refresh', { method: 'POST', headers: { ...curlHeaders, 'User-Agent': userAgent, Authorization: `Bearer ${refreshToken}` } }).then(json);
  /** curl -H "Authorization: Bearer $TOKEN" .../api/v1/... */
  const curlGet = (path: string, token: string) => send(path, { headers: { ...curlHeaders, Authorization: `Bearer ${token}` } }).then(json);

  it('curl: login with client_type "api" and remember_me false answers both tokens in the body, a 7-day refresh', async () => {
    const before = app.clock().getTime();
    const { status, body, headers } = await curlLogin({ ...documentLogin, remember_me: false });
    expect(status).toBe(200);
    expect(body).toMatchObject({ access_token: expect.stringMatching(/^ey/), refresh_token: expect.stringMatching(/^rt_/), expires_in: 3600 });
    expect(headers.get('set-cookie')).toBeNull();
    expect(Date.parse(body.refresh_expires_at) - before).toBe(7 * day);
  });

  it('TypeScript fetch: `const { access_token, refresh_token } = await res.json()` after a login without remember_me', async () => {
    const res = await send('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'CorrectHorseBattery!', client_type: 'api' }),
    });
    expect(res.status).toBe(200);
    const { access_token, refresh_token } = (await res.json()) as { access_token: string; refresh_token: string };
    expect(access_token).toMatch(/^ey/);
    expect(refresh_token).toMatch(/^rt_/);
  });

  it('remember_me: true gives a 30-day refresh token; the access token still lasts an hour', async () => {
    const before = app.clock().getTime();
    const { body } = await curlLogin({ ...documentLogin, remember_me: true });
    expect(Date.parse(body.refresh_expires_at) - before).toBe(30 * day);
    expect(body.expires_in).toBe(3600);
  });

  it('httpx: `tokens = r.json()` holds access_token and refresh_token; the access token calls the API as Bearer', async () => {
    const tokens = await httpxLogin();
    expect(tokens.status).toBe(200);
    expect(Object.keys(tokens.body)).toEqual(expect.arrayContaining(['access_token', 'refresh_token']));
    const called = await curlGet('/api/v1/service-accounts', tokens.body.access_token);
    expect(called.status).toBe(200);
    expect(called.body.service_accounts.map((account: { name: string }) => account.name)).toContain('siem-collector');
  });

  it('curl: refresh with Authorization: Bearer $REFRESH_TOKEN rotates it; the new one works, the old one is spent', async () => {
    const first = (await curlLogin(documentLogin)).body;
    const refreshed = await curlRefresh(first.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ access_token: expect.stringMatching(/^ey/), refresh_token: expect.stringMatching(/^rt_/) });
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect((await curlGet('/api/v1/service-accounts', refreshed.body.access_token)).status).toBe(200);
    app.clock.advance(11_000);
    const stored = await curlRefresh(refreshed.body.refresh_token);
    expect(stored.status).toBe(200);
    // Past authgraph's 10 s window for a parallel tab's retry, the discarded token is refused, and
    // (authgraph's addition to the document) presenting it ends the session, as a stolen copy would.
    expect((await curlRefresh(first.refresh_token)).body.code).toBe(codes.UNAUTHENTICATED);
    expect((await curlRefresh(stored.body.refresh_token)).body.code).toBe(codes.UNAUTHENTICATED);
  });

  it('User-Agent binding: a refresh token from httpx refreshed by curl is 401 SESSION_MISMATCH, and the user must log in again', async () => {
    const tokens = (await httpxLogin()).body;
    const mismatch = await curlRefresh(tokens.refresh_token);
    expect(mismatch.status).toBe(401);
    expect(mismatch.body.code).toBe(codes.SESSION_MISMATCH);
    const again = await curlRefresh(tokens.refresh_token, httpxHeaders['User-Agent']);
    expect(again.status).toBe(401);
  });

  it('a service-account key: curl -H "Authorization: Bearer sk_live_..." is served; its sk_test_ twin gets 404', async () => {
    expect(liveKey).toMatch(/^sk_live_/);
    expect(testKey).toMatch(/^sk_test_/);
    const live = await curlGet('/api/v1/service-accounts', liveKey);
    expect(live.status).toBe(200);
    expect(live.body.service_accounts).toContainEqual(expect.objectContaining({ name: 'siem-collector', role: 'ADMIN' }));
    const test = await curlGet('/api/v1/service-accounts', testKey);
    expect(test.status).toBe(404);
    expect(test.body.code).toBe(codes.NOT_FOUND);
  });
});
