import type { Server } from 'node:http';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxChallengeAttempts } from '../src/challenges/challenge.js';
import { codes } from '../src/errors.js';
import { listen } from '../src/http/listen.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { verifiedSession } from './helpers/apikeys.js';
import { codeOf, refreshMutation, registerUser } from './helpers/flows.js';
import { confirmedTotp, totpCode } from './helpers/mfa.js';
import { call } from './helpers/rest.js';
import { challengeOf, startSmtpServer } from './helpers/smtp.js';

// Issue 26: passwordless sign-in by an e-mailed code, or a link that signs in only the browser that asked.

const ttlSeconds = 900;
const requestMutation = 'mutation($email: EmailAddress!, $redirect: String) { requestSignInLink(email: $email, redirect: $redirect) }';
const signInMutation = `mutation($input: EmailCodeSignInInput!) { signInWithEmailCode(input: $input) {
  __typename ... on AuthPayload { accessToken refreshToken user { email emailVerified } } ... on MfaChallenge { challengeId methods } } }`;
const verifyMfaMutation = 'mutation($id: ID!, $code: String!) { verifyMfa(challengeId: $id, code: $code) { accessToken } }';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let app: TestApp;
let signupApp: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const env = { SMTP_URL: smtp.url, CHALLENGE_TTL: String(ttlSeconds), RESEND_INTERVAL: '60' };
  app = await createTestApp({ env });
  signupApp = await createTestApp({ env: { ...env, PASSWORDLESS_SIGNUP: 'true' } });
});
afterAll(async () => {
  await app.close();
  await signupApp.close();
  await smtp.close();
});

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** The nonce cookie a request's answer set: `name=value`, and its attributes. */
function nonceCookieOf(headers: Headers) {
  const cookie = headers.getSetCookie().find((line) => line.startsWith('authgraph_sign_in='));
  if (!cookie) throw new Error('no sign-in cookie');
  return { pair: cookie.split(';')[0]!, line: cookie };
}

async function requestCode(target: TestApp, email: string, redirect?: string) {
  const result = await target.gql(requestMutation, { email, redirect });
  expect(result.errors).toBeUndefined();
  await target.runtime.background.idle();
  return { result, cookie: nonceCookieOf(result.headers).pair };
}

/** The sign-in mails to an address (a registered one also got its verification mail). */
const mailsTo = (email: string) => smtp.mailsTo(email).filter((mail) => /sign-in code/.test(mail.subject));
const lastMail = (email: string) => challengeOf(mailsTo(email).at(-1));

async function signInWithCode(target: TestApp, email: string, code: string, extra: Record<string, unknown> = {}) {
  return target.gql(signInMutation, { input: { email, code, ...extra } });
}

async function claimsOf(target: TestApp, accessToken: string) {
  const jwks = createLocalJWKSet((await call(target, 'GET', '/.well-known/jwks.json')).body);
  return (await jwtVerify(accessToken, jwks)).payload;
}

describe('GraphQL: requestSignInLink and signInWithEmailCode', () => {
  it('mails a code and a link; the code signs in with amr ["email"], aal1, and proves the address', async () => {
    const { identity } = await registerUser(app);
    const { result, cookie } = await requestCode(app, identity.email);
    expect(result.data.requestSignInLink).toBe(true);
    expect(nonceCookieOf(result.headers).line).toMatch(/^authgraph_sign_in=[\w-]{43}; Path=\/challenge; Max-Age=900; HttpOnly; SameSite=Lax$/);
    expect(cookie).toBeTruthy();
    const mail = mailsTo(identity.email).at(-1)!;
    expect(mail.subject).toMatch(/sign-in code/);
    const { code } = lastMail(identity.email);
    const signedIn = await signInWithCode(app, identity.email, code);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.signInWithEmailCode).toMatchObject({ __typename: 'AuthPayload', user: { email: identity.email, emailVerified: true } });
    expect(await claimsOf(app, signedIn.data.signInWithEmailCode.accessToken)).toMatchObject({ amr: ['email'], aal: 'aal1' });
    const whoami = await app.gql('{ whoami { credential { amr aal } } }', {}, { authorization: `Bearer ${signedIn.data.signInWithEmailCode.accessToken}` });
    expect(whoami.data.whoami.credential).toEqual({ amr: ['email'], aal: 'aal1' });
  });

  it('answers an unknown address exactly as a known one, and mails nothing; its codes fail as wrong codes do', async () => {
    const { identity } = await registerUser(app);
    const unknown = newIdentity().email;
    const known = await requestCode(app, identity.email);
    const missing = await requestCode(app, unknown);
    expect(missing.result.body).toEqual(known.result.body);
    expect(missing.result.status).toBe(known.result.status);
    expect(nonceCookieOf(missing.result.headers).line.replace(/=[\w-]+;/, '=;')).toBe(nonceCookieOf(known.result.headers).line.replace(/=[\w-]+;/, '=;'));
    expect(mailsTo(unknown)).toHaveLength(0);
    const wrongForKnown = await signInWithCode(app, identity.email, wrongCode(lastMail(identity.email).code));
    const forUnknown = await signInWithCode(app, unknown, '123456');
    expect(codeOf(wrongForKnown)).toBe(codes.BAD_USER_INPUT);
    expect(forUnknown.errors).toEqual(wrongForKnown.errors);
    expect(await app.runtime.db.user.count({ where: { email: unknown } })).toBe(0);
  });

  it(`refuses the right code after ${maxChallengeAttempts} wrong ones`, async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    const { code } = lastMail(identity.email);
    for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) {
      expect(codeOf(await signInWithCode(app, identity.email, wrongCode(code)))).toBe(codes.BAD_USER_INPUT);
    }
    expect(codeOf(await signInWithCode(app, identity.email, code))).toBe(codes.BAD_USER_INPUT);
  });

  it('takes a code once', async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    const { code } = lastMail(identity.email);
    expect((await signInWithCode(app, identity.email, code)).errors).toBeUndefined();
    expect(codeOf(await signInWithCode(app, identity.email, code))).toBe(codes.BAD_USER_INPUT);
  });

  it('refuses a code past CHALLENGE_TTL on the injected clock', async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    const { code } = lastMail(identity.email);
    app.clock.advance(ttlSeconds * 1000 + 1000);
    expect(codeOf(await signInWithCode(app, identity.email, code))).toBe(codes.BAD_USER_INPUT);
  });

  it('is throttled as the other challenge mails: one mail per RESEND_INTERVAL, and only the newest code works', async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    await requestCode(app, identity.email);
    expect(mailsTo(identity.email)).toHaveLength(1);
    const first = lastMail(identity.email).code;
    app.clock.advance(61_000);
    await requestCode(app, identity.email);
    const second = lastMail(identity.email).code;
    if (first !== second) expect(codeOf(await signInWithCode(app, identity.email, first))).toBe(codes.BAD_USER_INPUT);
    expect((await signInWithCode(app, identity.email, second)).errors).toBeUndefined();
  });

  it('refuses a redirect to another origin', async () => {
    const result = await app.gql(requestMutation, { email: newIdentity().email, redirect: '//evil.example/' });
    expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
  });

  it('a BROWSER sign-in gets its refresh token as a cookie, not in the body', async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    const signedIn = await signInWithCode(app, identity.email, lastMail(identity.email).code, { clientType: 'BROWSER' });
    expect(signedIn.data.signInWithEmailCode.refreshToken).toBeNull();
    expect(signedIn.headers.get('set-cookie')).toMatch(/^authgraph_refresh=rt_/);
  });
});

describe('PASSWORDLESS_SIGNUP', () => {
  it('off (the default): an unknown address gets no mail and no account', async () => {
    expect(app.config.passwordlessSignup).toBe(false);
    const email = newIdentity().email;
    await requestCode(app, email);
    expect(mailsTo(email)).toHaveLength(0);
  });

  it('on: the code mailed to an unknown address creates the account, its address verified', async () => {
    const email = newIdentity().email;
    await requestCode(signupApp, email);
    expect(await signupApp.runtime.db.user.count({ where: { email } })).toBe(0);
    const signedIn = await signInWithCode(signupApp, email, lastMail(email).code);
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.signInWithEmailCode.user).toEqual({ email, emailVerified: true });
    const user = await signupApp.runtime.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toBeNull();
    expect(user.username).toMatch(/^[a-z0-9_.-]{3,32}$/);
  });

  it('on: a wrong code creates nothing, and an existing account is signed in, not duplicated', async () => {
    const email = newIdentity().email;
    await requestCode(signupApp, email);
    expect(codeOf(await signInWithCode(signupApp, email, wrongCode(lastMail(email).code)))).toBe(codes.BAD_USER_INPUT);
    expect(await signupApp.runtime.db.user.count({ where: { email } })).toBe(0);
    const { identity } = await registerUser(signupApp);
    signupApp.clock.advance(61_000);
    await requestCode(signupApp, identity.email);
    expect((await signInWithCode(signupApp, identity.email, lastMail(identity.email).code)).errors).toBeUndefined();
    expect(await signupApp.runtime.db.user.count({ where: { email: identity.email } })).toBe(1);
  });
});

describe('the link', () => {
  const page = (target: TestApp, uid: string, method: 'GET' | 'POST', cookie?: string) =>
    target.request(`/challenge/${uid}`, { method, headers: cookie ? { cookie } : {}, redirect: 'manual' });

  it('in the browser that asked (its cookie): a button, then a BROWSER session and a redirect', async () => {
    const { identity } = await registerUser(app);
    const { cookie } = await requestCode(app, identity.email, '/console/#/account');
    const { uid } = lastMail(identity.email);
    const shown = await page(app, uid, 'GET', cookie);
    expect(await shown.text()).toMatch(/<button type="submit">Sign in<\/button>/);
    const signedIn = await page(app, uid, 'POST', cookie);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console/#/account');
    const refreshCookie = signedIn.headers.getSetCookie().find((line) => line.startsWith('authgraph_refresh='))!;
    expect(refreshCookie).toMatch(/Path=\/graphql;.*HttpOnly/);
    const refreshed = await app.gql(refreshMutation, {}, { cookie: refreshCookie.split(';')[0]! });
    expect(refreshed.errors).toBeUndefined();
    expect(await claimsOf(app, refreshed.data.refresh.accessToken)).toMatchObject({ amr: ['email'] });
    // Spent: neither the link nor the code works again.
    expect(await (await page(app, uid, 'POST', cookie)).text()).toMatch(/no longer works/);
    expect(codeOf(await signInWithCode(app, identity.email, lastMail(identity.email).code))).toBe(codes.BAD_USER_INPUT);
  });

  it('elsewhere (no cookie, or another browser\'s): shows the code to type where it was asked, signs nobody in, spends nothing', async () => {
    const { identity } = await registerUser(app);
    await requestCode(app, identity.email);
    const { uid, code } = lastMail(identity.email);
    const other = await requestCode(app, newIdentity().email);
    for (const cookie of [undefined, other.cookie]) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await page(app, uid, method, cookie);
        expect(response.status).toBe(200);
        expect(response.headers.getSetCookie()).toEqual([]);
        const html = await response.text();
        expect(html).toContain(`data-code>${code}</strong>`);
        expect(html).not.toMatch(/<button/);
      }
    }
    expect((await signInWithCode(app, identity.email, code)).errors).toBeUndefined();
  });

  it('the other challenge links keep working as before', async () => {
    const { identity } = await registerUser(app);
    await app.runtime.background.idle();
    const { uid } = challengeOf(smtp.mailsTo(identity.email).at(-1));
    const confirm = await page(app, uid, 'POST');
    expect(await confirm.text()).toMatch(/Address verified/);
  });
});

describe('MFA after a passwordless sign-in', () => {
  it('the code gives an MfaChallenge; verifyMfa completes it with amr ["email","otp"], aal2', async () => {
    const session = await verifiedSession(app);
    const secret = await confirmedTotp(app, session.auth);
    app.clock.advance(61_000);
    await requestCode(app, session.identity.email);
    const challenged = await signInWithCode(app, session.identity.email, lastMail(session.identity.email).code);
    expect(signInResult(challenged)).toMatchObject({ __typename: 'MfaChallenge', methods: ['totp', 'recovery_code'] });
    const verified = await app.gql(verifyMfaMutation, { id: challenged.data.signInWithEmailCode.challengeId, code: totpCode(app, secret) });
    expect(verified.errors).toBeUndefined();
    expect(await claimsOf(app, verified.data.verifyMfa.accessToken)).toMatchObject({ amr: ['email', 'otp'], aal: 'aal2' });
  });

  it('the link in the browser that asked shows the code instead of signing in (the sign-in form asks for the second factor)', async () => {
    const session = await verifiedSession(app);
    await confirmedTotp(app, session.auth);
    app.clock.advance(61_000);
    const { cookie } = await requestCode(app, session.identity.email);
    const { uid, code } = lastMail(session.identity.email);
    const response = await app.request(`/challenge/${uid}`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(await response.text()).toContain(`data-code>${code}</strong>`);
  });

  it('REST answers 401 mfa_required with the challenge', async () => {
    const session = await verifiedSession(app);
    await confirmedTotp(app, session.auth);
    app.clock.advance(61_000);
    await call(app, 'POST', '/v1/auth/email-code/request', { body: { email: session.identity.email } });
    await app.runtime.background.idle();
    const answer = await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: session.identity.email, code: lastMail(session.identity.email).code } });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ mfa_required: true, mfa: { verify: '/v1/auth/mfa/verify' } });
  });
});

const signInResult = (result: { data: any }) => result.data.signInWithEmailCode;

describe('REST: /v1/auth/email-code/request and /verify', () => {
  it('request answers 202 and sets the cookie, the same for an unknown address; verify answers the token pair', async () => {
    const { identity } = await registerUser(app);
    const known = await call(app, 'POST', '/v1/auth/email-code/request', { body: { email: identity.email } });
    const unknown = await call(app, 'POST', '/v1/auth/email-code/request', { body: { email: newIdentity().email } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(nonceCookieOf(known.headers).line).toMatch(/Path=\/challenge;.*HttpOnly; SameSite=Lax$/);
    expect(nonceCookieOf(unknown.headers).line).toMatch(/Path=\/challenge;.*HttpOnly; SameSite=Lax$/);
    await app.runtime.background.idle();
    const answer = await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: identity.email, code: lastMail(identity.email).code } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'bearer', refresh_token: expect.stringMatching(/^rt_/) });
    expect(await claimsOf(app, answer.body.access_token)).toMatchObject({ amr: ['email'], aal: 'aal1' });
  });

  it('verify refuses wrong, unknown and spent codes alike, with the GraphQL door\'s code', async () => {
    const { identity } = await registerUser(app);
    await call(app, 'POST', '/v1/auth/email-code/request', { body: { email: identity.email } });
    await app.runtime.background.idle();
    const { code } = lastMail(identity.email);
    const wrong = await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: identity.email, code: wrongCode(code) } });
    const unknown = await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: newIdentity().email, code } });
    expect(wrong.status).toBe(422);
    expect(unknown.body).toEqual(wrong.body);
    expect((await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: identity.email, code } })).status).toBe(200);
    expect((await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: identity.email, code } })).body).toEqual(wrong.body);
  });

  it('both routes are in the OpenAPI document as authgraph additions', async () => {
    const doc = (await call(app, 'GET', '/openapi.json')).body;
    expect(doc.paths['/v1/auth/email-code/request'].post.operationId).toBe('authgraphRequestEmailCode');
    expect(doc.paths['/v1/auth/email-code/verify'].post.operationId).toBe('authgraphVerifyEmailCode');
  });
});

describe('through a real listening server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await listen(app.app, 0, '127.0.0.1'));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('requests over REST, follows the link with the cookie, and signs in over GraphQL with the code of a second request', async () => {
    const { identity } = await registerUser(app);
    const requested = await fetch(`${url}/v1/auth/email-code/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: identity.email }),
    });
    expect(requested.status).toBe(202);
    const cookie = nonceCookieOf(requested.headers).pair;
    await app.runtime.background.idle();
    const { uid } = lastMail(identity.email);
    const signedIn = await fetch(`${url}/challenge/${uid}`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console/');
    app.clock.advance(61_000);
    const again = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: requestMutation, variables: { email: identity.email } }),
    });
    expect((await again.json()).data.requestSignInLink).toBe(true);
    await app.runtime.background.idle();
    const answer = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: signInMutation, variables: { input: { email: identity.email, code: lastMail(identity.email).code } } }),
    });
    const body = await answer.json();
    expect(body.data.signInWithEmailCode.__typename).toBe('AuthPayload');
  });
});
