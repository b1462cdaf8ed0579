import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { registerUser } from '../helpers/flows.js';
import { call } from '../helpers/rest.js';
import { capturingTransport, challengeIn, rowCounts } from '../helpers/security.js';

// Issue 8, attack 9: the recovery and verification doors say nothing about whether an
// address has an account, over GraphQL and REST (test/challenges.test.ts covers the
// plain GraphQL known-versus-unknown case).
const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport });
});
afterAll(() => app.close());

/** Addresses of every kind: unverified, verified, disabled, unknown, and a known one in capitals. */
async function addresses() {
  const unverified = await registerUser(app);
  const verified = await registerUser(app);
  await app.runtime.db.user.update({ where: { id: verified.user.id }, data: { emailVerified: true } });
  const disabled = await registerUser(app);
  await app.runtime.db.user.update({ where: { id: disabled.user.id }, data: { disabledAt: app.clock() } });
  app.clock.advance(61_000);
  return {
    unverified: unverified.identity.email,
    verified: verified.identity.email,
    disabled: disabled.identity.email,
    unknown: newIdentity().email,
    shouted: unverified.identity.email.toUpperCase(),
  };
}

const doors = [
  ['forgotPassword', 'mutation($email: EmailAddress!) { forgotPassword(email: $email) }', '/v1/auth/forgot-password'],
  ['resendVerification', 'mutation($email: EmailAddress!) { resendVerification(email: $email) }', '/v1/auth/resend-verification'],
] as const;

describe.each(doors)('%s', (name, mutation, path) => {
  it('answers every kind of address alike over GraphQL and REST, and mails only accounts that may act on it', async () => {
    const kinds = await addresses();
    const sentBefore = mail.sent.length;
    const graphql = await Promise.all(Object.values(kinds).map((email) => app.gql(mutation, { email })));
    const rest = await Promise.all(Object.values(kinds).map((email) => call(app, 'POST', path, { body: { email } })));

    expect(new Set(graphql.map((answer) => JSON.stringify([answer.status, answer.body]))).size).toBe(1);
    expect(graphql[0]!.body).toEqual({ data: { [name]: true } });
    expect(new Set(rest.map((answer) => JSON.stringify([answer.status, answer.body]))).size).toBe(1);
    expect(rest[0]!.status).toBe(202);

    await app.runtime.background.idle();
    const recipients = mail.sent.slice(sentBefore).map((message) => message.to);
    for (const silent of [kinds.unknown, kinds.disabled]) expect(recipients).not.toContain(silent);
    expect(recipients).toContain(kinds.unverified);
    expect(recipients.includes(kinds.verified)).toBe(name === 'forgotPassword');
  });

  it('an unknown address writes nothing', async () => {
    const before = await rowCounts(app);
    await app.gql(mutation, { email: newIdentity().email });
    await call(app, 'POST', path, { body: { email: newIdentity().email } });
    expect(await rowCounts(app)).toEqual(before);
  });
});

describe('answering', () => {
  it('a wrong code is refused alike for a known and an unknown address', async () => {
    const { identity } = await registerUser(app);
    await app.runtime.background.idle();
    const { code } = challengeIn(mail.mailsTo(identity.email).at(-1));
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const unknown = newIdentity().email;
    const knownRest = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: wrong } });
    const strangerRest = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: unknown, code: wrong } });
    expect([strangerRest.status, strangerRest.body]).toEqual([knownRest.status, knownRest.body]);
    const recovery = `mutation($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }`;
    const known = await app.gql(recovery, { email: identity.email, code: wrong });
    const stranger = await app.gql(recovery, { email: unknown, code: wrong });
    expect(stranger.body).toEqual(known.body);
  });

  it('a spent reset token and a made-up one are refused alike', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(61_000);
    await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } });
    await app.runtime.background.idle();
    const { uid } = challengeIn(mail.mailsTo(identity.email).at(-1));
    const token = (await call(app, 'POST', '/v1/admin/challenge', { body: { uid } })).body.reset_token as string;
    const newPassword = `spent token phrase ${newIdentity().username}`;
    expect((await call(app, 'POST', '/v1/auth/reset-password', { body: { token, new_password: newPassword } })).status).toBe(200);
    const spent = await call(app, 'POST', '/v1/auth/reset-password', { body: { token, new_password: `${newPassword} again` } });
    const madeUp = await call(app, 'POST', '/v1/auth/reset-password', { body: { token: 'A'.repeat(43), new_password: `${newPassword} again` } });
    expect([madeUp.status, madeUp.body]).toEqual([spent.status, spent.body]);
    expect(spent.status).toBe(422);
  });
});
