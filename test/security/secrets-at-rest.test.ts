import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createKey, keyHeader } from '../helpers/apikeys.js';
import { loginMutation, refreshMutation, registerUser } from '../helpers/flows.js';
import { basic, bearer, call } from '../helpers/rest.js';
import { capturingTransport, challengeIn, dumpDatabase } from '../helpers/security.js';

// Issue 8, attack 11: after a full flow through every door, neither the database nor the
// log holds any secret that was issued or presented.
const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport });
});
afterAll(() => app.close());

/** Every secret the flow saw, by what it is; codes are kept apart (six digits also occur in numbers). */
const secrets: Record<string, string> = {};
const codes: Record<string, string> = {};

async function lastChallengeTo(email: string) {
  await app.runtime.background.idle();
  return challengeIn(mail.mailsTo(email).at(-1));
}

async function fullFlow() {
  const identity = newIdentity();
  secrets.password = identity.password;
  await registerUser(app, identity);
  const verification = await lastChallengeTo(identity.email);
  codes.verification = verification.code;
  secrets.verificationUid = verification.uid;
  expect((await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: verification.code } })).status).toBe(200);

  // Passwordless: the browser's nonce, the mailed code and link, and the tokens they gave.
  const requested = await call(app, 'POST', '/v1/auth/email-code/request', { body: { email: identity.email } });
  secrets.signInNonce = /authgraph_sign_in=([^;]+)/.exec(requested.headers.get('set-cookie') ?? '')![1]!;
  const signInMail = await lastChallengeTo(identity.email);
  codes.signIn = signInMail.code;
  secrets.signInUid = signInMail.uid;
  const byCode = await call(app, 'POST', '/v1/auth/email-code/verify', { body: { email: identity.email, code: signInMail.code } });
  expect(byCode.status).toBe(200);
  secrets.emailCodeAccess = byCode.body.access_token;
  secrets.emailCodeRefresh = byCode.body.refresh_token;

  secrets.wrongPassword = `a wrong guess ${newIdentity().username}`;
  await app.gql(loginMutation, { input: { username: identity.username, password: secrets.wrongPassword } });
  await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: secrets.wrongPassword } });

  const graphqlLogin = (await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } })).data.login;
  secrets.graphqlAccess = graphqlLogin.accessToken;
  secrets.graphqlRefresh = graphqlLogin.refreshToken;
  const novavms = (await call(app, 'POST', '/api/auth/login', { body: { email: identity.email, password: identity.password } })).body;
  secrets.novavmsAccess = novavms.access_token;
  secrets.novavmsRefresh = novavms.refresh_token;
  const novem = await call(app, 'POST', '/v1/auth', { headers: basic(identity.username, identity.password) });
  secrets.novemSessionToken = novem.body.token;
  expect(novem.headers.get('set-cookie')).toContain(`authgraph_session=${novem.body.token};`);
  await call(app, 'GET', '/v1/whoami', { headers: bearer(novem.body.token) });
  const named = await call(app, 'POST', '/v1/token', { headers: basic(identity.username, identity.password), body: { token_name: 'at-rest' } });
  secrets.novemNamedToken = named.body.token;
  await call(app, 'GET', '/v1/token', { headers: bearer(named.body.token) });
  secrets.restumeAccess = (await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } })).body.access_token;

  const refreshed = (await app.gql(refreshMutation, { refreshToken: graphqlLogin.refreshToken }, { 'user-agent': 'vitest' })).data.refresh;
  secrets.refreshedAccess = refreshed.accessToken;
  secrets.refreshedRefresh = refreshed.refreshToken;
  const restRefreshed = (await call(app, 'POST', '/api/auth/refresh', { headers: bearer(novavms.refresh_token) })).body;
  secrets.restRefreshedAccess = restRefreshed.access_token;
  secrets.restRefreshedRefresh = restRefreshed.refresh_token;

  const auth = bearer(refreshed.accessToken);
  const key = await createKey(app, auth);
  secrets.apiKey = key.rawKey;
  await app.gql('{ whoami { credential { id } } }', {}, keyHeader(key.rawKey));
  await call(app, 'GET', '/v1/token', { headers: bearer(key.rawKey) });
  const rolled = (await app.gql(`mutation($id: ID!) { rollApiKey(id: $id, gracePeriodSeconds: 60) { rawKey } }`, { id: key.apiKey.id }, auth)).data.rollApiKey;
  secrets.rolledApiKey = rolled.rawKey;
  await call(app, 'GET', '/v1/token', { headers: keyHeader(rolled.rawKey) });

  expect((await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } })).status).toBe(202);
  const recovery = await lastChallengeTo(identity.email);
  codes.recovery = recovery.code;
  secrets.recoveryUid = recovery.uid;
  const answer = await app.gql(
    `mutation($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }`,
    { email: identity.email, code: recovery.code },
  );
  secrets.resetToken = answer.data.verifyRecoveryCode.resetToken;
  secrets.resetPassword = `reset phrase ${newIdentity().username}`;
  expect((await call(app, 'POST', '/v1/auth/reset-password', { body: { token: secrets.resetToken, new_password: secrets.resetPassword } })).status).toBe(200);

  app.clock.advance(61_000);
  await app.gql(`mutation($email: EmailAddress!) { forgotPassword(email: $email) }`, { email: identity.email });
  const unused = await lastChallengeTo(identity.email);
  codes.unusedRecovery = unused.code;
  secrets.unusedRecoveryUid = unused.uid;
  const unusedAnswer = await call(app, 'POST', '/v1/admin/challenge', { body: { uid: unused.uid } });
  secrets.unusedResetToken = unusedAnswer.body.reset_token;

  const session = (await app.gql(loginMutation, { input: { username: identity.username, password: secrets.resetPassword } })).data.login;
  secrets.changedPassword = `changed phrase ${newIdentity().username}`;
  const changed = await app.gql(
    'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
    { c: secrets.resetPassword, n: secrets.changedPassword },
    bearer(session.accessToken),
  );
  expect(changed.data).toEqual({ changePassword: true });
  await app.runtime.background.idle();
  await app.runtime.tokenEvents.flush();
}

beforeAll(fullFlow);

const standalone = (code: string) => new RegExp(`(?<!\\d)${code}(?!\\d)`);

describe('after a full flow', () => {
  it('collected every kind of secret', () => {
    expect(Object.keys(secrets)).toHaveLength(26);
    expect(Object.values(secrets).every((secret) => typeof secret === 'string' && secret.length >= 16)).toBe(true);
    expect(Object.values(codes).every((code) => /^\d{6}$/.test(code))).toBe(true);
  });

  it('no table holds any of them', async () => {
    const { tables, text } = await dumpDatabase(app);
    expect(tables).toEqual(expect.arrayContaining(['User', 'Session', 'RefreshToken', 'ApiKey', 'Challenge', 'TokenEvent']));
    expect(text).toContain('"action":"roll"');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(text.includes(secret), name).toBe(false);
      // A JWT's signature, or the random part of a key or token, alone.
      expect(text.includes(secret.slice(-24)), `${name} (tail)`).toBe(false);
    }
    for (const [name, code] of Object.entries(codes)) expect(text, name).not.toMatch(standalone(code));
  });

  it('no log line holds any of them', () => {
    const log = app.logLines.join('\n');
    expect(log).toContain('password reset');
    expect(log).toContain('password changed');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(log.includes(secret), name).toBe(false);
      expect(log.includes(secret.slice(-24)), `${name} (tail)`).toBe(false);
    }
    for (const [name, code] of Object.entries(codes)) expect(log, name).not.toMatch(standalone(code));
  });
});
