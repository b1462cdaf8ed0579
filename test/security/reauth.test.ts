import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxPasswordMissesPerSession } from '../../src/accounts/reauth.js';
import { codes, errorCodes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createApiKeyMutation, keyHeader } from '../helpers/apikeys.js';
import { codeOf, refreshMutation, registerUser, signIn, whoamiQuery, type Identity } from '../helpers/flows.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { basic, bearer, call } from '../helpers/rest.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';

// Issue 19, "Medium": sensitive changes need a recent authentication (REAUTH_WINDOW),
// the owner is mailed about each, a new password offers to end sessions and revoke
// keys, and changePassword is no unlimited password oracle.

const clientId = 'authgraph-reauth.apps.googleusercontent.com';
const mail = capturingTransport();
let provider: OidcTestProvider;
let app: TestApp;

beforeAll(async () => {
  provider = await startOidcProvider({ clientId });
  app = await createTestApp({ mailTransport: mail.transport, env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId, RESEND_INTERVAL: '0' } });
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

const reauthenticateMutation = 'mutation($password: String!) { reauthenticate(password: $password) }';
const reauthenticateWithGoogleMutation = 'mutation($credential: String!) { reauthenticateWithGoogle(credential: $credential) }';
const rollMutation = 'mutation($id: ID!) { rollApiKey(id: $id) { rawKey } }';
const revokeMutation = 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';
const linkMutation = 'mutation($credential: String!) { linkGoogle(credential: $credential) { googleLinked } }';
const unlinkMutation = 'mutation { unlinkGoogle { googleLinked } }';
const changeMutation = `mutation($current: String!, $next: String!, $endOtherSessions: Boolean, $revokeApiKeys: Boolean) {
  changePassword(currentPassword: $current, newPassword: $next, endOtherSessions: $endOtherSessions, revokeApiKeys: $revokeApiKeys)
}`;

const pastWindow = () => app.clock.advance((app.config.reauthWindow + 1) * 1000);

/** A registered user with a verified address (keys need it; notices go only to verified addresses). */
async function verifiedUser(): Promise<{ identity: Identity; userId: string }> {
  const { identity, user } = await registerUser(app, newIdentity());
  await app.runtime.db.user.update({ where: { id: user.id }, data: { emailVerified: true } });
  return { identity, userId: user.id };
}

async function graphqlSession(identity: Identity) {
  const tokens = await signIn(app, identity);
  return { auth: bearer(tokens.accessToken), refreshToken: tokens.refreshToken as string };
}

/** RESTume's sign-in: an access-only session. */
async function restSession(identity: Identity) {
  const login = await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } });
  expect(login.status).toBe(200);
  return bearer(login.body.access_token);
}

async function createKeyWith(auth: Record<string, string>, name = 'ci') {
  return app.gql(createApiKeyMutation, { input: { name } }, auth);
}

async function mailsTo(email: string) {
  await app.runtime.background.idle();
  return mail.mailsTo(email);
}

describe('a sensitive change needs a sign-in within REAUTH_WINDOW', () => {
  it('REAUTH_WINDOW defaults to 10 minutes', () => {
    expect(app.config.reauthWindow).toBe(600);
  });

  it('GraphQL createApiKey: allowed just after signing in, refused once the window has passed, allowed again after reauthenticate', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    expect((await createKeyWith(auth, 'fresh')).errors).toBeUndefined();

    pastWindow();
    const late = await createKeyWith(auth, 'late');
    expect(codeOf(late)).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect(late.errors?.[0]?.message).toContain('reauthenticate(password)');

    const wrong = await app.gql(reauthenticateMutation, { password: 'not the password at all' }, auth);
    expect(codeOf(wrong)).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await createKeyWith(auth, 'still late'))).toBe(codes.REAUTHENTICATION_REQUIRED);

    const confirmed = await app.gql(reauthenticateMutation, { password: identity.password }, auth);
    expect(confirmed.errors).toBeUndefined();
    expect(new Date(confirmed.data.reauthenticate).getTime()).toBe(app.clock().getTime());
    expect((await createKeyWith(auth, 'confirmed')).errors).toBeUndefined();
  });

  it('REST POST and DELETE /v1/auth/api-keys answer 403 REAUTHENTICATION_REQUIRED once the window has passed', async () => {
    const { identity } = await verifiedUser();
    const auth = await restSession(identity);
    const created = await call(app, 'POST', '/v1/auth/api-keys', { headers: auth, body: { name: 'fresh' } });
    expect(created.status).toBe(201);

    pastWindow();
    const late = await call(app, 'POST', '/v1/auth/api-keys', { headers: auth, body: { name: 'late' } });
    expect(late.status).toBe(errorCodes.REAUTHENTICATION_REQUIRED.status);
    expect(late.body.code).toBe(codes.REAUTHENTICATION_REQUIRED);
    const revoke = await call(app, 'DELETE', `/v1/auth/api-keys/${created.body.id}`, { headers: auth });
    expect(revoke.status).toBe(403);
    expect(revoke.body.code).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect((await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: created.body.id } })).revokedAt).toBeNull();
  });

  it('a refresh does not renew the authentication: the refreshed session is refused too', async () => {
    const { identity } = await verifiedUser();
    const { refreshToken } = await graphqlSession(identity);
    pastWindow();
    const refreshed = await app.gql(refreshMutation, {}, bearer(refreshToken));
    expect(refreshed.errors).toBeUndefined();
    const auth = bearer(refreshed.data.refresh.accessToken);
    expect(codeOf(await createKeyWith(auth))).toBe(codes.REAUTHENTICATION_REQUIRED);

    const sessionsQuery = '{ sessions { current authenticatedAt lastUsedAt } }';
    const before = (await app.gql(sessionsQuery, {}, auth)).data.sessions.find((session: { current: boolean }) => session.current);
    expect(new Date(before.authenticatedAt).getTime()).toBeLessThan(new Date(before.lastUsedAt).getTime());
    const stamped = (await app.gql(reauthenticateMutation, { password: identity.password }, auth)).data.reauthenticate;
    const after = (await app.gql(sessionsQuery, {}, auth)).data.sessions.find((session: { current: boolean }) => session.current);
    expect(after.authenticatedAt).toBe(stamped);
  });

  it('rollApiKey and revokeApiKey are refused once the window has passed, and the key stays as it was', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const key = (await createKeyWith(auth)).data.createApiKey;
    pastWindow();
    expect(codeOf(await app.gql(rollMutation, { id: key.apiKey.id }, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect(codeOf(await app.gql(revokeMutation, { id: key.apiKey.id }, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect((await app.gql(whoamiQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
  });

  it("an admin's createServiceAccountKey is refused once the window has passed", async () => {
    const { identity, userId } = await verifiedUser();
    await app.runtime.db.user.update({ where: { id: userId }, data: { role: 'ADMIN' } });
    const { auth } = await graphqlSession(identity);
    const created = await app.gql('mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }', {
      input: { name: `bridge-${identity.username}`, scopes: ['account:read'] },
    }, auth);
    const mintKey = () =>
      app.gql('mutation($id: ID!) { createServiceAccountKey(serviceAccountId: $id, input: { name: "bridge" }) { rawKey } }', { id: created.data.createServiceAccount.id }, auth);
    expect((await mintKey()).errors).toBeUndefined();
    pastWindow();
    expect(codeOf(await mintKey())).toBe(codes.REAUTHENTICATION_REQUIRED);
  });

  it('a key acts within its scopes, whatever the age of the session that made it: one with account:write still unlinks Google on REST', async () => {
    const { identity, userId } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const key = (await app.gql(createApiKeyMutation, { input: { name: 'unlinker', scopes: ['account:read', 'account:write'] } }, auth)).data.createApiKey;
    await app.runtime.db.user.update({ where: { id: userId }, data: { googleSubject: `key-${identity.username}` } });
    pastWindow();
    const unlinked = await call(app, 'POST', '/v1/me/google/unlink', { headers: keyHeader(key.rawKey) });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.google_linked).toBe(false);
  });

  it('novem POST /v1/token checks a password itself: it keeps minting named tokens', async () => {
    const { identity } = await verifiedUser();
    pastWindow();
    const created = await call(app, 'POST', '/v1/token', { headers: basic(identity.username, identity.password), body: { name: 'novem-cli' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toBeTruthy();
  });

  it('an API key is not a session: createApiKey stays refused to it (FORBIDDEN), whatever its age', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const key = (await createKeyWith(auth)).data.createApiKey;
    expect(codeOf(await createKeyWith(keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
  });
});

describe('the Google link needs a recent authentication', () => {
  const idToken = (subject: string, email: string) => provider.mint(provider.claims({ sub: subject, email }), { now: app.clock() });

  it('linkGoogle is refused once the window has passed (a stolen access token links no Google account); reauthenticate lets the owner link', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    pastWindow();
    const thiefs = await idToken(`thief-${identity.username}`, `thief-${identity.username}@example.org`);
    expect(codeOf(await app.gql(linkMutation, { credential: thiefs }, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { username: identity.username } })).googleSubject).toBeNull();

    await app.gql(reauthenticateMutation, { password: identity.password }, auth);
    const linked = await app.gql(linkMutation, { credential: await idToken(`owner-${identity.username}`, identity.email) }, auth);
    expect(linked.data?.linkGoogle.googleLinked).toBe(true);
  });

  it('unlinkGoogle (GraphQL) and POST /v1/me/google/unlink (REST) are refused once the window has passed; reauthenticateWithGoogle renews it', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const subject = `owner-${identity.username}`;
    expect((await app.gql(linkMutation, { credential: await idToken(subject, identity.email) }, auth)).errors).toBeUndefined();
    const restAuth = await restSession(identity);
    pastWindow();

    expect(codeOf(await app.gql(unlinkMutation, {}, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
    const rest = await call(app, 'POST', '/v1/me/google/unlink', { headers: restAuth });
    expect(rest.status).toBe(403);
    expect(rest.body.code).toBe(codes.REAUTHENTICATION_REQUIRED);

    const another = await app.gql(reauthenticateWithGoogleMutation, { credential: await idToken(`someone-else-${identity.username}`, identity.email) }, auth);
    expect(codeOf(another)).toBe(codes.UNAUTHENTICATED);
    const renewed = await app.gql(reauthenticateWithGoogleMutation, { credential: await idToken(subject, identity.email) }, auth);
    expect(renewed.errors).toBeUndefined();
    expect((await app.gql(unlinkMutation, {}, auth)).data?.unlinkGoogle.googleLinked).toBe(false);
  });
});

describe('the owner is mailed about each sensitive change, without a secret', () => {
  it('a created, rolled and revoked key, a linked and unlinked Google account', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const key = (await createKeyWith(auth, 'deploy-bot')).data.createApiKey;
    const rolled = (await app.gql(rollMutation, { id: key.apiKey.id }, auth)).data.rollApiKey;
    await app.gql(revokeMutation, { id: key.apiKey.id }, auth);
    await app.gql(linkMutation, { credential: await provider.mint(provider.claims({ sub: `m-${identity.username}`, email: identity.email }), { now: app.clock() }) }, auth);
    await app.gql(unlinkMutation, {}, auth);

    const notices = (await mailsTo(identity.email)).filter((sent) => sent.subject.includes(': '));
    expect(notices.map((sent) => sent.subject.slice(sent.subject.indexOf(': ') + 2))).toEqual([
      'an API key was created',
      'an API key was given a new secret (rolled)',
      'an API key was revoked',
      'a Google account was linked',
      'Google sign-in was unlinked',
    ]);
    expect(notices[0]!.text).toContain(`Key: "deploy-bot" (${key.apiKey.prefix}...)`);
    expect(notices[3]!.text).toContain(`Google account: ${identity.email}`);
    for (const notice of notices) {
      expect(notice.text).not.toContain(key.rawKey);
      expect(notice.text).not.toContain(rolled.rawKey);
      expect(notice.html).not.toContain(key.rawKey);
    }
  });
});

describe('a new password offers to end every session and revoke the keys', () => {
  it('changePassword ends the other sessions by default, keeps the keys, and mails the owner', async () => {
    const { identity } = await verifiedUser();
    const here = await graphqlSession(identity);
    const elsewhere = await graphqlSession(identity);
    const key = (await createKeyWith(here.auth)).data.createApiKey;
    const changed = await app.gql(changeMutation, { current: identity.password, next: 'a brand new pass phrase' }, here.auth);
    expect(changed.data?.changePassword).toBe(true);
    expect(codeOf(await app.gql(whoamiQuery, {}, elsewhere.auth))).toBe(codes.UNAUTHENTICATED);
    expect((await app.gql(whoamiQuery, {}, here.auth)).errors).toBeUndefined();
    expect((await app.gql(whoamiQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    const notice = (await mailsTo(identity.email)).at(-1)!;
    expect(notice.subject).toContain('your password was changed');
    expect(notice.text).toContain('Every other session was signed out (1).');
    expect(notice.text).toContain('Your API keys were kept');
    expect(notice.text).not.toContain('a brand new pass phrase');
  });

  it('changePassword(endOtherSessions: false, revokeApiKeys: true) keeps the sessions and revokes every key', async () => {
    const { identity } = await verifiedUser();
    const here = await graphqlSession(identity);
    const elsewhere = await graphqlSession(identity);
    const key = (await createKeyWith(here.auth)).data.createApiKey;
    const variables = { current: identity.password, next: 'a brand new pass phrase', endOtherSessions: false, revokeApiKeys: true };
    expect((await app.gql(changeMutation, variables, here.auth)).errors).toBeUndefined();
    expect((await app.gql(whoamiQuery, {}, elsewhere.auth)).errors).toBeUndefined();
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
  });

  it('POST /v1/auth/reset-password takes end_sessions and revoke_api_keys; Google stays linked, and the mail says so', async () => {
    const { identity, userId } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const key = (await createKeyWith(auth)).data.createApiKey;
    await app.runtime.db.user.update({ where: { id: userId }, data: { googleSubject: `reset-${identity.username}` } });
    await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } });
    const { code } = challengeIn((await mailsTo(identity.email)).filter((sent) => /Your code/.test(sent.text)).at(-1));

    const reset = await call(app, 'POST', '/v1/auth/reset-password', {
      body: { email: identity.email, code, new_password: 'a reset pass phrase here', end_sessions: false, revoke_api_keys: true },
    });
    expect(reset.status).toBe(200);
    expect((await app.gql(whoamiQuery, {}, auth)).errors).toBeUndefined();
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: userId } })).googleSubject).toBe(`reset-${identity.username}`);
    const notice = (await mailsTo(identity.email)).at(-1)!;
    expect(notice.subject).toContain('your password was reset');
    expect(notice.text).toContain('Google sign-in stays linked');
    expect(notice.text).toContain('Every API key was revoked (1).');
  });

  it('GraphQL resetPassword ends every session by default', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    await app.gql('mutation($email: EmailAddress!) { forgotPassword(email: $email) }', { email: identity.email });
    const { code } = challengeIn((await mailsTo(identity.email)).filter((sent) => /Your code/.test(sent.text)).at(-1));
    const verified = await app.gql('mutation($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }', {
      email: identity.email,
      code,
    });
    const token = verified.data.verifyRecoveryCode.resetToken;
    expect((await app.gql('mutation($token: String!) { resetPassword(token: $token, newPassword: "a reset pass phrase here") }', { token })).errors).toBeUndefined();
    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('changePassword is no password oracle', () => {
  it(`20 wrong current passwords: refused, RATE_LIMITED at the ${maxPasswordMissesPerSession}th, and the session ends`, async () => {
    const { identity } = await verifiedUser();
    const { auth, refreshToken } = await graphqlSession(identity);
    const answers: unknown[] = [];
    for (let guess = 1; guess <= 20; guess += 1) {
      answers.push(codeOf(await app.gql(changeMutation, { current: `wrong guess number ${guess}`, next: 'a brand new pass phrase' }, auth)));
    }
    expect(answers.slice(0, maxPasswordMissesPerSession - 1)).toEqual(Array(maxPasswordMissesPerSession - 1).fill(codes.BAD_USER_INPUT));
    expect(answers[maxPasswordMissesPerSession - 1]).toBe(codes.RATE_LIMITED);
    expect(new Set(answers.slice(maxPasswordMissesPerSession))).toEqual(new Set([codes.UNAUTHENTICATED]));

    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(refreshMutation, {}, bearer(refreshToken)))).toBe(codes.UNAUTHENTICATED);
    // The password did not change, and its owner still signs in.
    expect((await signIn(app, identity)).accessToken).toBeTruthy();
  });

  it('reauthenticate counts its misses the same way', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    const answers: unknown[] = [];
    for (let guess = 1; guess <= maxPasswordMissesPerSession + 1; guess += 1) {
      answers.push(codeOf(await app.gql(reauthenticateMutation, { password: `wrong guess number ${guess}` }, auth)));
    }
    expect(answers.at(maxPasswordMissesPerSession - 1)).toBe(codes.RATE_LIMITED);
    expect(answers.at(-1)).toBe(codes.UNAUTHENTICATED);
  });

  it('wrong current passwords go through the login throttle keyed by the account: the next sign-ins wait', async () => {
    const { identity } = await verifiedUser();
    const { auth } = await graphqlSession(identity);
    for (let guess = 1; guess <= maxPasswordMissesPerSession; guess += 1) {
      await app.gql(changeMutation, { current: `wrong guess number ${guess}`, next: 'a brand new pass phrase' }, auth);
    }
    const login = (password: string) =>
      app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: identity.email, password } });
    // The misses spent the free failures of this account from this address: one more, and even the right password waits.
    expect(codeOf(await login('wrong once more'))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await login(identity.password))).toBe(codes.RATE_LIMITED);
  });
});
