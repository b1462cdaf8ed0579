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

  it('POST /v1/auth logs in with Basic, creates a named token shown once and sets a session cookie', async () => {
    const result = await auth('laptop');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ name: 'laptop', token_type: 'bearer', token: expect.any(String) });
    expect(result.headers.get('set-cookie')).toMatch(/^authgraph_refresh=rt_[\w-]+;.*HttpOnly/);
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('POST /v1/auth refuses missing or wrong Basic credentials with 401', async () => {
    const missing = await call(app, 'POST', '/v1/auth');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic/);
    const wrong = await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, 'wrong password') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe(codes.UNAUTHENTICATED);
  });
});

describe('novem: token endpoints', () => {
  it('GET /v1/token is 200 for a valid token and 401 otherwise', async () => {
    const { token } = (await auth()).body;
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(token) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(`${token}x`) })).status).toBe(401);
    expect((await call(app, 'GET', '/v1/token')).status).toBe(401);
  });

  it('GET /v1/whoami names the user the token authenticates as', async () => {
    const { token } = (await auth('whoami-check')).body;
    const result = await call(app, 'GET', '/v1/whoami', { headers: bearer(token) });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ user: { username: identity.username }, credential: { kind: 'session', name: 'whoami-check' } });
  });

  it('POST /v1/logout invalidates the current session', async () => {
    const { token } = (await auth()).body;
    expect((await call(app, 'POST', '/v1/logout', { headers: bearer(token) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(token) })).status).toBe(401);
  });
});

describe('novem: OPTIONS answers the verbs valid for the caller', () => {
  it('an anonymous caller sees only the public verbs', async () => {
    const register = await call(app, 'OPTIONS', '/v1/register');
    expect(register.headers.get('allow')).toBe('POST, OPTIONS');
    const token = await call(app, 'OPTIONS', '/v1/token');
    expect(token.status).toBe(200);
    expect(token.body.allow).toEqual(['OPTIONS']);
  });

  it('a session sees the verbs its token may use; Basic credentials open the Basic verbs', async () => {
    const { token } = (await auth()).body;
    const withToken = await call(app, 'OPTIONS', '/v1/token', { headers: bearer(token) });
    expect(withToken.body.allow).toEqual(['GET', 'OPTIONS']);
    const withBasic = await call(app, 'OPTIONS', '/v1/auth', { headers: basic(identity.username, identity.password) });
    expect(withBasic.body.allow).toEqual(['POST', 'OPTIONS']);
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

  it('a session token is revoked by name too, and the admin folder needs a session, not a key', async () => {
    const { token: doomed } = (await auth('old-laptop')).body;
    const { token: session } = (await auth('new-laptop')).body;
    expect((await call(app, 'DELETE', '/v1/admin/tokens/old-laptop', { headers: bearer(session) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/token', { headers: bearer(doomed) })).status).toBe(401);
    const key = await call(app, 'POST', '/v1/token', { headers: basic(identity.username, identity.password), body: { name: 'automation' } });
    expect((await call(app, 'GET', '/v1/admin/tokens', { headers: bearer(key.body.token) })).status).toBe(403);
  });

  it('OPTIONS on /v1/token: Basic opens POST, a token opens GET', async () => {
    const withBasic = await call(app, 'OPTIONS', '/v1/token', { headers: basic(identity.username, identity.password) });
    expect(withBasic.body.allow).toEqual(['POST', 'OPTIONS']);
    const { token } = (await auth()).body;
    const admin = await call(app, 'OPTIONS', '/v1/admin/tokens/anything', { headers: bearer(token) });
    expect(admin.headers.get('allow')).toBe('GET, DELETE, OPTIONS');
    const anonymous = await call(app, 'OPTIONS', '/v1/admin/tokens/anything');
    expect(anonymous.headers.get('allow')).toBe('OPTIONS');
  });
});

describe('novem: OPTIONS only looks at the credential', () => {
  it("spends none of an API key's requests per minute and logs no use of it", async () => {
    const limited = await createTestApp({ env: { API_KEY_RPM_FREE: '2' } });
    try {
      const session = await verifiedSession(limited);
      const { rawKey, apiKey } = await createKey(limited, session.auth);
      for (let asked = 0; asked < 5; asked += 1) {
        expect((await call(limited, 'OPTIONS', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).body.allow).toEqual(['GET', 'OPTIONS']);
      }
      expect((await call(limited, 'GET', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).status).toBe(200);
      expect((await call(limited, 'GET', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).status).toBe(200);
      expect((await call(limited, 'GET', '/v1/whoami', { headers: { 'x-api-key': rawKey } })).status).toBe(errorCodes.RATE_LIMITED.status);
      await limited.runtime.tokenEvents.flush();
      const uses = await limited.runtime.db.tokenEvent.findMany({ where: { apiKeyId: apiKey.id, action: 'request' } });
      expect(uses.map((use) => use.operation)).toEqual(['GET /v1/whoami', 'GET /v1/whoami']);
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
