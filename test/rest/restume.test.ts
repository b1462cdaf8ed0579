import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, call } from '../helpers/rest.js';
import { codes } from '../../src/errors.js';
import { setUserPlan } from '../../src/accounts/plan.js';
import { createKey, keyHeader } from '../helpers/apikeys.js';

// Replays the examples of source documents 002 and 003 (RESTume).
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const yourname = { username: 'yourname', email: 'you@example.com', password: 'secureP@ss123', full_name: 'Your Name' };

async function jwt() {
  const login = await call(app, 'POST', '/v1/auth/login', { body: { username: 'yourname', password: 'secureP@ss123' } });
  expect(login.status).toBe(200);
  return login.body.access_token as string;
}

describe('RESTume: JWT token flow', () => {
  it('1. register returns the user profile with id, username, email and full_name', async () => {
    const result = await call(app, 'POST', '/v1/auth/register', { body: yourname });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ username: 'yourname', email: 'you@example.com', full_name: 'Your Name' });
    expect(result.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.body.password).toBeUndefined();
  });

  it('2. login answers exactly { access_token, token_type: "bearer" }', async () => {
    const result = await call(app, 'POST', '/v1/auth/login', { body: { username: 'yourname', password: 'secureP@ss123' } });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(['access_token', 'token_type']);
    expect(result.body.token_type).toBe('bearer');
    expect(result.body.access_token.split('.')).toHaveLength(3);
  });

  it('login also takes the e-mail address as username', async () => {
    const result = await call(app, 'POST', '/v1/auth/login', { body: { username: 'you@example.com', password: 'secureP@ss123' } });
    expect(result.status).toBe(200);
  });

  it('3. GET /v1/me/account with the JWT', async () => {
    const result = await call(app, 'GET', '/v1/me/account', { headers: bearer(await jwt()) });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      username: 'yourname',
      google_linked: false,
      has_password: true,
      can_unlink_google: false,
      available_sign_in_methods: ['password'],
    });
  });

  it('plan_source: "default" until an administrator sets the plan (npm run admin -- pro), then "admin"', async () => {
    const token = await jwt();
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).body).toMatchObject({ plan: 'FREE', plan_source: 'default' });
    await setUserPlan(app.runtime, 'yourname', 'PRO');
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).body).toMatchObject({ plan: 'PRO', plan_source: 'admin' });
    await setUserPlan(app.runtime, 'yourname', 'FREE');
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).body).toMatchObject({ plan: 'FREE', plan_source: 'admin' });
  });

  it('GET /v1/me/profile with the JWT (httpx example)', async () => {
    const result = await call(app, 'GET', '/v1/me/profile', { headers: bearer(await jwt()) });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ username: 'yourname', email: 'you@example.com', full_name: 'Your Name' });
  });
});

describe('RESTume: a login session lives as long as its access token', () => {
  const sessionsQuery = '{ sessions { id current expiresAt } }';

  it('no refresh token is stored; the session is listed until the token expires, then it is gone and the token refused', async () => {
    const token = await jwt();
    const listed = (await app.gql(sessionsQuery, {}, bearer(token))).data.sessions;
    const current = listed.find((session: { current: boolean }) => session.current);
    expect(Date.parse(current.expiresAt) - app.clock().getTime()).toBe(app.config.jwt.accessTokenTtl * 1000);
    const stored = await app.runtime.db.session.findUniqueOrThrow({ where: { id: current.id }, include: { refreshTokens: true } });
    expect(stored.refreshTokens).toEqual([]);

    const other = await jwt();
    app.clock.advance(app.config.jwt.accessTokenTtl * 1000 + 1000);
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).status).toBe(401);
    const later = await jwt();
    const ids = (await app.gql(sessionsQuery, {}, bearer(later))).data.sessions.map((session: { id: string }) => session.id);
    expect(ids).not.toContain(current.id);
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(other) })).status).toBe(401);
  });

  it('logout and revokeSession end it at once', async () => {
    const first = await jwt();
    const second = await jwt();
    expect((await app.gql('mutation { logout }', {}, bearer(first))).data.logout).toBeTruthy();
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(first) })).status).toBe(401);
    const sessions = (await app.gql(sessionsQuery, {}, bearer(second))).data.sessions;
    const mine = sessions.find((session: { current: boolean }) => session.current);
    const revoked = await app.gql('mutation($id: ID!) { revokeSession(id: $id) { id } }', { id: mine.id }, bearer(second));
    expect(revoked.errors).toBeUndefined();
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(second) })).status).toBe(401);
  });
});

describe('RESTume: API key flow', () => {
  it('1. POST /v1/auth/api-keys with the JWT returns the key once', async () => {
    const token = await jwt();
    await app.runtime.db.user.update({ where: { username: 'yourname' }, data: { emailVerified: true } });
    const result = await call(app, 'POST', '/v1/auth/api-keys', { headers: bearer(token), body: { name: 'my-app-key' } });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ name: 'my-app-key', is_active: true });
    expect(result.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.body.raw_key).toMatch(/^rst_[a-z0-9]{50}$/);
    expect(result.body.prefix).toBe(result.body.raw_key.slice(0, 8));
    expect(result.body.created_at).toEqual(expect.any(String));
    const listed = await call(app, 'GET', '/v1/auth/api-keys', { headers: bearer(token) });
    expect(listed.status).toBe(200);
    expect(listed.body.map((key: { id: string }) => key.id)).toContain(result.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(result.body.raw_key);
  });

  it('2. GET /v1/me/profile with X-API-Key (curl, and the fetch example)', async () => {
    const token = await jwt();
    const { raw_key } = (await call(app, 'POST', '/v1/auth/api-keys', { headers: bearer(token), body: { name: 'my-key' } })).body;
    const profile = await call(app, 'GET', '/v1/me/profile', { headers: { 'x-api-key': raw_key } });
    expect(profile.status).toBe(200);
    expect(profile.body.username).toBe('yourname');
    const account = await call(app, 'GET', '/v1/me/account', { headers: { 'x-api-key': raw_key } });
    expect(account.status).toBe(200);
  });

  it('one deployment issues and accepts both formats: rst_ from RESTume, sk_live_/sk_test_ from GraphQL; a roll keeps the format', async () => {
    const token = await jwt();
    const restume = (await call(app, 'POST', '/v1/auth/api-keys', { headers: bearer(token), body: { name: 'restume-door' } })).body;
    const live = await createKey(app, bearer(token), { name: 'graphql-live' });
    const test = await createKey(app, bearer(token), { name: 'graphql-test', environment: 'TEST' });
    expect(live.rawKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(test.rawKey).toMatch(/^sk_test_[\w-]{43}$/);
    for (const rawKey of [restume.raw_key, live.rawKey, test.rawKey]) {
      for (const headers of [keyHeader(rawKey), bearer(rawKey)]) {
        expect((await call(app, 'GET', '/v1/me/profile', { headers })).status, rawKey.slice(0, 8)).toBe(200);
      }
    }
    const stored = await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: restume.id } });
    expect(stored).toMatchObject({ environment: 'LIVE', prefix: restume.prefix });
    expect(JSON.stringify(stored)).not.toContain(restume.raw_key.slice(restume.prefix.length));
    const roll = `mutation($id: ID!) { rollApiKey(id: $id) { rawKey apiKey { prefix environment } } }`;
    const rolledRestume = (await app.gql(roll, { id: restume.id }, bearer(token))).data.rollApiKey;
    expect(rolledRestume.rawKey).toMatch(/^rst_[a-z0-9]{50}$/);
    expect(rolledRestume.apiKey).toEqual({ prefix: rolledRestume.rawKey.slice(0, 8), environment: 'LIVE' });
    const rolledTest = (await app.gql(roll, { id: test.apiKey.id }, bearer(token))).data.rollApiKey;
    expect(rolledTest.rawKey).toMatch(/^sk_test_[\w-]{43}$/);
    expect(rolledTest.apiKey.environment).toBe('TEST');
    expect((await call(app, 'GET', '/v1/me/profile', { headers: keyHeader(rolledRestume.rawKey) })).status).toBe(200);
    expect((await call(app, 'GET', '/v1/me/profile', { headers: keyHeader(restume.raw_key) })).status).toBe(401);
  });

  it('403: a key cannot manage keys; JWT is required there', async () => {
    const token = await jwt();
    const { raw_key, id } = (await call(app, 'POST', '/v1/auth/api-keys', { headers: bearer(token), body: { name: 'automation' } })).body;
    for (const [method, path] of [
      ['POST', '/v1/auth/api-keys'],
      ['GET', '/v1/auth/api-keys'],
      ['DELETE', `/v1/auth/api-keys/${id}`],
    ] as const) {
      const result = await call(app, method, path, { headers: { 'x-api-key': raw_key }, body: method === 'POST' ? { name: 'x' } : undefined });
      expect(result.status, `${method} ${path}`).toBe(403);
      expect(result.body.code).toBe(codes.FORBIDDEN);
    }
  });

  it('DELETE /v1/auth/api-keys/{key_id} revokes: the key is refused on the very next request', async () => {
    const token = await jwt();
    const { raw_key, id } = (await call(app, 'POST', '/v1/auth/api-keys', { headers: bearer(token), body: { name: 'short-lived' } })).body;
    expect((await call(app, 'GET', '/v1/me/profile', { headers: { 'x-api-key': raw_key } })).status).toBe(200);
    const revoked = await call(app, 'DELETE', `/v1/auth/api-keys/${id}`, { headers: bearer(token) });
    expect(revoked.status).toBe(200);
    expect(revoked.body.is_active).toBe(false);
    expect((await call(app, 'GET', '/v1/me/profile', { headers: { 'x-api-key': raw_key } })).status).toBe(401);
    expect((await call(app, 'DELETE', `/v1/auth/api-keys/${crypto.randomUUID()}`, { headers: bearer(token) })).status).toBe(404);
  });
});

describe('RESTume: common errors', () => {
  it('401: missing or invalid token', async () => {
    const attempts: Record<string, string>[] = [{}, bearer('not-a-token'), { 'x-api-key': 'rst_nope' }, { 'x-api-key': `rst_${'a'.repeat(50)}` }];
    for (const headers of attempts) {
      const result = await call(app, 'GET', '/v1/me/account', { headers });
      expect(result.status).toBe(401);
      expect(result.body).toMatchObject({ detail: expect.any(String), code: codes.UNAUTHENTICATED });
    }
  });

  it('422: the body does not match the schema, with FastAPI details naming each field', async () => {
    const result = await call(app, 'POST', '/v1/auth/register', { body: { username: 'someone', email: 42 } });
    expect(result.status).toBe(422);
    const fields = result.body.detail.map((problem: { loc: string[] }) => problem.loc.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password']));
    const weak = await call(app, 'POST', '/v1/auth/register', { body: { ...yourname, username: 'other', email: 'o@example.com', password: 'short' } });
    expect(weak.status).toBe(422);
    expect(weak.body.detail[0].loc).toEqual(['body', 'password']);
  });

  it('409: a taken username', async () => {
    const result = await call(app, 'POST', '/v1/auth/register', { body: { ...yourname, email: 'another@example.com' } });
    expect(result.status).toBe(409);
    expect(result.body.code).toBe(codes.CONFLICT);
  });

  it('404: an unknown path', async () => {
    const result = await call(app, 'GET', '/v1/me/nothing-here', { headers: bearer(await jwt()) });
    expect(result.status).toBe(404);
  });

  it('malformed JSON, a wrong content type and an oversized body are clear 4xx, and store nothing', async () => {
    const before = await app.runtime.db.user.count();
    const malformed = await call(app, 'POST', '/v1/auth/register', { body: '{"username": ' });
    expect(malformed.status).toBe(400);
    const wrongType = await call(app, 'POST', '/v1/auth/register', { body: 'username=x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    const huge = await call(app, 'POST', '/v1/auth/register', { body: { ...yourname, full_name: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
    expect(await app.runtime.db.user.count()).toBe(before);
  });
});
