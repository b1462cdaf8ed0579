import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, refusals } from '../../src/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { challengeOf, startSmtpServer } from '../helpers/smtp.js';
import { transportNames, transports as openTransports, type Send, type TransportName } from '../helpers/transports.js';

// Replays RESTume's documents (002, the endpoint inventory; 003, the setup guide) as their
// clients send them: the guide's curl commands (with their -d text as written), its Python
// httpx and JavaScript fetch snippets, reading back what they read (access_token, raw_key,
// the profile). One account goes through the whole flow: register, verify the e-mail with the
// code from the mail, log in, mint keys, use them on /v1/me/*, recover the password with the
// mailed code, revoke a key, then sign in with Google, which takes the account over (a join by
// e-mail ends the password, the sessions and the keys). Each transport (the app's fetch
// handler in process, and a listening server) has its own app, so both use the guide's account.

type Answer = { status: number; body: any; headers: Headers };
type Transport = { app: TestApp; smtp: Awaited<ReturnType<typeof startSmtpServer>>; send: Send; close: () => void };

const curlHeaders = { 'User-Agent': 'curl/8.5.0', Accept: '*/*' };
/** What httpx 0.27 sends of its own; `json=` adds the Content-Type and json.dumps' spacing. */
const httpxHeaders = { 'User-Agent': 'python-httpx/0.27.0', Accept: '*/*', 'Accept-Encoding': 'gzip, deflate', Connection: 'keep-alive' };
const pythonJson = (value: Record<string, string>) => JSON.stringify(value).replace(/":"/g, '": "').replace(/","/g, '", "');

const clientId = 'restume-web.apps.example';
const email = 'you@example.com';
const password = 'secureP@ss123';
const newPassword = 'a new pass phrase for yourname';

let provider: OidcTestProvider;
const transports = new Map<TransportName, Transport>();

beforeAll(async () => {
  provider = await startOidcProvider({ clientId });
  for (const name of transportNames) {
    const smtp = await startSmtpServer();
    const app = await createTestApp({ env: { SMTP_URL: smtp.url, RESEND_INTERVAL: '0', OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId } });
    const opened = openTransports();
    await opened.open(app);
    transports.set(name, { app, smtp, send: opened.send(name), close: opened.close });
  }
});
afterAll(async () => {
  for (const { app, smtp, close } of transports.values()) {
    close();
    await app.close();
    await smtp.close();
  }
  await provider?.close();
});

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const jwtExpiry = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;

describe.each(transportNames)('RESTume clients, %s', (name) => {
  const transport = () => transports.get(name)!;
  /** curl -X METHOD "http://localhost:8000PATH" -H ... -d 'DATA': curl's own headers, the -H ones, the -d text as written. */
  const curl = (method: string, path: string, headers: Record<string, string> = {}, data?: string) =>
    transport().send(path, { method, headers: { ...curlHeaders, ...headers }, body: data }).then(answer);
  const json = { 'Content-Type': 'application/json' };
  const jwtHeader = (token: string) => ({ Authorization: `Bearer ${token}` });
  const nextMail = async (count: number) => {
    await transport().app.runtime.background.idle();
    // The challenge mails only: the notices of sensitive changes (keys, Google) go to the same address.
    const mails = transport().smtp.mailsTo(email).filter((mail) => mail.text.includes('Your code:'));
    expect(mails).toHaveLength(count);
    return challengeOf(mails.at(-1));
  };
  const curlLogin = (pass = password) =>
    curl('POST', '/v1/auth/login', json, `{\n    "username": "yourname",\n    "password": "${pass}"\n  }`);
  const account = (headers: Record<string, string>) => curl('GET', '/v1/me/account', headers);
  const validation = (result: Answer, field: string) => {
    expect(result.status).toBe(422);
    expect(result.body.code).toBe(codes.BAD_USER_INPUT);
    expect(result.body.detail.map((problem: { loc: string[] }) => problem.loc.join('.'))).toContain(`body.${field}`);
  };

  let jwt = '';
  let curlKey = { id: '', raw_key: '' };
  let fetchKey = '';

  it('register (guide step 1): a body that does not match the schema is 422 naming the field and creates nothing; the guide\'s body answers the profile', async () => {
    const bad = await curl('POST', '/v1/auth/register', json, `{"username": "yourname", "email": "not an address", "full_name": "Your Name"}`);
    validation(bad, 'password');
    expect(await transport().app.runtime.db.user.count()).toBe(0);

    const result = await curl(
      'POST',
      '/v1/auth/register',
      json,
      `{\n    "username": "yourname",\n    "email": "you@example.com",\n    "password": "secureP@ss123",\n    "full_name": "Your Name"\n  }`,
    );
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username: 'yourname', email, full_name: 'Your Name', created_at: expect.any(String) });
  });

  it('verify-email with the six-digit code from the mail; a wrong code is 422 and verifies nothing', async () => {
    const { code } = await nextMail(1);
    const wrong = await curl('POST', '/v1/auth/verify-email', json, JSON.stringify({ email, code: code === '000000' ? '111111' : '000000' }));
    validation(wrong, 'code');
    expect((await transport().app.runtime.db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
    const right = await curl('POST', '/v1/auth/verify-email', json, JSON.stringify({ email, code }));
    expect(right).toMatchObject({ status: 200, body: { email_verified: true } });
  });

  it('login (guide step 2): only { access_token, token_type }; its session ends with that token and holds no refresh token', async () => {
    expect((await curlLogin('not the password')).body.code).toBe(codes.UNAUTHENTICATED);
    const result = await curlLogin();
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ access_token: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'bearer' });
    jwt = result.body.access_token;
    const sessions = await transport().app.gql('{ sessions { current expiresAt } }', {}, { authorization: `Bearer ${jwt}` });
    const current = sessions.data.sessions.find((session: { current: boolean }) => session.current);
    expect(Math.floor(Date.parse(current.expiresAt) / 1000)).toBe(jwtExpiry(jwt));
    const stored = await transport().app.runtime.db.session.findMany({ where: { user: { email } }, include: { refreshTokens: true } });
    expect(stored.flatMap((session) => session.refreshTokens)).toEqual([]);
  });

  it('GET /v1/me/account with the JWT (guide step 3): sign-in methods and plan_source', async () => {
    const result = await account(jwtHeader(jwt));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      username: 'yourname',
      google_linked: false,
      has_password: true,
      can_unlink_google: false,
      available_sign_in_methods: ['password'],
      plan_source: 'default',
    });
  });

  it('create an API key (API key step 1): a bad body is 422 and mints nothing; the guide\'s answers raw_key rst_... once, prefix its first 8 characters', async () => {
    validation(await curl('POST', '/v1/auth/api-keys', { ...jwtHeader(jwt), ...json }, '{"name": ""}'), 'name');
    validation(await curl('POST', '/v1/auth/api-keys', { ...jwtHeader(jwt), ...json }, '{"name": "x", "scopes": ["everything"]}'), 'scopes.0');
    expect(await transport().app.runtime.db.apiKey.count()).toBe(0);

    const result = await curl('POST', '/v1/auth/api-keys', { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, '{"name": "my-app-key"}');
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'my-app-key', is_active: true, created_at: expect.any(String) });
    expect(result.body.raw_key).toMatch(/^rst_[a-z0-9]{50}$/);
    expect(result.body.prefix).toBe(result.body.raw_key.slice(0, 8));
    curlKey = result.body;
    const listed = await curl('GET', '/v1/auth/api-keys', jwtHeader(jwt));
    expect(listed.body.map((key: { prefix: string }) => key.prefix)).toEqual([curlKey.raw_key.slice(0, 8)]);
    expect(JSON.stringify(listed.body)).not.toContain(curlKey.raw_key);
  });

  it('use the key (API key step 2): curl -H "X-API-Key: rst_..." on /v1/me/profile, and on /v1/me/account', async () => {
    const profile = await curl('GET', '/v1/me/profile', { 'X-API-Key': curlKey.raw_key });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ username: 'yourname', email, full_name: 'Your Name' });
    const viaKey = await account({ 'X-API-Key': curlKey.raw_key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body).toEqual((await account(jwtHeader(jwt))).body);
  });

  it('the Python httpx snippet: login, create a key, the JWT on /v1/me/profile, print(resp.json())', async () => {
    const httpx = (method: string, path: string, options: { headers?: Record<string, string>; json?: Record<string, string> } = {}) =>
      transport()
        .send(path, {
          method,
          headers: { ...httpxHeaders, ...options.headers, ...(options.json && { 'Content-Type': 'application/json' }) },
          body: options.json && pythonJson(options.json),
        })
        .then(answer);
    let resp = await httpx('POST', '/v1/auth/login', { json: { username: 'yourname', password: 'secureP@ss123' } });
    const jwt = resp.body['access_token'];
    resp = await httpx('POST', '/v1/auth/api-keys', { headers: { Authorization: `Bearer ${jwt}` }, json: { name: 'my-key' } });
    const api_key = resp.body['raw_key'];
    expect(api_key).toMatch(/^rst_/);
    resp = await httpx('GET', '/v1/me/profile', { headers: { Authorization: `Bearer ${jwt}` } });
    expect(resp.status).toBe(200);
    expect(resp.body).toMatchObject({ username: 'yourname', email, full_name: 'Your Name' });
  });

  it('the JavaScript fetch snippet: login, create a key, the key as X-API-Key on /v1/me/profile', async () => {
    // The snippet as written; its fetch reaches this transport instead of the document's host.
    const BASE = 'https://your-restume-instance.com';
    const fetch: typeof globalThis.fetch = (input, init) => transport().send(String(input).slice(BASE.length), init ?? {});

    // Login
    const loginRes = await fetch(`${BASE}/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'yourname', password: 'secureP@ss123' }),
    });
    const { access_token } = (await loginRes.json()) as { access_token: string };

    // Create API key
    const keyRes = await fetch(`${BASE}/v1/auth/api-keys`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${access_token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name: 'my-key' }),
    });
    const { raw_key } = (await keyRes.json()) as { raw_key: string };

    // Use API key for long-lived automation
    const profile = await fetch(`${BASE}/v1/me/profile`, {
      headers: { 'X-API-Key': raw_key },
    }).then((r) => r.json());
    expect(profile).toMatchObject({ username: 'yourname', email, full_name: 'Your Name' });
    fetchKey = raw_key;
  });

  it('forgot + reset with the code from the mail: a wrong code and an unknown address answer alike, a weak password keeps the code; the reset ends the sessions', async () => {
    const forgot = await curl('POST', '/v1/auth/forgot-password', json, JSON.stringify({ email }));
    const unknown = await curl('POST', '/v1/auth/forgot-password', json, JSON.stringify({ email: 'nobody@example.com' }));
    expect(forgot.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([forgot.status, forgot.body]);
    const { code } = await nextMail(2);
    const reset = (body: Record<string, string>) => curl('POST', '/v1/auth/reset-password', json, JSON.stringify(body));

    const wrong = await reset({ email, code: code === '000000' ? '111111' : '000000', new_password: newPassword });
    const stranger = await reset({ email: 'nobody@example.com', code, new_password: newPassword });
    validation(wrong, 'code');
    expect([stranger.status, stranger.body]).toEqual([wrong.status, wrong.body]);
    validation(await reset({ email, code, new_password: 'short' }), 'new_password');
    validation(await reset({ new_password: newPassword }), 'token');
    expect((await curlLogin()).status).toBe(200);

    const done = await reset({ email, code, new_password: newPassword });
    expect(done).toMatchObject({ status: 200, body: { password_reset: true } });
    expect((await account(jwtHeader(jwt))).status).toBe(401);
    expect((await curlLogin()).status).toBe(401);
    validation(await reset({ email, code, new_password: 'yet another pass phrase' }), 'code');
    const fresh = await curlLogin(newPassword);
    expect(fresh.status).toBe(200);
    jwt = fresh.body.access_token;
    expect((await curl('GET', '/v1/me/profile', { 'X-API-Key': curlKey.raw_key })).status).toBe(200);
  });

  it('revoke a key: DELETE /v1/auth/api-keys/{key_id} with the JWT; the key is refused from the next request on', async () => {
    const revoked = await curl('DELETE', `/v1/auth/api-keys/${curlKey.id}`, jwtHeader(jwt));
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: curlKey.id, is_active: false });
    const refused = await curl('GET', '/v1/me/profile', { 'X-API-Key': curlKey.raw_key });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe(codes.UNAUTHENTICATED);
    expect((await curl('GET', '/v1/me/profile', { 'X-API-Key': fetchKey })).status).toBe(200);
  });

  it('Google: sign-in joins the verified account (an access token only) and takes it over: the password, the JWT and the keys stop working; unlink wants a password first', async () => {
    const credential = await provider.mint(provider.claims({ email }));
    const google = await curl('POST', '/v1/auth/google', json, JSON.stringify({ credential }));
    expect(google.status).toBe(200);
    expect(Object.keys(google.body).sort()).toEqual(['access_token', 'token_type']);
    const googleJwt = jwtHeader(google.body.access_token);
    expect((await account(googleJwt)).body).toMatchObject({ google_linked: true, has_password: false, can_unlink_google: false });
    expect((await account(jwtHeader(jwt))).status).toBe(401);
    expect((await curl('GET', '/v1/me/profile', { 'X-API-Key': fetchKey })).status).toBe(401);
    expect((await curlLogin(newPassword)).status).toBe(401);

    const reader = await curl('POST', '/v1/auth/api-keys', { ...googleJwt, ...json }, '{"name": "reader", "scopes": ["account:read"]}');
    const refused = await curl('POST', '/v1/me/google/unlink', { 'X-API-Key': reader.body.raw_key });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: codes.FORBIDDEN, detail: refusals.scopeMissing('account:write').message });
    const writer = await curl('POST', '/v1/auth/api-keys', { ...googleJwt, ...json }, '{"name": "unlinker", "scopes": ["account:read", "account:write"]}');
    const unlinked = await curl('POST', '/v1/me/google/unlink', { 'X-API-Key': writer.body.raw_key });
    expect(unlinked.status).toBe(403);
    expect(unlinked.body).toMatchObject({ code: codes.FORBIDDEN, detail: refusals.setPasswordBeforeUnlinking.message });
    expect((await account(googleJwt)).body.google_linked).toBe(true);
  });
});
