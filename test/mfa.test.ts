import { createLocalJWKSet, jwtVerify } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../src/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { adminSession, verifiedSession } from './helpers/apikeys.js';
import { setUserRole } from '../src/accounts/roles.js';
import { codeOf, loginMutation, refreshMutation } from './helpers/flows.js';
import { basic, call } from './helpers/rest.js';

// Issue 23: TOTP second factors, recovery codes, sign-in challenges, amr/aal in the token, step-up.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { REFRESH_REUSE_GRACE: '0' } });
});
afterAll(() => app.close());

const step = 30_000;
const signInMutation = `mutation($input: LoginInput!) { signIn(input: $input) {
  __typename ... on AuthPayload { accessToken refreshToken } ... on MfaChallenge { challengeId expiresAt methods } } }`;
const verifyMutation = 'mutation($id: ID!, $code: String!) { verifyMfa(challengeId: $id, code: $code) { accessToken refreshToken } }';

/** The code the user's app shows now (the server's clock), or `steps` later. */
const codeFor = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: app.clock().getTime() + steps * step });

/** A verified user with a confirmed authenticator app: its secret, recovery codes and credentials. */
async function enrolledUser() {
  const session = await verifiedSession(app);
  const enrolled = await app.gql('mutation { enrollTotp(name: "Phone") { factor { id confirmed } secret uri qrCode } }', {}, session.auth);
  expect(enrolled.errors).toBeUndefined();
  const { factor, secret, uri, qrCode } = enrolled.data.enrollTotp;
  expect(factor.confirmed).toBe(false);
  expect(uri).toMatch(new RegExp(`^otpauth://totp/authgraph:${session.identity.username}\\?`));
  expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  const confirmed = await app.gql(
    'mutation($id: ID!, $code: String!) { confirmTotp(factorId: $id, code: $code) { factor { confirmed } recoveryCodes } }',
    { id: factor.id, code: codeFor(secret) },
    session.auth,
  );
  expect(confirmed.errors).toBeUndefined();
  const recoveryCodes = confirmed.data.confirmTotp.recoveryCodes as string[];
  expect(recoveryCodes).toHaveLength(10);
  // The code used to confirm cannot sign in: move to the next time step.
  app.clock.advance(step);
  return { ...session, secret, factorId: factor.id as string, recoveryCodes };
}

async function challengeFor(identity: { username: string; password: string }, userAgent = 'vitest') {
  const result = await app.gql(signInMutation, { input: { username: identity.username, password: identity.password } }, { 'user-agent': userAgent });
  expect(result.data.signIn.__typename).toBe('MfaChallenge');
  return result.data.signIn.challengeId as string;
}

async function claimsOf(accessToken: string) {
  const jwks = createLocalJWKSet((await call(app, 'GET', '/.well-known/jwks.json')).body);
  return (await jwtVerify(accessToken, jwks)).payload;
}

describe('enrolment', () => {
  it('an account without a factor signs in with one: signIn answers tokens, aal1', async () => {
    const { identity } = await verifiedSession(app);
    const result = await app.gql(signInMutation, { input: { username: identity.username, password: identity.password } });
    expect(result.data.signIn.__typename).toBe('AuthPayload');
    expect(await claimsOf(result.data.signIn.accessToken)).toMatchObject({ amr: ['pwd'], aal: 'aal1' });
  });

  it('the account reports its factor; stored secrets and codes are sealed or hashed', async () => {
    const { auth, secret, recoveryCodes, user } = await enrolledUser();
    const account = await app.gql('{ account { mfaEnabled mfaFactors { name kind confirmed } } }', {}, auth);
    expect(account.data.account).toEqual({ mfaEnabled: true, mfaFactors: [{ name: 'Phone', kind: 'TOTP', confirmed: true }] });
    const stored = JSON.stringify([
      await app.runtime.db.mfaFactor.findMany({ where: { userId: user.id } }),
      await app.runtime.db.recoveryCode.findMany({ where: { userId: user.id } }),
    ]);
    expect(stored).not.toContain(secret);
    for (const code of recoveryCodes) expect(stored).not.toContain(code);
  });

  it('a wrong first code does not confirm the factor', async () => {
    const session = await verifiedSession(app);
    const { factor } = (await app.gql('mutation { enrollTotp { factor { id } } }', {}, session.auth)).data.enrollTotp;
    const wrong = await app.gql('mutation($id: ID!) { confirmTotp(factorId: $id, code: "000000") { factor { id } } }', { id: factor.id }, session.auth);
    expect(codeOf(wrong)).toBe(codes.UNAUTHENTICATED);
    // An unconfirmed factor is never asked for.
    const result = await app.gql(signInMutation, { input: { username: session.identity.username, password: session.identity.password } });
    expect(result.data.signIn.__typename).toBe('AuthPayload');
  });
});

describe('signing in with a second factor', () => {
  it('signIn answers a challenge; verifyMfa with the app code gives tokens whose amr and aal are verified through the JWKS', async () => {
    const { identity, secret } = await enrolledUser();
    const challengeId = await challengeFor(identity);
    const tokens = await app.gql(verifyMutation, { id: challengeId, code: codeFor(secret) });
    expect(tokens.errors).toBeUndefined();
    expect(await claimsOf(tokens.data.verifyMfa.accessToken)).toMatchObject({ amr: ['pwd', 'otp'], aal: 'aal2' });
    const whoami = await app.gql('{ whoami { credential { amr aal } } }', {}, { authorization: `Bearer ${tokens.data.verifyMfa.accessToken}` });
    expect(whoami.data.whoami.credential).toEqual({ amr: ['pwd', 'otp'], aal: 'aal2' });
    // A refresh keeps the level of the sign-in.
    const refreshed = await app.gql(refreshMutation, { refreshToken: tokens.data.verifyMfa.refreshToken });
    expect(await claimsOf(refreshed.data.refresh.accessToken)).toMatchObject({ amr: ['pwd', 'otp'], aal: 'aal2' });
  });

  it('login (tokens only) refuses with MFA_REQUIRED and the challenge in extensions, which verifyMfa completes', async () => {
    const { identity, secret } = await enrolledUser();
    const refused = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    expect(codeOf(refused)).toBe(codes.MFA_REQUIRED);
    const { challengeId } = refused.errors![0]!.extensions!.mfaChallenge;
    expect((await app.gql(verifyMutation, { id: challengeId, code: codeFor(secret) })).errors).toBeUndefined();
  });

  it('a code is accepted once: the same code in a second challenge is refused', async () => {
    const { identity, secret } = await enrolledUser();
    const code = codeFor(secret);
    expect((await app.gql(verifyMutation, { id: await challengeFor(identity), code })).errors).toBeUndefined();
    expect(codeOf(await app.gql(verifyMutation, { id: await challengeFor(identity), code }))).toBe(codes.UNAUTHENTICATED);
  });

  it('a recovery code signs in once', async () => {
    const { identity, recoveryCodes } = await enrolledUser();
    const [code] = recoveryCodes;
    const tokens = await app.gql(verifyMutation, { id: await challengeFor(identity), code: code!.toUpperCase() });
    expect(tokens.errors).toBeUndefined();
    expect(await claimsOf(tokens.data.verifyMfa.accessToken)).toMatchObject({ amr: ['pwd', 'recovery'], aal: 'aal2' });
    expect(codeOf(await app.gql(verifyMutation, { id: await challengeFor(identity), code }))).toBe(codes.UNAUTHENTICATED);
  });

  it('five wrong codes kill the challenge; it is bound to its client; it expires', async () => {
    const { identity, secret } = await enrolledUser();
    const challengeId = await challengeFor(identity);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(codeOf(await app.gql(verifyMutation, { id: challengeId, code: '000000' }))).toBe(codes.UNAUTHENTICATED);
    }
    const dead = await app.gql(verifyMutation, { id: challengeId, code: codeFor(secret) });
    expect(dead.errors?.[0]?.message).toMatch(/challenge/);

    const elsewhere = await app.gql(verifyMutation, { id: await challengeFor(identity, 'the first client'), code: codeFor(secret) }, { 'user-agent': 'another client' });
    expect(elsewhere.errors?.[0]?.message).toMatch(/challenge/);

    const late = await challengeFor(identity);
    app.clock.advance(app.runtime.config.mfa.challengeTtl * 1000 + 1000);
    expect((await app.gql(verifyMutation, { id: late, code: codeFor(secret) })).errors?.[0]?.message).toMatch(/challenge/);
  });

  it('wrong codes count against the login throttle of the account', async () => {
    const throttled = await createTestApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '3', RATE_LIMIT_LOGIN_FREE_FAILURES: '100' } });
    const previous = app;
    app = throttled;
    try {
      const { identity } = await enrolledUser();
      const challengeId = await challengeFor(identity);
      const answers = [];
      for (let attempt = 0; attempt < 4; attempt++) answers.push(codeOf(await app.gql(verifyMutation, { id: challengeId, code: '000000' })));
      expect(answers).toEqual([codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.RATE_LIMITED]);
    } finally {
      app = previous;
      await throttled.close();
    }
  });

  it('password-only paths refuse the account (novem Basic); RESTume and NovaVMS answer mfa_required, which /v1/auth/mfa/verify completes', async () => {
    const { identity, secret } = await enrolledUser();
    const novem = await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, identity.password) });
    expect(novem).toMatchObject({ status: 403, body: { code: codes.MFA_REQUIRED } });

    const restume = await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } });
    expect(restume).toMatchObject({ status: 401, body: { code: codes.MFA_REQUIRED, mfa_required: true, mfa: { verify: '/v1/auth/mfa/verify' } } });
    const verified = await call(app, 'POST', '/v1/auth/mfa/verify', { body: { challenge_id: restume.body.mfa.challenge_id, code: codeFor(secret) } });
    expect(verified.status).toBe(200);
    expect(await claimsOf(verified.body.access_token)).toMatchObject({ aal: 'aal2' });

    const nova = await call(app, 'POST', '/api/auth/login', { body: { email: identity.email, password: identity.password } });
    expect(nova).toMatchObject({ status: 401, body: { mfa_required: true } });
    const wrong = await call(app, 'POST', '/v1/auth/mfa/verify', { body: { challenge_id: nova.body.mfa.challenge_id, code: '000000' } });
    expect(wrong).toMatchObject({ status: 401, body: { code: codes.UNAUTHENTICATED } });
  });
});

describe('step-up and managing factors', () => {
  it('managing factors wants a recent second factor: refused in an aal1 session, allowed after stepUpMfa', async () => {
    const { secret, recoveryCodes, identity } = await enrolledUser();
    const tokens = await app.gql(verifyMutation, { id: await challengeFor(identity), code: codeFor(secret) });
    const auth = { authorization: `Bearer ${tokens.data.verifyMfa.accessToken}` };
    app.clock.advance((app.runtime.config.mfa.stepUpWindow + 1) * 1000);
    // Still within the sign-in (reauth) window? No: both have passed; reauthenticate first.
    await app.gql('mutation($p: String!) { reauthenticate(password: $p) }', { p: identity.password }, auth);
    const refused = await app.gql('mutation { regenerateRecoveryCodes }', {}, auth);
    expect(codeOf(refused)).toBe(codes.MFA_REQUIRED);
    expect((await app.gql('mutation($c: String!) { stepUpMfa(code: $c) }', { c: codeFor(secret) }, auth)).errors).toBeUndefined();
    const fresh = await app.gql('mutation { regenerateRecoveryCodes }', {}, auth);
    expect(fresh.data.regenerateRecoveryCodes).toHaveLength(10);
    // The old set died with it.
    expect(codeOf(await app.gql(verifyMutation, { id: await challengeFor(identity), code: recoveryCodes[1]! }))).toBe(codes.UNAUTHENTICATED);
  });

  it('creating an API key and changing the password want it too; an aal2 sign-in is enough', async () => {
    const { secret, identity, auth: aal1 } = await enrolledUser();
    // The session that enrolled passed the factor when it confirmed; past the window it must step up again.
    app.clock.advance((app.runtime.config.mfa.stepUpWindow + 1) * 1000);
    await app.gql('mutation($p: String!) { reauthenticate(password: $p) }', { p: identity.password }, aal1);
    expect(codeOf(await app.gql('mutation { createApiKey(input: { name: "ci" }) { rawKey } }', {}, aal1))).toBe(codes.MFA_REQUIRED);
    const change = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    expect(codeOf(await app.gql(change, { c: identity.password, n: 'another long pass phrase 42' }, aal1))).toBe(codes.MFA_REQUIRED);
    const tokens = await app.gql(verifyMutation, { id: await challengeFor(identity), code: codeFor(secret) });
    const aal2 = { authorization: `Bearer ${tokens.data.verifyMfa.accessToken}` };
    expect((await app.gql('mutation { createApiKey(input: { name: "ci" }) { rawKey } }', {}, aal2)).errors).toBeUndefined();
  });

  it('removing the last factor turns the second factor off, and the activity log has each step', async () => {
    const { secret, identity, factorId, user } = await enrolledUser();
    const tokens = await app.gql(verifyMutation, { id: await challengeFor(identity), code: codeFor(secret) });
    const auth = { authorization: `Bearer ${tokens.data.verifyMfa.accessToken}` };
    expect((await app.gql('mutation($id: ID!) { removeMfaFactor(id: $id) }', { id: factorId }, auth)).data.removeMfaFactor).toBe(true);
    const result = await app.gql(signInMutation, { input: { username: identity.username, password: identity.password } });
    expect(result.data.signIn.__typename).toBe('AuthPayload');
    await app.runtime.tokenEvents.flush();
    const events = await app.runtime.db.tokenEvent.findMany({ where: { userId: user.id, action: 'mfa' }, orderBy: { at: 'asc' } });
    expect(events.map((event) => event.operation)).toEqual(expect.arrayContaining(['enrolled', 'confirmed', 'challenge-passed', 'removed']));
  });

  it('an administrator with a factor needs it recently for admin operations; REQUIRE_MFA_FOR_ADMINS refuses one without', async () => {
    const { secret, identity, auth } = await enrolledUser();
    await setUserRole(app.runtime, identity.username, 'ADMIN');
    app.clock.advance((app.runtime.config.mfa.stepUpWindow + 1) * 1000);
    expect(codeOf(await app.gql('{ serviceAccounts { id } }', {}, auth))).toBe(codes.MFA_REQUIRED);
    await app.gql('mutation($c: String!) { stepUpMfa(code: $c) }', { c: codeFor(secret) }, auth);
    expect((await app.gql('{ serviceAccounts { id } }', {}, auth)).errors).toBeUndefined();

    const strict = await createTestApp({ env: { REQUIRE_MFA_FOR_ADMINS: 'true' } });
    try {
      const admin = await adminSession(strict);
      const refused = await strict.gql('{ serviceAccounts { id } }', {}, admin.auth);
      expect(codeOf(refused)).toBe(codes.MFA_REQUIRED);
      expect(refused.errors?.[0]?.message).toMatch(/enrollTotp/);
      // Enrolling is what it asks for, and is allowed.
      expect((await strict.gql('mutation { enrollTotp { secret } }', {}, admin.auth)).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it("an administrator with a recent second factor resets a user's factors: the user's sessions end, the user signs in with a password, the log names the admin", async () => {
    const user = await enrolledUser();
    const admin = await enrolledUser();
    await setUserRole(app.runtime, admin.identity.username, 'ADMIN');
    const adminTokens = await app.gql(verifyMutation, { id: await challengeFor(admin.identity), code: codeFor(admin.secret) });
    const adminAuth = { authorization: `Bearer ${adminTokens.data.verifyMfa.accessToken}` };
    const reset = await app.gql('mutation($id: ID!) { resetUserMfa(userId: $id) }', { id: user.user.id }, adminAuth);
    expect(reset.data.resetUserMfa).toBe(true);
    expect(codeOf(await app.gql('{ whoami { user { id } } }', {}, user.auth))).toBe(codes.UNAUTHENTICATED);
    const signIn = await app.gql(signInMutation, { input: { username: user.identity.username, password: user.identity.password } });
    expect(signIn.data.signIn.__typename).toBe('AuthPayload');
    await app.runtime.tokenEvents.flush();
    const audit = await app.runtime.db.tokenEvent.findFirst({ where: { userId: user.user.id, action: 'mfa', operation: { startsWith: 'admin-reset' } } });
    expect(audit).toMatchObject({ operation: 'admin-reset', actorType: 'user', actorId: admin.user.id });
    // A user who is not an admin cannot.
    expect(codeOf(await app.gql('mutation($id: ID!) { resetUserMfa(userId: $id) }', { id: admin.user.id }, user.auth))).toBeDefined();
  });
});
