// redirectTo on the requests that send mail (registration, verification, recovery, passwordless):
// checked against REDIRECT_ALLOWLIST, kept with the challenge, and offered by the page the mail opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedRedirect } from '../src/challenges/redirect.js';
import { codes, refusals } from '../src/errors.js';
import { listen } from '../src/http/listen.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { codeOf, registerUser } from './helpers/flows.js';
import { challengeOf, startSmtpServer } from './helpers/smtp.js';

const publicUrl = 'https://auth.example.test';
const allowlist = 'https://app.example.com, https://shop.example.org/account/';
const config = {
  publicUrl,
  redirectAllowlist: [
    { origin: 'https://app.example.com', pathPrefix: '/' },
    { origin: 'https://shop.example.org', pathPrefix: '/account/' },
  ],
};

const forgotMutation = 'mutation($email: EmailAddress!, $redirectTo: String) { forgotPassword(email: $email, redirectTo: $redirectTo) }';
const resendMutation = 'mutation($email: EmailAddress!, $redirectTo: String) { resendVerification(email: $email, redirectTo: $redirectTo) }';
const registerMutation = 'mutation($input: RegisterInput!) { register(input: $input) { id } }';
const signInLinkMutation = 'mutation($email: EmailAddress!, $redirect: String) { requestSignInLink(email: $email, redirect: $redirect) }';
const answerMutation = 'mutation($uid: String!) { answerChallenge(uid: $uid) { purpose redirectTo } }';

/** Targets no allow-list lets through: other hosts, other schemes, scheme-relative and user-name tricks, look-alikes. */
const refusedTargets = [
  'https://evil.example/',
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  '//evil.example/',
  '/\\evil.example/',
  '\\\\evil.example',
  'https://app.example.com@evil.example/',
  'https://user:pass@app.example.com/',
  'https://app.example.com.evil.example/',
  'http://app.example.com/',
  'https://app.example.com:8443/',
  'https://shop.example.org/',
  'https://shop.example.org/accounting',
  'https://shop.example.org/account/../admin',
  'https://app.example.com/\tpath',
  ' https://app.example.com/',
  'app.example.com',
  'https:evil.example',
];

describe('allowedRedirect', () => {
  it('lets through paths on this server and addresses under an allow-list entry, normalized', () => {
    expect(allowedRedirect(config, '/console/')).toBe('/console/');
    expect(allowedRedirect(config, '/welcome?from=mail#top')).toBe('/welcome?from=mail#top');
    expect(allowedRedirect(config, `${publicUrl}/done`)).toBe(`${publicUrl}/done`);
    expect(allowedRedirect(config, 'https://app.example.com/after-reset?x=1')).toBe('https://app.example.com/after-reset?x=1');
    expect(allowedRedirect(config, 'https://APP.example.com')).toBe('https://app.example.com/');
    expect(allowedRedirect(config, 'https://shop.example.org/account/')).toBe('https://shop.example.org/account/');
    expect(allowedRedirect(config, 'https://shop.example.org/account/verified')).toBe('https://shop.example.org/account/verified');
  });

  it.each(refusedTargets)('refuses %j', (target) => {
    expect(allowedRedirect(config, target)).toBeNull();
  });

  it('refuses every absolute address when the allow-list is empty, but keeps paths on this server', () => {
    const bare = { publicUrl, redirectAllowlist: [] };
    expect(allowedRedirect(bare, 'https://app.example.com/')).toBeNull();
    expect(allowedRedirect(bare, '/console/')).toBe('/console/');
  });
});

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await createTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL: publicUrl, REDIRECT_ALLOWLIST: allowlist, REQUIRE_VERIFIED_EMAIL: 'false' } });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

async function lastMailTo(email: string) {
  await app.runtime.background.idle();
  return challengeOf(smtp.mailsTo(email).at(-1));
}

const expectRefused = (result: { errors?: { message: string; extensions?: Record<string, any> }[] }, field = 'redirectTo') => {
  expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
  expect(result.errors![0]!.message).toBe(refusals.redirectNotAllowed.message);
  expect(result.errors![0]!.extensions!.fields).toEqual([{ field, message: expect.stringContaining('REDIRECT_ALLOWLIST') }]);
};

describe('requests that send mail', () => {
  it('refuse a target outside the allow-list, on every request, and send nothing', async () => {
    const { identity } = await registerUser(app);
    await app.runtime.background.idle();
    const before = smtp.mailsTo(identity.email).length;
    for (const redirectTo of ['https://evil.example/', 'javascript:alert(1)', '//evil.example', 'https://app.example.com@evil.example/']) {
      expectRefused(await app.gql(forgotMutation, { email: identity.email, redirectTo }));
      expectRefused(await app.gql(resendMutation, { email: identity.email, redirectTo }));
      expectRefused(await app.gql(signInLinkMutation, { email: identity.email, redirect: redirectTo }), 'redirect');
      const person = newIdentity();
      expectRefused(await app.gql(registerMutation, { input: { ...person, redirectTo } }));
      expect(await app.runtime.db.user.count({ where: { email: person.email } })).toBe(0);
    }
    await app.runtime.background.idle();
    expect(smtp.mailsTo(identity.email).length).toBe(before);
  });

  it('REST: the e-mail code request refuses the same targets', async () => {
    const response = await app.request('/v1/auth/email-code/request', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: newIdentity().email, redirect: 'https://evil.example/' }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: codes.BAD_USER_INPUT });
  });

  it('registration: the verification page offers the target once the address is verified', async () => {
    const person = newIdentity();
    expect((await app.gql(registerMutation, { input: { ...person, redirectTo: 'https://app.example.com/welcome' } })).errors).toBeUndefined();
    const { uid } = await lastMailTo(person.email);
    const page = await app.request(`/challenge/${uid}`, { method: 'POST' });
    const html = await page.text();
    expect(html).toContain('Address verified');
    expect(html).toContain('<a href="https://app.example.com/welcome">Continue to authgraph</a>');
  });

  it('resendVerification: answerChallenge gives the target to a front-end that answers the link itself', async () => {
    const person = newIdentity();
    expect((await app.gql(registerMutation, { input: person })).errors).toBeUndefined();
    app.clock.advance(120_000);
    expect((await app.gql(resendMutation, { email: person.email, redirectTo: '/welcome' })).errors).toBeUndefined();
    const { uid } = await lastMailTo(person.email);
    const answered = await app.gql(answerMutation, { uid });
    expect(answered.data.answerChallenge).toEqual({ purpose: 'VERIFY_EMAIL', redirectTo: '/welcome' });
  });

  it('forgotPassword: after the reset the page offers the target instead of sign-in', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(120_000);
    expect((await app.gql(forgotMutation, { email: identity.email, redirectTo: 'https://shop.example.org/account/signed-out' })).errors).toBeUndefined();
    const { uid } = await lastMailTo(identity.email);
    const form = await (await app.request(`/challenge/${uid}`, { method: 'POST' })).text();
    const token = /name="token" value="([^"]+)"/.exec(form)![1]!;
    const done = await app.request(`/challenge/${uid}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, password: `${identity.password} new` }),
    });
    const html = await done.text();
    expect(html).toContain('Password changed');
    expect(html).toContain('<a href="https://shop.example.org/account/signed-out">Continue to authgraph</a>');
    expect(html).not.toContain('Go to sign-in');
  });

  it('requestSignInLink: the link signs in and redirects to the allowed address, which the page lets its form go to', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(120_000);
    const requested = await app.gql(signInLinkMutation, { email: identity.email, redirect: 'https://app.example.com/signed-in' });
    const cookie = requested.headers.get('set-cookie')!.split(';')[0]!;
    const { uid } = await lastMailTo(identity.email);
    const shown = await app.request(`/challenge/${uid}`, { headers: { cookie } });
    expect(shown.headers.get('content-security-policy')).toMatch(/form-action 'self' https:\/\/app\.example\.com(;|$)/);
    const signedIn = await app.request(`/challenge/${uid}`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('https://app.example.com/signed-in');
  });

  it('a page with no target lets forms post to this server only', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(120_000);
    await app.gql(forgotMutation, { email: identity.email });
    const { uid } = await lastMailTo(identity.email);
    const shown = await app.request(`/challenge/${uid}`);
    expect(shown.headers.get('content-security-policy')).toMatch(/form-action 'self'(;|$)/);
  });
});

describe('REDIRECT_ALLOWLIST', () => {
  it('refuses entries with a user name, a query, a fragment or another scheme at start', async () => {
    for (const entry of ['https://user@app.example.com', 'https://app.example.com/?x=1', 'https://app.example.com/#x', 'ftp://app.example.com', 'app.example.com']) {
      await expect(createTestApp({ env: { REDIRECT_ALLOWLIST: entry } })).rejects.toThrow(/REDIRECT_ALLOWLIST/);
    }
  });
});

describe('through a listening server', () => {
  it('registers with a target, and the verification page reached over HTTP offers it', async () => {
    const { server, url } = await listen(app.app, 0, '127.0.0.1');
    try {
      const person = newIdentity();
      const call = (query: string, variables: object) =>
        fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then(
          (response) => response.json() as Promise<{ errors?: { message: string; extensions?: Record<string, any> }[] }>,
        );
      expectRefused(await call(registerMutation, { input: { ...person, redirectTo: 'https://app.example.com.evil.example/' } }));
      expect((await call(registerMutation, { input: { ...person, redirectTo: 'https://app.example.com/welcome' } })).errors).toBeUndefined();
      const { uid } = await lastMailTo(person.email);
      const html = await (await fetch(`${url}/challenge/${uid}`, { method: 'POST' })).text();
      expect(html).toContain('<a href="https://app.example.com/welcome">Continue to authgraph</a>');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
