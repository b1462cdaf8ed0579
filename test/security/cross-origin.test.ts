import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createKey, verifiedSession } from '../helpers/apikeys.js';
import { loginMutation, registerUser } from '../helpers/flows.js';
import { transportNames, transports, type Send } from '../helpers/transports.js';

// Issue 19 (High): a page on another origin, even on the same site, must not read answers
// with the user's credentials nor ride on the refresh or session cookie.
const allowed = 'https://app.example.com';
const sameSitePage = 'http://authgraph.test:8081';

let app: TestApp;
let open: TestApp;
const via = transports();
const viaOpen = transports();

beforeAll(async () => {
  app = await createTestApp();
  open = await createTestApp({ env: { CORS_ORIGINS: `${allowed}, https://admin.example.com` } });
  await via.open(app);
  await viaOpen.open(open);
});
afterAll(async () => {
  via.close();
  viaOpen.close();
  await app.close();
  await open.close();
});

const graphql = (send: Send, headers: Record<string, string>, query = '{ __typename }') =>
  send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
const preflight = (send: Send, path: string, origin: string) =>
  send(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

describe.each(transportNames)('CORS (%s)', (transport) => {
  it('is off by default: no origin, however close, gets a CORS header from /graphql or REST', async () => {
    const send = via.send(transport);
    for (const origin of [sameSitePage, allowed]) {
      for (const answer of [await graphql(send, { origin }), await send('/v1/register', { method: 'POST', headers: { origin } }), await preflight(send, '/graphql', origin), await preflight(send, '/v1/whoami', origin)]) {
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
    }
  });

  it('CORS_ORIGINS opens /graphql and REST to the listed origins only, with credentials', async () => {
    const send = viaOpen.send(transport);
    const fromAllowed = await graphql(send, { origin: allowed });
    expect(fromAllowed.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(fromAllowed.headers.get('access-control-allow-credentials')).toBe('true');
    const restAnswer = await send('/v1/whoami', { headers: { origin: allowed } });
    expect(restAnswer.status).toBe(401);
    expect(restAnswer.headers.get('access-control-allow-origin')).toBe(allowed);
    for (const path of ['/graphql', '/v1/auth/login']) {
      const answer = await preflight(send, path, allowed);
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
      expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    }
    for (const origin of [sameSitePage, 'https://app.example.com.evil.test']) {
      expect((await graphql(send, { origin })).headers.get('access-control-allow-origin')).not.toBe(origin);
      expect((await preflight(send, '/v1/auth/login', origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('the refresh cookie counts only from the server\'s own origin', () => {
  async function browserSession() {
    const { identity } = await registerUser(app);
    const login = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password, clientType: 'BROWSER' } });
    const cookie = /authgraph_refresh=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
    return { cookie: `authgraph_refresh=${cookie}` };
  }
  const refresh = (headers: Record<string, string>) => app.gql('mutation { refresh { accessToken } }', {}, headers);

  it('a page on another port of the same host cannot refresh with it (Sec-Fetch-Site or Origin)', async () => {
    const { cookie } = await browserSession();
    const elsewhere: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-site', origin: sameSitePage },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { origin: sameSitePage },
    ];
    for (const from of elsewhere) {
      const refused = await refresh({ cookie, ...from });
      expect(refused.errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
      expect(refused.data).toBeNull();
    }
    const rest = await app.request('/api/auth/refresh', { method: 'POST', headers: { cookie, origin: sameSitePage } });
    expect(rest.status).toBe(401);
    // The cookie was not spent by those attempts: the console itself still refreshes with it.
    const own = await refresh({ cookie, 'sec-fetch-site': 'same-origin', origin: 'http://authgraph.test' });
    expect(own.data.refresh.accessToken).toEqual(expect.any(String));
  });

  it('a client that is not a browser page (no Origin, no Sec-Fetch-Site) still refreshes with its cookie jar', async () => {
    const { cookie } = await browserSession();
    expect((await refresh({ cookie })).data.refresh.accessToken).toEqual(expect.any(String));
  });

  it('a key is no ambient credential: sent from another page it works, but the answer carries no CORS header for that page to read', async () => {
    const session = await verifiedSession(app);
    const { rawKey } = await createKey(app, session.auth);
    const fromPage = await app.request('/v1/token', { headers: { 'x-api-key': rawKey, origin: sameSitePage } });
    expect(fromPage.status).toBe(200);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('over https the cookies take the __Host- prefix', () => {
  let secure: TestApp;
  beforeAll(async () => {
    secure = await createTestApp({ env: { PUBLIC_URL: 'https://auth.example.test' } });
  });
  afterAll(() => secure.close());

  it('the refresh cookie is __Host-, Secure, Path=/; a cookie without the prefix (a sibling host could set it) is not read', async () => {
    const { identity } = await registerUser(secure);
    const login = await secure.gql(loginMutation, { input: { username: identity.username, password: identity.password, clientType: 'BROWSER' } });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-authgraph_refresh=rt_[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    const token = /^__Host-authgraph_refresh=([^;]+)/.exec(setCookie)![1]!;
    const shadow = await secure.gql('mutation { refresh { accessToken } }', {}, { cookie: `authgraph_refresh=${token}` });
    expect(shadow.errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    const own = await secure.gql('mutation { refresh { accessToken } }', {}, { cookie: `__Host-authgraph_refresh=${token}` });
    expect(own.data.refresh.accessToken).toEqual(expect.any(String));
  });

  it("novem's session cookie too", async () => {
    const { identity } = await registerUser(secure);
    const basic = { authorization: `Basic ${Buffer.from(`${identity.username}:${identity.password}`).toString('base64')}` };
    const auth = await secure.request('/v1/auth', { method: 'POST', headers: basic });
    const setCookie = auth.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-authgraph_session=ses_[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    const secret = /^__Host-authgraph_session=([^;]+)/.exec(setCookie)![1]!;
    expect(await (await secure.request('/v1/whoami', { headers: { cookie: `__Host-authgraph_session=${secret}` } })).text()).toBe(identity.username);
    expect((await secure.request('/v1/whoami', { headers: { cookie: `authgraph_session=${secret}` } })).status).toBe(401);
  });
});
