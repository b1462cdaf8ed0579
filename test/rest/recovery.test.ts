import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { bearer, call } from '../helpers/rest.js';
import { challengeOf, startSmtpServer } from '../helpers/smtp.js';

// RESTume's verify-email, resend, forgot/reset and Google routes (002), and novem's challenge by uid (000).
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let provider: OidcTestProvider;
let app: TestApp;
const clientId = 'restume-web.apps.example';

beforeAll(async () => {
  smtp = await startSmtpServer();
  provider = await startOidcProvider({ clientId });
  app = await createTestApp({
    env: { SMTP_URL: smtp.url, RESEND_INTERVAL: '0', OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId },
  });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
  await provider.close();
});

async function lastChallengeTo(email: string) {
  await app.runtime.background.idle();
  return challengeOf(smtp.mailsTo(email).at(-1));
}

async function registered() {
  const identity = newIdentity();
  expect((await call(app, 'POST', '/v1/auth/register', { body: identity })).status).toBe(201);
  return { identity, mail: await lastChallengeTo(identity.email) };
}

const login = (username: string, password: string) => call(app, 'POST', '/v1/auth/login', { body: { username, password } });

describe('e-mail verification', () => {
  it('POST /v1/auth/verify-email with the six-digit code verifies the address', async () => {
    const { identity, mail } = await registered();
    const wrong = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: mail.code === '000000' ? '111111' : '000000' } });
    expect(wrong.status).toBe(422);
    const right = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: mail.code } });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({ email_verified: true });
    const token = (await login(identity.username, identity.password)).body.access_token;
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).body.email_verified).toBe(true);
  });

  it('POST /v1/auth/resend-verification answers the same for known and unknown addresses, and mails a fresh code', async () => {
    const { identity, mail } = await registered();
    const known = await call(app, 'POST', '/v1/auth/resend-verification', { body: { email: identity.email } });
    const unknown = await call(app, 'POST', '/v1/auth/resend-verification', { body: { email: 'nobody@example.com' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    const fresh = await lastChallengeTo(identity.email);
    expect(fresh.uid).not.toBe(mail.uid);
    expect(smtp.mailsTo('nobody@example.com')).toHaveLength(0);
  });

  it('novem: POST /v1/admin/challenge answers a challenge by its uid, without a token', async () => {
    const { identity, mail } = await registered();
    const answered = await call(app, 'POST', '/v1/admin/challenge', { body: { uid: mail.uid } });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ purpose: 'VERIFY_EMAIL', email_verified: true, reset_token: null });
    expect((await call(app, 'POST', '/v1/admin/challenge', { body: { uid: mail.uid } })).status).toBe(422);
    const token = (await login(identity.username, identity.password)).body.access_token;
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(token) })).body.email_verified).toBe(true);
  });
});

describe('password recovery', () => {
  it('forgot-password answers the same for known and unknown addresses; the link gives a reset token; reset ends every session', async () => {
    const { identity } = await registered();
    const oldToken = (await login(identity.username, identity.password)).body.access_token;
    const known = await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } });
    const unknown = await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: 'ghost@example.com' } });
    expect(known.status).toBe(202);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);

    const recovery = await lastChallengeTo(identity.email);
    const answered = await call(app, 'POST', '/v1/admin/challenge', { body: { uid: recovery.uid } });
    expect(answered.body.purpose).toBe('RESET_PASSWORD');
    const weak = await call(app, 'POST', '/v1/auth/reset-password', { body: { token: answered.body.reset_token, new_password: 'short' } });
    expect(weak.status).toBe(422);
    expect(weak.body.detail[0].loc).toEqual(['body', 'new_password']);
    const reset = await call(app, 'POST', '/v1/auth/reset-password', {
      body: { token: answered.body.reset_token, new_password: 'a brand new pass phrase' },
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ password_reset: true });
    expect((await call(app, 'GET', '/v1/me/account', { headers: bearer(oldToken) })).status).toBe(401);
    expect((await login(identity.username, identity.password)).status).toBe(401);
    expect((await login(identity.username, 'a brand new pass phrase')).status).toBe(200);
    const again = await call(app, 'POST', '/v1/auth/reset-password', { body: { token: answered.body.reset_token, new_password: 'yet another phrase' } });
    expect(again.status).toBe(422);
  });
});

describe('password recovery with the code from the mail (RESTume)', () => {
  const reset = (body: Record<string, string>) => call(app, 'POST', '/v1/auth/reset-password', { body });
  const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');

  async function recovering() {
    const { identity } = await registered();
    expect((await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } })).status).toBe(202);
    return { identity, code: (await lastChallengeTo(identity.email)).code };
  }

  it('{email, code, new_password} resets once; the code is then spent', async () => {
    const { identity, code } = await recovering();
    const done = await reset({ email: identity.email, code, new_password: 'reset with the mailed code' });
    expect(done).toMatchObject({ status: 200, body: { password_reset: true } });
    expect((await login(identity.username, 'reset with the mailed code')).status).toBe(200);
    const again = await reset({ email: identity.email, code, new_password: 'and once more please' });
    expect(again.status).toBe(422);
    expect(again.body.detail[0].loc).toEqual(['body', 'code']);
    expect((await login(identity.username, 'reset with the mailed code')).status).toBe(200);
  });

  it('five wrong codes kill it: the right code and the link are refused after, and the password is unchanged', async () => {
    const { identity, code } = await recovering();
    const wrong = await reset({ email: identity.email, code: otherThan(code), new_password: 'never going to be set' });
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      expect((await reset({ email: identity.email, code: otherThan(code), new_password: 'never going to be set' })).body).toEqual(wrong.body);
    }
    expect((await reset({ email: identity.email, code, new_password: 'never going to be set' })).body).toEqual(wrong.body);
    const { uid } = await lastChallengeTo(identity.email);
    expect((await call(app, 'POST', '/v1/admin/challenge', { body: { uid } })).status).toBe(422);
    expect((await login(identity.username, identity.password)).status).toBe(200);
  });

  it('an unknown address, an address with no recovery under way and a wrong code get one answer', async () => {
    const { identity, code } = await recovering();
    const bystander = (await registered()).identity;
    const answers = await Promise.all([
      reset({ email: identity.email, code: otherThan(code), new_password: 'some new pass phrase' }),
      reset({ email: 'ghost@example.com', code, new_password: 'some new pass phrase' }),
      reset({ email: bystander.email, code, new_password: 'some new pass phrase' }),
    ]);
    for (const answer of answers) expect([answer.status, answer.body]).toEqual([answers[0]!.status, answers[0]!.body]);
  });

  it('a refused new password or a malformed body spends nothing: the code still works', async () => {
    const { identity, code } = await recovering();
    const weak = await reset({ email: identity.email, code, new_password: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.detail[0].loc).toEqual(['body', 'new_password']);
    const malformed: Record<string, string>[] = [
      { email: identity.email, new_password: 'a fine pass phrase' },
      { code, new_password: 'a fine pass phrase' },
      { email: 'not an address', code, new_password: 'a fine pass phrase' },
    ];
    for (const body of malformed) expect((await reset(body)).status).toBe(422);
    expect((await reset({ email: identity.email, code: 'abc', new_password: 'a fine pass phrase' })).body.detail[0].loc).toEqual(['body', 'code']);
    const challenge = await app.runtime.db.challenge.findFirstOrThrow({ where: { email: identity.email, purpose: 'RESET_PASSWORD' } });
    expect(challenge).toMatchObject({ attempts: 0, verifiedAt: null, consumedAt: null });
    expect((await login(identity.username, identity.password)).status).toBe(200);
    expect((await reset({ email: identity.email, code, new_password: 'a fine pass phrase' })).status).toBe(200);
  });

  it('the right code with the username as the new password is refused and leaves the code usable', async () => {
    const { identity, code } = await recovering();
    const refused = await reset({ email: identity.email, code, new_password: identity.username });
    expect(refused).toMatchObject({ status: 422, body: { detail: [{ loc: ['body', 'new_password'] }] } });
    expect(await app.runtime.db.challenge.findFirstOrThrow({ where: { email: identity.email, purpose: 'RESET_PASSWORD' } })).toMatchObject({
      verifiedAt: null,
      consumedAt: null,
    });
    expect((await reset({ email: identity.email, code, new_password: 'a fine pass phrase' })).status).toBe(200);
  });
});

describe('Google', () => {
  it('POST /v1/auth/google signs up with a Google credential and returns a JWT; the account shows Google linked', async () => {
    const idToken = await provider.mint(provider.claims());
    const result = await call(app, 'POST', '/v1/auth/google', { body: { credential: idToken } });
    expect(result.status).toBe(200);
    expect(Object.keys(result.body).sort()).toEqual(['access_token', 'token_type']);
    const account = await call(app, 'GET', '/v1/me/account', { headers: bearer(result.body.access_token) });
    expect(account.body).toMatchObject({ google_linked: true, has_password: false, can_unlink_google: false, available_sign_in_methods: ['google'] });
  });

  it('refuses a forged credential with 401 and creates nothing', async () => {
    const users = await app.runtime.db.user.count();
    const forged = provider.unsigned(provider.claims());
    const result = await call(app, 'POST', '/v1/auth/google', { body: { credential: forged } });
    expect(result.status).toBe(401);
    expect(await app.runtime.db.user.count()).toBe(users);
  });

  it('POST /v1/me/google/unlink: 403 without a password; works once a password exists', async () => {
    const claims = provider.claims();
    const token = (await call(app, 'POST', '/v1/auth/google', { body: { credential: await provider.mint(claims) } })).body.access_token;
    const refused = await call(app, 'POST', '/v1/me/google/unlink', { headers: bearer(token) });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/password/i);

    await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: claims.email } });
    const recovery = await lastChallengeTo(String(claims.email));
    const { reset_token } = (await call(app, 'POST', '/v1/admin/challenge', { body: { uid: recovery.uid } })).body;
    expect((await call(app, 'POST', '/v1/auth/reset-password', { body: { token: reset_token, new_password: 'now with a password' } })).status).toBe(200);
    const fresh = (await call(app, 'POST', '/v1/auth/google', { body: { credential: await provider.mint(claims) } })).body.access_token;
    const unlinked = await call(app, 'POST', '/v1/me/google/unlink', { headers: bearer(fresh) });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body).toMatchObject({ google_linked: false, has_password: true, available_sign_in_methods: ['password'] });
  });
});

describe('the page an e-mail link opens', () => {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  it('opening the verification link changes nothing; confirming verifies the address', async () => {
    const { identity, mail } = await registered();
    expect(mail.link).toMatch(/\/challenge\/[\w-]+$/);
    const opened = await app.request(`/challenge/${mail.uid}`);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await opened.text()).toContain('<button type="submit">Confirm</button>');
    const user = () => app.runtime.db.user.findUniqueOrThrow({ where: { email: identity.email } });
    expect((await user()).emailVerified).toBe(false);
    const confirmed = await app.request(`/challenge/${mail.uid}`, form({}));
    expect(await confirmed.text()).toContain('Address verified');
    expect((await user()).emailVerified).toBe(true);
    const reused = await app.request(`/challenge/${mail.uid}`, form({}));
    expect(reused.status).toBe(422);
  });

  it('a recovery link leads to a new-password form; a weak password keeps the form; a good one resets', async () => {
    const { identity } = await registered();
    await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } });
    const recovery = await lastChallengeTo(identity.email);
    const confirmed = await (await app.request(`/challenge/${recovery.uid}`, form({}))).text();
    const token = /name="token" value="([^"]+)"/.exec(confirmed)?.[1];
    expect(token).toBeDefined();
    const weak = await app.request(`/challenge/${recovery.uid}/reset`, form({ token: token!, password: 'short' }));
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('name="password"');
    const done = await app.request(`/challenge/${recovery.uid}/reset`, form({ token: token!, password: 'reset through the page' }));
    expect(await done.text()).toContain('Password changed');
    expect((await login(identity.username, 'reset through the page')).status).toBe(200);
  });
});
