import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxChallengeAttempts } from '../../src/challenges/challenge.js';
import { codes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codeOf, registerUser } from '../helpers/flows.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';

// Five wrong codes per challenge and a fresh challenge every RESEND_INTERVAL made
// thousands of guesses a day; the daily caps per address (CHALLENGE_FAILURES_PER_DAY,
// default 20, and CHALLENGE_MAILS_PER_DAY, default 10) end that.
const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport });
});
afterAll(() => app.close());

const verifyEmailMutation = `mutation($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }`;
const resendMutation = `mutation($email: EmailAddress!) { resendVerification(email: $email) }`;
const forgotMutation = `mutation($email: EmailAddress!) { forgotPassword(email: $email) }`;
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const minute = 61_000;
const day = 24 * 3600 * 1000;

async function mailsTo(email: string) {
  await app.runtime.background.idle();
  return mail.mailsTo(email);
}

async function freshVerification(email: string) {
  const before = (await mailsTo(email)).length;
  app.clock.advance(minute);
  expect((await app.gql(resendMutation, { email })).errors).toBeUndefined();
  const mails = await mailsTo(email);
  expect(mails).toHaveLength(before + 1);
  return challengeIn(mails.at(-1));
}

const verify = async (email: string, code: string) => codeOf(await app.gql(verifyEmailMutation, { email, code })) ?? 'OK';

describe('wrong codes per address and day', () => {
  it('a 7th fresh challenge after 30 wrong answers no longer verifies within the day, and verifies the next day', async () => {
    const { identity } = await registerUser(app);
    let challenge = challengeIn((await mailsTo(identity.email)).at(-1));
    for (let round = 1; round <= 6; round += 1) {
      for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) {
        expect(await verify(identity.email, wrongCode(challenge.code))).toBe(codes.BAD_USER_INPUT);
      }
      challenge = await freshVerification(identity.email);
    }
    const refused = await app.gql(verifyEmailMutation, { email: identity.email, code: challenge.code });
    const unknown = await app.gql(verifyEmailMutation, { email: newIdentity().email, code: challenge.code });
    expect(codeOf(refused)).toBe(codes.BAD_USER_INPUT);
    expect(refused.errors).toEqual(unknown.errors);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { email: identity.email } })).emailVerified).toBe(false);

    app.clock.advance(day);
    const tomorrow = await freshVerification(identity.email);
    expect(await verify(identity.email, tomorrow.code)).toBe('OK');
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { email: identity.email } })).emailVerified).toBe(true);
  });

  it('recovery codes share the budget: wrong verification codes use it up for password recovery too', async () => {
    const { identity } = await registerUser(app);
    let challenge = challengeIn((await mailsTo(identity.email)).at(-1));
    for (let round = 1; round <= 4; round += 1) {
      for (let attempt = 0; attempt < maxChallengeAttempts; attempt += 1) await verify(identity.email, wrongCode(challenge.code));
      challenge = await freshVerification(identity.email);
    }
    app.clock.advance(minute);
    await app.gql(forgotMutation, { email: identity.email });
    const recovery = challengeIn((await mailsTo(identity.email)).at(-1));
    const answer = await app.gql(`mutation($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }`, {
      email: identity.email,
      code: recovery.code,
    });
    expect(codeOf(answer)).toBe(codes.BAD_USER_INPUT);
  });
});

describe('challenge mails per address and day', () => {
  it(`stops mailing after CHALLENGE_MAILS_PER_DAY, whatever the purpose, and mails again the next day`, async () => {
    const { identity } = await registerUser(app);
    for (let mailed = 2; mailed <= app.config.challenges.mailsPerDay; mailed += 1) {
      app.clock.advance(minute);
      await app.gql(mailed % 2 ? resendMutation : forgotMutation, { email: identity.email });
      expect(await mailsTo(identity.email)).toHaveLength(mailed);
    }
    app.clock.advance(minute);
    expect((await app.gql(forgotMutation, { email: identity.email })).data).toEqual({ forgotPassword: true });
    expect((await app.gql(resendMutation, { email: identity.email })).data).toEqual({ resendVerification: true });
    expect(await mailsTo(identity.email)).toHaveLength(app.config.challenges.mailsPerDay);

    app.clock.advance(day);
    await app.gql(forgotMutation, { email: identity.email });
    expect(await mailsTo(identity.email)).toHaveLength(app.config.challenges.mailsPerDay + 1);
  });
});
