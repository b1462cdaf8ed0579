import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxChallengeAttempts } from '../../src/challenges/challenge.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codeOf, registerUser, signIn, type Identity } from '../helpers/flows.js';
import { call } from '../helpers/rest.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';
import { codes } from '../../src/errors.js';

// Issue 8, attack 8, beyond test/challenges.test.ts: recovery challenges, the REST doors,
// and parallel answers.
const ttlSeconds = 900;
const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport, env: { CHALLENGE_TTL: String(ttlSeconds) } });
});
afterAll(() => app.close());

const recoveryCodeMutation = `mutation($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }`;
const verifyEmailMutation = `mutation($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }`;

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function lastChallengeTo(email: string) {
  await app.runtime.background.idle();
  return challengeIn(mail.mailsTo(email).at(-1));
}

async function registered() {
  const { identity } = await registerUser(app);
  return { identity, verification: await lastChallengeTo(identity.email) };
}

async function recoveryChallenge(identity: Identity) {
  expect((await call(app, 'POST', '/v1/auth/forgot-password', { body: { email: identity.email } })).status).toBe(202);
  return lastChallengeTo(identity.email);
}

const byCode = (identity: Identity, code: string) => app.gql(recoveryCodeMutation, { email: identity.email, code });
const byLink = (uid: string) => call(app, 'POST', '/v1/admin/challenge', { body: { uid } });
const resetWith = (token: string, newPassword: string) => call(app, 'POST', '/v1/auth/reset-password', { body: { token, new_password: newPassword } });

describe(`dead after ${maxChallengeAttempts} wrong codes`, () => {
  it('a recovery challenge: then neither the right code nor the link gives a reset token', async () => {
    const { identity } = await registered();
    const recovery = await recoveryChallenge(identity);
    for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) {
      expect(codeOf(await byCode(identity, wrongCode(recovery.code)))).toBe(codes.BAD_USER_INPUT);
    }
    expect(codeOf(await byCode(identity, recovery.code))).toBe(codes.BAD_USER_INPUT);
    expect((await byLink(recovery.uid)).status).toBe(422);
  });

  it('a verification challenge guessed at over REST: then the right code over GraphQL and the link fail', async () => {
    const { identity, verification } = await registered();
    for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) {
      const guess = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: wrongCode(verification.code) } });
      expect(guess.status).toBe(422);
    }
    const right = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: identity.email, code: verification.code } });
    expect(right.status).toBe(422);
    expect(codeOf(await app.gql(verifyEmailMutation, { email: identity.email, code: verification.code }))).toBe(codes.BAD_USER_INPUT);
    expect((await byLink(verification.uid)).status).toBe(422);
    expect(await app.runtime.db.user.findFirstOrThrow({ where: { email: identity.email } })).toMatchObject({ emailVerified: false });
  });
});

describe('single use', () => {
  it('a recovery code gives one reset token: the code again, or the link after it, give nothing', async () => {
    const { identity } = await registered();
    const recovery = await recoveryChallenge(identity);
    expect((await byCode(identity, recovery.code)).data.verifyRecoveryCode.resetToken).toEqual(expect.any(String));
    expect(codeOf(await byCode(identity, recovery.code))).toBe(codes.BAD_USER_INPUT);
    expect((await byLink(recovery.uid)).status).toBe(422);
  });

  it('eight parallel answers with the right code, or with the link, yield exactly one reset token', async () => {
    const { identity } = await registered();
    const recovery = await recoveryChallenge(identity);
    const codes = await Promise.all(Array.from({ length: 8 }, () => byCode(identity, recovery.code)));
    expect(codes.filter((result) => result.data?.verifyRecoveryCode?.resetToken)).toHaveLength(1);

    const other = await registered();
    const otherRecovery = await recoveryChallenge(other.identity);
    const links = await Promise.all(Array.from({ length: 8 }, () => byLink(otherRecovery.uid)));
    expect(links.filter((result) => result.status === 200)).toHaveLength(1);
    expect(links.filter((result) => result.status === 422)).toHaveLength(7);
  });

  it('two parallel REST resets with one token change the password once', async () => {
    const { identity } = await registered();
    const recovery = await recoveryChallenge(identity);
    const token = (await byLink(recovery.uid)).body.reset_token as string;
    const passwords = [`parallel one ${newIdentity().username}`, `parallel two ${newIdentity().username}`];
    const results = await Promise.all(passwords.map((password) => resetWith(token, password)));
    expect(results.map((result) => result.status).sort()).toEqual([200, 422]);
    const winner = passwords[results.findIndex((result) => result.status === 200)]!;
    const loser = passwords.find((password) => password !== winner)!;
    await signIn(app, { ...identity, password: winner });
    await expect(signIn(app, { ...identity, password: loser })).rejects.toThrow(/UNAUTHENTICATED/);
    expect((await resetWith(token, `a third try ${newIdentity().username}`)).status).toBe(422);
  });
});

describe('expiry', () => {
  it('a recovery code and link die CHALLENGE_TTL after the mail', async () => {
    const { identity } = await registered();
    const recovery = await recoveryChallenge(identity);
    app.clock.advance(ttlSeconds * 1000 + 1000);
    expect(codeOf(await byCode(identity, recovery.code))).toBe(codes.BAD_USER_INPUT);
    expect((await byLink(recovery.uid)).status).toBe(422);
  });

  it('a superseded recovery mail dies when a newer one is sent', async () => {
    const { identity } = await registered();
    const first = await recoveryChallenge(identity);
    app.clock.advance(61_000);
    const second = await recoveryChallenge(identity);
    expect(second.uid).not.toBe(first.uid);
    expect(codeOf(await byCode(identity, first.code))).toBe(codes.BAD_USER_INPUT);
    expect((await byLink(first.uid)).status).toBe(422);
    expect((await byLink(second.uid)).status).toBe(200);
  });
});

describe('bound to their challenge', () => {
  it('a recovery code of one account opens no other account, and the right one still works after', async () => {
    const victim = await registered();
    const attacker = await registered();
    const victimRecovery = await recoveryChallenge(victim.identity);
    const attackerRecovery = await recoveryChallenge(attacker.identity);
    expect(codeOf(await byCode(victim.identity, attackerRecovery.code))).toBe(codes.BAD_USER_INPUT);
    const token = (await byCode(attacker.identity, attackerRecovery.code)).data.verifyRecoveryCode.resetToken as string;
    expect((await resetWith(token, `attacker's own phrase ${newIdentity().username}`)).status).toBe(200);
    await signIn(app, victim.identity);
    expect((await byCode(victim.identity, victimRecovery.code)).data.verifyRecoveryCode.resetToken).toEqual(expect.any(String));
  });

  it('a verification code proves nothing over REST for another address or as a recovery code', async () => {
    const mine = await registered();
    const theirs = await registered();
    const foreign = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: mine.identity.email, code: theirs.verification.code } });
    expect(foreign.status).toBe(422);
    expect(codeOf(await byCode(theirs.identity, theirs.verification.code))).toBe(codes.BAD_USER_INPUT);
    const own = await call(app, 'POST', '/v1/auth/verify-email', { body: { email: theirs.identity.email, code: theirs.verification.code } });
    expect(own).toMatchObject({ status: 200, body: { email_verified: true } });
    expect(await app.runtime.db.user.findFirstOrThrow({ where: { email: mine.identity.email } })).toMatchObject({ emailVerified: false });
  });

  it('a verification link gives no reset token', async () => {
    const { verification } = await registered();
    const answered = await byLink(verification.uid);
    expect(answered.body).toMatchObject({ purpose: 'VERIFY_EMAIL', reset_token: null });
  });
});
