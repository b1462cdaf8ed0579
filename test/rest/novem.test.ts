import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codes, errorCodes } from '../../src/errors.js';
import { createKey, verifiedSession } from '../helpers/apikeys.js';
import { basic, bearer, call } from '../helpers/rest.js';

// Replays source document 000 (novem API, "Authentication").
let app: TestApp;
const identity = newIdentity();
beforeAll(async () => {
  app = await createTestApp();
  const registered = await call(app, 'POST', '/v1/register', { body: identity });
  expect(registered.status).toBe(201);
});
afterAll(() => app.close());

const auth = (name?: string) =>
  call(app, 'POST', '/v1/auth', { headers: basic(identity.username, identity.password), body: name ? { name } : undefined });

describe('novem: public and basic endpoints', () => {
  it('POST /v1/register creates an account', async () => {
    const other = newIdentity();
    const result = await call(app, 'POST', '/v1/register', { body: other });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ username: other.username, email: other.email });
  });

  it('POST /v1/auth logs in with Basic, creates a named session token shown once and sets it as a cookie for /v1', async () => {
    const result = await auth('laptop');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ name: 'laptop', token_name: 'laptop', token_type: 'bearer', token: expect.stringMatching(/^ses_/) });
    // The token lives as long as its session (7 days without remember_me), not as long as a 1-hour JWT.
    expect(result.body.expires_in).toBe(7 * 24 * 3600);
    expect(result.headers.get('set-cookie')).toBe(`authgraph_session=${result.body.token}; Path=/v1; Max-Age=${7 * 24 * 3600}; HttpOnly; SameSite=Strict`);
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('POST /v1/auth takes the credentials in the JSON body too, and a generated name follows the token-name rule', async () => {
    const result = await call(app, 'POST', '/v1/auth', {
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' },
      body: { username: identity.username, password: identity.password, remember_me: true },
    });
    expect(result.status).toBe(200);
    expect(result.body.name).toMatch(/^firefox-132-on-linux-[a-z0-9]{8}$/);
    expect(result.body.expires_in).toBe(30 * 24 * 3600);
  });

  it('POST /v1/auth refuses a name that breaks the rule (422) or that an active token holds (409), and creates nothing', async () => {
    const before = await app.runtime.db.session.count();
    const bad = await auth('My Laptop');
    expect(bad).toMatchObject({ status: 422, body: { code: codes.BAD_USER_INPUT, detail: [{ loc: ['body', 'token_name'] }] } });
    expect(bad.body.message).toMatch(/^token_name: must start with a lower-case letter/);
    await auth('taken-name');
    const duplicate = await auth('taken-name');
    expect(duplicate).toMatchObject({ status: 409, body: { code: codes.CONFLICT, message: expect.stringContaining('"taken-name"') } });
    expect(await app.runtime.db.session.count()).toBe(before + 1);
  });

  it('POST /v1/auth refuses missing or wrong Basic credentials with 401', async () => {
    const missing = await call(app, 'POST', '/v1/auth');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, 'wrong password') });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: codes.UNAUTHENTICATED, message: wrong.body.detail });
  });
});

describe('novem: token endpoints', () => {
  it('GET /v1/token is 200 for a valid token and 401 otherwise', async () => {
    const { token } = (await auth()).body;
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(token) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(`${token}x`) })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/token')).status).toBe(401);
  });

  it('GET /v1/token names the token, its id, kind and expiry', async () => {
    const { token, expires_at } = (await auth('token-check')).body;
    const result = await call(app, 'GET', '/v1/token', { headers: bearer(token) });
    expect(result.body).toEqual({ valid: true, token_name: 'token-check', token_id: expect.any(String), kind: 'session', expires_at });
  });

  it('GET /v1/whoami answers the bare username as text, and the object to a client that asks for JSON', async () => {
    const { token } = (await auth('whoami-check')).body;
    const text = await call(app, 'GET', '/v1/whoami', { headers: bearer(token) });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.body).toBe(identity.username);
    const object = await call(app, 'GET', '/v1/whoami', { headers: { ...bearer(token), accept: 'application/json' } });
    expect(object.body).toMatchObject({ user: { username: identity.username }, credential: { kind: 'session', name: 'whoami-check' } });
  });

  it('POST /v1/logout invalidates the current session', async () => {
    const { token } = (await auth()).body;
    const out = await call(app, 'POST', '/v1/logout', { headers: bearer(token) });
    expect(out.status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(token) })).status).toBe(401);
  });
});

describe("novem: POST /v1/auth's cookie", () => {
  const cookieOf = (token: string) => ({ cookie: `authgraph_session=${token}` });

  it('authenticates the novem routes from the same origin, and logout ends it', async () => {
    const { token } = (await auth('cookie-session')).body;
    const sameOrigin = { ...cookieOf(token), 'sec-fetch-site': 'same-origin', origin: 'http://authgraph.test' };
    expect((await call(app, 'GET', '/v1/whoami', { headers: sameOrigin })).body).toBe(identity.username);
    expect((await call(app, 'GET', '/v1/admin/tokens', { headers: sameOrigin })).status).toBe(200);
    const out = await call(app, 'POST', '/v1/logout', { headers: sameOrigin });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual(['authgraph_session=; Path=/v1; Max-Age=0; HttpOnly; SameSite=Strict']);
    expect((await call(app, 'GET', '/v1/whoami', { headers: sameOrigin })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/whoami', { headers: bearer(token) })).status).toBe(401);
  });

  it('is not a credential for a page on another origin, even on the same site', async () => {
    const { token } = (await auth('cookie-csrf')).body;
    const elsewhere: Record<string, string>[] = [{ 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'http://localhost:9999' }];
    for (const from of elsewhere) {
      const result = await call(app, 'POST', '/v1/logout', { headers: { ...cookieOf(token), ...from } });
      expect(result).toMatchObject({ status: 401, body: { code: codes.UNAUTHENTICATED } });
    }
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(token) })).status).toBe(200);
  });
});

describe('novem: OPTIONS answers the verbs valid for the caller', () => {
  it('an anonymous caller sees the public verbs and those a username and password open', async () => {
    const register = await call(app, 'OPTIONS', '/v1/register');
    expect(register.headers.get('allow')).toBe('POST, OPTIONS');
    const token = await call(app, 'OPTIONS', '/v1/token');
    expect(token.status).toBe(200);
    expect(token.body.allow).toEqual(['POST', 'OPTIONS']);
    expect((await call(app, 'OPTIONS', '/v1/admin/tokens')).body.allow).toEqual(['OPTIONS']);
  });

  it('a session sees the verbs its token may use', async () => {
    const { token } = (await auth()).body;
    const withToken = await call(app, 'OPTIONS', '/v1/token', { headers: bearer(token) });
    expect(withToken.body.allow).toEqual(['GET', 'POST', 'OPTIONS']);
    const logout = await call(app, 'OPTIONS', '/v1/logout', { headers: bearer(token) });
    expect(logout.body.allow).toEqual(['POST', 'OPTIONS']);
  });
});

describe('novem: named API tokens and their admin folder', () => {
  it('POST /v1/token with Basic creates a named token shown once; it authenticates; /v1/admin/tokens lists it by name', async () => {
    await app.runtime.db.user.update({ where: { username: identity.username }, data: { emailVerified: true } });
    const created = await call(app, 'POST', '/v1/token', { headers: basic(identity.username, identity.password), body: { name: 'ci-runner' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci-runner', kind: 'api_key', token: expect.stringMatching(/^sk_live_/) });
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(created.body.token) })).status).toBe(200);

    const { token: session } = (await auth('admin-console')).body;
    const list = await call(app, 'GET', '/v1/admin/tokens', { headers: bearer(session) });
    expect(list.status).toBe(200);
    expect(list.body.map((token: { name: string }) => token.name)).toEqual(expect.arrayContaining(['ci-runner', 'admin-console']));
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);

    const folder = await call(app, 'GET', '/v1/admin/tokens/ci-runner', { headers: bearer(session) });
    expect(folder.body).toEqual({ name: 'ci-runner', entries: ['info', 'log'] });
    const info = await call(app, 'GET', '/v1/admin/tokens/ci-runner/info', { headers: bearer(session) });
    expect(info.body).toMatchObject({ name: 'ci-runner', kind: 'api_key', created_at: expect.any(String) });

    await app.runtime.tokenEvents.flush();
    const log = await call(app, 'GET', '/v1/admin/tokens/ci-runner/log', { headers: bearer(session) });
    expect(log.status).toBe(200);
    expect(log.body.events.map((event: { action: string }) => event.action)).toEqual(expect.arrayContaining(['request', 'create']));
    const used = await call(app, 'GET', '/v1/admin/tokens/ci-runner/info', { headers: bearer(session) });
    expect(used.body.last_used_at).not.toBeNull();

    const revoked = await call(app, 'DELETE', '/v1/admin/tokens/ci-runner', { headers: bearer(session) });
    expect(revoked.body).toEqual({ name: 'ci-runner', revoked: true });
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(created.body.token) })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/admin/tokens/ci-runner', { headers: bearer(session) })).status).toBe(404);
  });

  it('a session token is revoked by name too; a named token manages the folder, a narrower key only what its scopes allow', async () => {
    const { token: doomed } = (await auth('old-laptop')).body;
    const { token: session } = (await auth('new-laptop')).body;
    expect((await call(app, 'DELETE', '/v1/admin/tokens/old-laptop', { headers: bearer(session) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(doomed) })).status).toBe(401);
    const named = await call(app, 'POST', '/v1/token', { headers: basic(identity.username, identity.password), body: { name: 'automation' } });
    expect((await call(app, 'GET', '/v1/admin/tokens', { headers: bearer(named.body.token) })).status).toBe(200);
    expect((await call(app, 'OPTIONS', '/v1/admin/tokens/new-laptop', { headers: bearer(named.body.token) })).body.allow).toEqual(['GET', 'DELETE', 'OPTIONS']);

    const readOnly = await createKey(app, bearer(session), { name: 'read-only', scopes: ['tokens:read'] });
    expect((await call(app, 'GET', '/v1/admin/tokens/new-laptop/info', { headers: bearer(readOnly.rawKey) })).status).toBe(200);
    const refused = await call(app, 'DELETE', '/v1/admin/tokens/new-laptop', { headers: bearer(readOnly.rawKey) });
    expect(refused).toMatchObject({ status: 403, body: { code: codes.FORBIDDEN, message: 'This key lacks the tokens:write scope.' } });
    expect((await call(app, 'OPTIONS', '/v1/admin/tokens/new-laptop', { headers: bearer(readOnly.rawKey) })).body.allow).toEqual(['GET', 'OPTIONS']);
    const accountOnly = await createKey(app, bearer(session), { name: 'account-only', scopes: ['account:read'] });
    expect((await call(app, 'GET', '/v1/admin/tokens', { headers: bearer(accountOnly.rawKey) })).status).toBe(403);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(session) })).status).toBe(200);
  });

  it('OPTIONS on /v1/token: anyone may try POST with a password, a token opens GET', async () => {
    const withBasic = await call(app, 'OPTIONS', '/v1/token', { headers: basic(identity.username, identity.password) });
    expect(withBasic.body.allow).toEqual(['POST', 'OPTIONS']);
    const { token } = (await auth()).body;
    const admin = await call(app, 'OPTIONS', '/v1/admin/tokens/anything', { headers: bearer(token) });
    expect(admin.headers.get('allow')).toBe('GET, DELETE, OPTIONS');
    const anonymous = await call(app, 'OPTIONS', '/v1/admin/tokens/anything');
    expect(anonymous.headers.get('allow')).toBe('OPTIONS');
  });
});

describe('novem: OPTIONS is a use of the credential', () => {
  it("spends a key's request per minute and is in its activity log, so a stolen key cannot be tried unseen", async () => {
    const limited = await createTestApp({ env: { API_KEY_RPM_FREE: '2' } });
    try {
      const session = await verifiedSession(limited);
      const { rawKey, apiKey } = await createKey(limited, session.auth);
      expect((await call(limited, 'OPTIONS', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).body.allow).toEqual(['GET', 'OPTIONS']);
      expect((await call(limited, 'GET', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).status).toBe(200);
      // The third use in the minute is over the limit: OPTIONS then answers as to an anonymous caller.
      expect((await call(limited, 'OPTIONS', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).body.allow).toEqual(['OPTIONS']);
      expect((await call(limited, 'GET', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).status).toBe(errorCodes.RATE_LIMITED.status);
      await limited.runtime.tokenEvents.flush();
      const uses = await limited.runtime.db.tokenEvent.findMany({ where: { apiKeyId: apiKey.id, action: 'request' } });
      expect(uses.map((use) => use.operation).sort()).toEqual(['GET /v1/whoami', 'OPTIONS /v1/whoami']);
    } finally {
      await limited.close();
    }
  });

  it('a known path asked with a verb it does not answer is 405 with Allow, an unknown path 404', async () => {
    const wrongVerb = await call(app, 'PUT', '/v1/token');
    expect(wrongVerb).toMatchObject({ status: 405, body: { code: codes.METHOD_NOT_ALLOWED } });
    expect(wrongVerb.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect(await call(app, 'PUT', '/v1/no-such-path')).toMatchObject({ status: 404, body: { code: codes.NOT_FOUND } });
  });
});
