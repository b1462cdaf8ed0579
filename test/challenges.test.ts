import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../src/errors.js';
import { maxChallengeAttempts } from '../src/challenges/challenge.js';
import { assertEmailVerified } from '../src/challenges/email-verification.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { codeOf, refreshMutation, registeredSession, registerUser, signIn, whoamiQuery, type Identity } from './helpers/flows.js';
import { challengeOf, startSmtpServer } from './helpers/smtp.js';

const verifyEmailMutation = `mutation($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }`;
const resendMutation = `mutation($email: EmailAddress!) { resendVerification(email: $email) }`;
const answerMutation = `mutation($uid: String!) { answerChallenge(uid: $uid) { purpose emailVerified resetToken resetTokenExpiresAt } }`;
const recoveryCodeMutation = `mutation($email: EmailAddress!, $code: String!) {
  verifyRecoveryCode(email: $email, code: $code) { purpose emailVerified resetToken resetTokenExpiresAt }
}`;
const forgotMutation = `mutation($email: EmailAddress!) { forgotPassword(email: $email) }`;
const resetMutation = `mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`;
const changeMutation = `mutation($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}`;
const accountQuery = `{ account { emailVerified } }`;

const ttlSeconds = 900;
const resendIntervalSeconds = 60;

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await createTestApp({
    env: {
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://auth.example.test',
      MAIL_PRODUCT_NAME: 'Testgraph',
      MAIL_FROM: 'Testgraph <robot@example.test>',
      CHALLENGE_TTL: String(ttlSeconds),
      RESEND_INTERVAL: String(resendIntervalSeconds),
    },
  });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

/** Every mail the requests so far asked for has reached the SMTP server. */
const mailSettled = () => app.runtime.background.idle();

async function lastChallengeTo(email: string) {
  await mailSettled();
  return challengeOf(smtp.mailsTo(email).at(-1));
}

async function registerWithMail(identity: Identity = newIdentity()) {
  const registered = await registerUser(app, identity);
  return { ...registered, mail: await lastChallengeTo(identity.email) };
}

async function emailVerified(identity: Identity) {
  const tokens = await signIn(app, identity);
  const result = await app.gql(accountQuery, {}, { authorization: `Bearer ${tokens.accessToken}` });
  return result.data.account.emailVerified as boolean;
}

async function challengeRow(email: string, purpose: 'VERIFY_EMAIL' | 'RESET_PASSWORD') {
  return app.runtime.db.challenge.findFirstOrThrow({ where: { email, purpose }, orderBy: { createdAt: 'desc' } });
}

/** forgotPassword, then the recovery mail's code exchanged for a reset token. */
async function recoveryToken(identity: Identity) {
  await app.gql(forgotMutation, { email: identity.email });
  const { code } = await lastChallengeTo(identity.email);
  const result = await app.gql(recoveryCodeMutation, { email: identity.email, code });
  expect(result.errors).toBeUndefined();
  return result.data.verifyRecoveryCode.resetToken as string;
}

const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('the verification mail', () => {
  it('arrives over SMTP at registration, from MAIL_FROM, with the product name, a code and a link under PUBLIC_URL', async () => {
    const identity = newIdentity();
    await registerUser(app, identity);
    await mailSettled();
    const [mail] = smtp.mailsTo(identity.email);
    expect(mail).toBeDefined();
    expect(mail!.from).toMatch(/^"?Testgraph"? <robot@example\.test>$/);
    expect(mail!.subject).toContain('Testgraph');
    const { code, link, uid } = challengeOf(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(link).toBe(`https://auth.example.test/challenge/${uid}`);
    expect(Buffer.from(uid, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(mail!.html).toContain(code);
    expect(mail!.html).toContain(`href="${link}"`);
  });

  it('its code verifies the address', async () => {
    const { identity, mail } = await registerWithMail();
    expect(await emailVerified(identity)).toBe(false);
    const result = await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code });
    expect(result.errors).toBeUndefined();
    expect(result.data.verifyEmail).toBe(true);
    expect(await emailVerified(identity)).toBe(true);
  });

  it('its link verifies the address through answerChallenge', async () => {
    const { identity, mail } = await registerWithMail();
    const result = await app.gql(answerMutation, { uid: mail.uid });
    expect(result.errors).toBeUndefined();
    expect(result.data.answerChallenge).toEqual({ purpose: 'VERIFY_EMAIL', emailVerified: true, resetToken: null, resetTokenExpiresAt: null });
    expect(await emailVerified(identity)).toBe(true);
  });

  it('stores neither the code nor the uid, only keyed and plain hashes of them', async () => {
    const { identity, mail } = await registerWithMail();
    const row = await challengeRow(identity.email, 'VERIFY_EMAIL');
    expect(JSON.stringify(row)).not.toContain(mail.code);
    expect(JSON.stringify(row)).not.toContain(mail.uid);
    expect(row.codeHash).toMatch(/^[\w-]{43}$/);
    expect(row.uidHash).toMatch(/^[\w-]{43}$/);
  });
});

describe('codes and links', () => {
  it('work once: the same code, or the link after it, is refused', async () => {
    const { identity, mail } = await registerWithMail();
    expect((await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code })).data.verifyEmail).toBe(true);
    const again = await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code });
    expect(codeOf(again)).toBe(codes.BAD_USER_INPUT);
    expect(again.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('code');
    expect(codeOf(await app.gql(answerMutation, { uid: mail.uid }))).toBe(codes.BAD_USER_INPUT);
  });

  it('count wrong codes, and the right one still works before the limit', async () => {
    const { identity, mail } = await registerWithMail();
    for (let attempt = 1; attempt < maxChallengeAttempts; attempt += 1) {
      const result = await app.gql(verifyEmailMutation, { email: identity.email, code: wrongCode(mail.code) });
      expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
      expect((await challengeRow(identity.email, 'VERIFY_EMAIL')).attempts).toBe(attempt);
    }
    expect((await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code })).data?.verifyEmail).toBe(true);
  });

  it(`die after ${maxChallengeAttempts} wrong codes: even the right code and the link fail`, async () => {
    const { identity, mail } = await registerWithMail();
    for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) {
      await app.gql(verifyEmailMutation, { email: identity.email, code: wrongCode(mail.code) });
    }
    expect(codeOf(await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code }))).toBe(codes.BAD_USER_INPUT);
    expect(codeOf(await app.gql(answerMutation, { uid: mail.uid }))).toBe(codes.BAD_USER_INPUT);
    expect(await emailVerified(identity)).toBe(false);
  });

  it('count parallel guesses atomically: no more than the limit is ever evaluated', async () => {
    const { identity, mail } = await registerWithMail();
    const guesses = await Promise.all(
      Array.from({ length: 12 }, () => app.gql(verifyEmailMutation, { email: identity.email, code: wrongCode(mail.code) })),
    );
    expect(guesses.every((guess) => codeOf(guess) === codes.BAD_USER_INPUT)).toBe(true);
    expect((await challengeRow(identity.email, 'VERIFY_EMAIL')).attempts).toBe(maxChallengeAttempts);
    expect(codeOf(await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code }))).toBe(codes.BAD_USER_INPUT);
  });

  it('expire after CHALLENGE_TTL on the injected clock', async () => {
    const first = await registerWithMail();
    const second = await registerWithMail();
    app.clock.advance(ttlSeconds * 1000 + 1000);
    const code = await app.gql(verifyEmailMutation, { email: first.identity.email, code: first.mail.code });
    expect(codeOf(code)).toBe(codes.BAD_USER_INPUT);
    expect(codeOf(await app.gql(answerMutation, { uid: second.mail.uid }))).toBe(codes.BAD_USER_INPUT);
  });

  it('are bound to their address: another account’s code does not verify this one', async () => {
    const mine = await registerWithMail();
    const theirs = await registerWithMail();
    expect(codeOf(await app.gql(verifyEmailMutation, { email: mine.identity.email, code: theirs.mail.code }))).toBe(codes.BAD_USER_INPUT);
    expect(codeOf(await app.gql(verifyEmailMutation, { email: 'nobody@example.com', code: theirs.mail.code }))).toBe(codes.BAD_USER_INPUT);
    expect((await app.gql(verifyEmailMutation, { email: theirs.identity.email, code: theirs.mail.code })).data.verifyEmail).toBe(true);
    expect(await emailVerified(mine.identity)).toBe(false);
  });

  it('refuse a malformed code or an unknown uid as BAD_USER_INPUT, never echoing them', async () => {
    const malformed = await app.gql(verifyEmailMutation, { email: 'someone@example.com', code: 'abc' });
    expect(codeOf(malformed)).toBe(codes.BAD_USER_INPUT);
    const unknown = await app.gql(answerMutation, { uid: 'x'.repeat(32) });
    expect(codeOf(unknown)).toBe(codes.BAD_USER_INPUT);
    expect(JSON.stringify(unknown.body)).not.toContain('x'.repeat(32));
  });
});

describe('resendVerification', () => {
  it('is throttled per address, then sends a new code that replaces the old one', async () => {
    const { identity, mail } = await registerWithMail();
    expect((await app.gql(resendMutation, { email: identity.email })).data.resendVerification).toBe(true);
    await mailSettled();
    expect(smtp.mailsTo(identity.email)).toHaveLength(1);

    app.clock.advance(resendIntervalSeconds * 1000);
    expect((await app.gql(resendMutation, { email: identity.email })).data.resendVerification).toBe(true);
    const fresh = await lastChallengeTo(identity.email);
    expect(smtp.mailsTo(identity.email)).toHaveLength(2);
    expect(fresh.uid).not.toBe(mail.uid);
    expect(codeOf(await app.gql(answerMutation, { uid: mail.uid }))).toBe(codes.BAD_USER_INPUT);
    expect((await app.gql(verifyEmailMutation, { email: identity.email, code: fresh.code })).data.verifyEmail).toBe(true);
  });

  it('answers the same for unknown, unverified and verified addresses, and mails only the unverified one', async () => {
    const unverified = await registerWithMail();
    const verified = await registerWithMail();
    await app.gql(verifyEmailMutation, { email: verified.identity.email, code: verified.mail.code });
    app.clock.advance(resendIntervalSeconds * 1000);
    const unknownEmail = newIdentity().email;
    const answers = await Promise.all(
      [unknownEmail, unverified.identity.email, verified.identity.email].map((email) => app.gql(resendMutation, { email })),
    );
    expect(new Set(answers.map((answer) => JSON.stringify([answer.status, answer.body]))).size).toBe(1);
    expect(answers[0]!.body).toEqual({ data: { resendVerification: true } });
    await mailSettled();
    expect(smtp.mailsTo(unknownEmail)).toHaveLength(0);
    expect(smtp.mailsTo(unverified.identity.email)).toHaveLength(2);
    expect(smtp.mailsTo(verified.identity.email)).toHaveLength(1);
  });
});

describe('forgotPassword and resetPassword', () => {
  it('answer the same for known and unknown addresses, and mail only the known one', async () => {
    const { identity } = await registerUser(app);
    const unknownEmail = newIdentity().email;
    const known = await app.gql(forgotMutation, { email: identity.email });
    const unknown = await app.gql(forgotMutation, { email: unknownEmail });
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect(known.body).toEqual({ data: { forgotPassword: true } });
    await mailSettled();
    expect(smtp.mailsTo(unknownEmail)).toHaveLength(0);
    const recovery = smtp.mailsTo(identity.email).at(-1);
    expect(recovery?.subject).toMatch(/reset your testgraph password/i);
    expect(challengeOf(recovery).code).toMatch(/^\d{6}$/);
  });

  it('the recovery code gives a reset token; the reset sets the password and verifies the address', async () => {
    const { identity } = await registerUser(app);
    await app.gql(forgotMutation, { email: identity.email });
    const { code } = await lastChallengeTo(identity.email);
    const answer = await app.gql(recoveryCodeMutation, { email: identity.email, code });
    expect(answer.data.verifyRecoveryCode).toMatchObject({ purpose: 'RESET_PASSWORD', emailVerified: true });
    expect(new Date(answer.data.verifyRecoveryCode.resetTokenExpiresAt).getTime()).toBe(app.clock().getTime() + ttlSeconds * 1000);
    const newPassword = `a brand new phrase ${newIdentity().username}`;
    const reset = await app.gql(resetMutation, { token: answer.data.verifyRecoveryCode.resetToken, newPassword });
    expect(reset.errors).toBeUndefined();
    expect(reset.data.resetPassword).toBe(true);
    await expect(signIn(app, identity)).rejects.toThrow(/UNAUTHENTICATED/);
    expect(await emailVerified({ ...identity, password: newPassword })).toBe(true);
  });

  it('the recovery link gives a reset token through answerChallenge', async () => {
    const { identity } = await registerUser(app);
    await app.gql(forgotMutation, { email: identity.email });
    const { uid } = await lastChallengeTo(identity.email);
    const answer = await app.gql(answerMutation, { uid });
    expect(answer.data.answerChallenge).toMatchObject({ purpose: 'RESET_PASSWORD', emailVerified: true });
    const newPassword = `another new phrase ${newIdentity().username}`;
    expect((await app.gql(resetMutation, { token: answer.data.answerChallenge.resetToken, newPassword })).data.resetPassword).toBe(true);
    await signIn(app, { ...identity, password: newPassword });
    expect(codeOf(await app.gql(answerMutation, { uid }))).toBe(codes.BAD_USER_INPUT);
  });

  it('revokes every session of the account: old access and refresh tokens are refused', async () => {
    const { identity, tokens, auth } = await registeredSession(app);
    const other = await signIn(app, identity, { userAgent: 'another device' });
    const token = await recoveryToken(identity);
    const newPassword = `reset phrase ${newIdentity().username}`;
    expect((await app.gql(resetMutation, { token, newPassword })).data.resetPassword).toBe(true);

    expect(codeOf(await app.gql(whoamiQuery, {}, auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(whoamiQuery, {}, { authorization: `Bearer ${other.accessToken}` }))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(refreshMutation, { refreshToken: tokens.refreshToken }))).toBe(codes.UNAUTHENTICATED);
    const fresh = await signIn(app, { ...identity, password: newPassword });
    expect((await app.gql(whoamiQuery, {}, { authorization: `Bearer ${fresh.accessToken}` })).data.whoami.user.username).toBe(identity.username);
  });

  it('applies the password policy without spending the token', async () => {
    const { identity } = await registerUser(app);
    const token = await recoveryToken(identity);
    const weak = await app.gql(resetMutation, { token, newPassword: 'password123' });
    expect(codeOf(weak)).toBe(codes.BAD_USER_INPUT);
    expect(weak.errors?.[0]?.extensions?.fields).toEqual([{ field: 'newPassword', message: expect.any(String) }]);
    expect(codeOf(await app.gql(resetMutation, { token, newPassword: identity.email }))).toBe(codes.BAD_USER_INPUT);
    expect((await app.gql(resetMutation, { token, newPassword: `strong enough ${newIdentity().username}` })).data.resetPassword).toBe(true);
  });

  it('a reset token works once, even when used twice in parallel', async () => {
    const { identity } = await registerUser(app);
    const token = await recoveryToken(identity);
    const passwords = [`first parallel ${newIdentity().username}`, `second parallel ${newIdentity().username}`];
    const results = await Promise.all(passwords.map((newPassword) => app.gql(resetMutation, { token, newPassword })));
    const winners = results.filter((result) => result.data?.resetPassword === true);
    expect(winners).toHaveLength(1);
    expect(codeOf(results.find((result) => result.errors)!)).toBe(codes.BAD_USER_INPUT);
    const winningPassword = passwords[results.indexOf(winners[0]!)]!;
    await signIn(app, { ...identity, password: winningPassword });
    await expect(signIn(app, { ...identity, password: passwords.find((password) => password !== winningPassword)! })).rejects.toThrow();
    expect(codeOf(await app.gql(resetMutation, { token, newPassword: `third try ${newIdentity().username}` }))).toBe(codes.BAD_USER_INPUT);
  });

  it('a reset token expires CHALLENGE_TTL after the challenge was answered', async () => {
    const { identity } = await registerUser(app);
    const token = await recoveryToken(identity);
    app.clock.advance(ttlSeconds * 1000 + 1000);
    expect(codeOf(await app.gql(resetMutation, { token, newPassword: `too late now ${newIdentity().username}` }))).toBe(codes.BAD_USER_INPUT);
  });

  it('a verification code is no recovery code, and a recovery code verifies no e-mail', async () => {
    const { identity, mail } = await registerWithMail();
    expect(codeOf(await app.gql(recoveryCodeMutation, { email: identity.email, code: mail.code }))).toBe(codes.BAD_USER_INPUT);
    await app.gql(forgotMutation, { email: identity.email });
    const recovery = await lastChallengeTo(identity.email);
    expect(codeOf(await app.gql(verifyEmailMutation, { email: identity.email, code: recovery.code }))).toBe(codes.BAD_USER_INPUT);
  });

  it('forgotPassword is throttled per address, even for parallel requests', async () => {
    const { identity } = await registerUser(app);
    await Promise.all([1, 2, 3].map(() => app.gql(forgotMutation, { email: identity.email })));
    await mailSettled();
    expect(smtp.mailsTo(identity.email).filter((mail) => /reset/i.test(mail.subject))).toHaveLength(1);
  });
});

describe('changePassword', () => {
  it('needs a signed-in session', async () => {
    const result = await app.gql(changeMutation, { currentPassword: 'whatever it is', newPassword: 'whatever it becomes' });
    expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
    expect(result.errors?.[0]?.message).toBe(errorCodes.UNAUTHENTICATED.message);
  });

  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    const { identity, auth } = await registeredSession(app);
    const wrong = await app.gql(changeMutation, { currentPassword: 'not my password', newPassword: `fine new phrase ${identity.username}` }, auth);
    expect(codeOf(wrong)).toBe(codes.BAD_USER_INPUT);
    expect(wrong.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('currentPassword');
    const weak = await app.gql(changeMutation, { currentPassword: identity.password, newPassword: 'password123' }, auth);
    expect(weak.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('newPassword');
    await signIn(app, identity);
  });

  it('sets the new password and ends every other session, keeping this one', async () => {
    const { identity, auth } = await registeredSession(app);
    const other = await signIn(app, identity, { userAgent: 'another device' });
    const newPassword = `changed phrase ${newIdentity().username}`;
    const result = await app.gql(changeMutation, { currentPassword: identity.password, newPassword }, auth);
    expect(result.errors).toBeUndefined();
    expect(result.data.changePassword).toBe(true);

    expect((await app.gql(whoamiQuery, {}, auth)).data.whoami.user.username).toBe(identity.username);
    expect(codeOf(await app.gql(whoamiQuery, {}, { authorization: `Bearer ${other.accessToken}` }))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(refreshMutation, { refreshToken: other.refreshToken }, { 'user-agent': 'another device' }))).toBe(codes.UNAUTHENTICATED);
    await expect(signIn(app, identity)).rejects.toThrow(/UNAUTHENTICATED/);
    await signIn(app, { ...identity, password: newPassword });
  });

  it('kills an unused reset token', async () => {
    const { identity, auth } = await registeredSession(app);
    const token = await recoveryToken(identity);
    await app.gql(changeMutation, { currentPassword: identity.password, newPassword: `changed again ${newIdentity().username}` }, auth);
    expect(codeOf(await app.gql(resetMutation, { token, newPassword: `stale token ${newIdentity().username}` }))).toBe(codes.BAD_USER_INPUT);
  });
});

describe('assertEmailVerified', () => {
  it('refuses an unverified account with FORBIDDEN and lets it through once verified', async () => {
    const { user, identity, mail } = await registerWithMail();
    await expect(assertEmailVerified(app.runtime, user.id)).rejects.toMatchObject({ code: codes.FORBIDDEN });
    await app.gql(verifyEmailMutation, { email: identity.email, code: mail.code });
    await expect(assertEmailVerified(app.runtime, user.id)).resolves.toBeUndefined();
  });
});

describe('secrets', () => {
  it('no code, uid, reset token or password reaches a log line', async () => {
    const { identity, mail } = await registerWithMail();
    const token = await recoveryToken(identity);
    const recovery = await lastChallengeTo(identity.email);
    const newPassword = `logged nowhere ${newIdentity().username}`;
    await app.gql(resetMutation, { token, newPassword });
    const logs = app.logLines.join('\n');
    for (const secret of [mail.uid, recovery.uid, token, identity.password, newPassword]) expect(logs).not.toContain(secret);
    // Six digits also occur inside timestamps: look for them standing alone.
    for (const code of [mail.code, recovery.code]) expect(logs).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
    expect(logs).toContain('"kind":"verify-email"');
  });
});
