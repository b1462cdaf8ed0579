// The console's passwordless sign-in, in Chromium: "E-mail me a sign-in code", the code typed in,
// the mail's link opened in the same browser (it signs in) and the second factor after the code.
// The server runs in process (its clock moved by hand) behind a listening server; mail goes to a
// local SMTP server the test reads.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { signIn } from '../helpers/flows.js';
import { confirmedTotp, totpCode } from '../helpers/mfa.js';
import { challengeOf } from '../helpers/smtp.js';
import { consoleSession, type ConsoleSession, screenshot } from './browser.js';

let session: ConsoleSession;
let app: TestApp;
let smtp: NonNullable<ConsoleSession['smtp']>;
let origin: string;
let browser: Browser;
let page: Page;
let problems: string[];
const identity = newIdentity();
const withMfa = newIdentity();
let mfaSecret: string;

beforeAll(async () => {
  session = await consoleSession({ mail: true, env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
  ({ app, origin, browser } = session);
  smtp = session.smtp!;
  for (const person of [identity, withMfa]) {
    expect((await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person })).errors).toBeUndefined();
  }
  const tokens = await signIn(app, withMfa);
  mfaSecret = await confirmedTotp(app, { authorization: `Bearer ${tokens.accessToken}` });
  ({ page, problems } = await session.openPage());
});
afterAll(() => session?.close());
afterEach(() => {
  expect(problems).toEqual([]);
});

const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));
const alert = (text: string | RegExp) => shown(page.getByRole('alert').filter({ hasText: text }));

/** The newest sign-in mail to `email`, once the server has sent it. */
async function signInMail(email: string) {
  await app.runtime.background.idle();
  return challengeOf(smtp.mailsTo(email).filter((mail) => /sign-in code/.test(mail.subject)).at(-1));
}

async function requestCodeFor(email: string) {
  await heading('Sign in');
  await page.getByRole('button', { name: 'E-mail me a sign-in code' }).click();
  await heading('Sign in with an e-mailed code');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'E-mail me a sign-in code' }).click();
  await heading('Check your mail');
}

describe('the console, passwordless sign-in', () => {
  it('mails a code; a wrong one is refused, the right one signs in', async () => {
    await page.goto(`${origin}/console`);
    await requestCodeFor(identity.email);
    const { code } = await signInMail(identity.email);
    await screenshot(page, 'console-passwordless-code');
    await page.getByLabel('Code', { exact: true }).fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await alert(/code/i);
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
    expect(await page.locator('main').innerText()).toContain(identity.username);
    expect(await page.locator('main').innerText()).toMatch(/password, email code/);
  });

  it('the link, opened in the browser that asked, signs it in and brings it back to the console', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    app.clock.advance(61_000);
    await requestCodeFor(identity.email);
    const { uid } = await signInMail(identity.email);
    await page.goto(`${origin}/challenge/${uid}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Your account');
  });

  it('the link opened in another browser shows the code instead', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    app.clock.advance(61_000);
    await requestCodeFor(identity.email);
    const { uid, code } = await signInMail(identity.email);
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto(`${origin}/challenge/${uid}`);
    expect(await stranger.locator('[data-code]').innerText()).toBe(code);
    expect(await stranger.getByRole('button').count()).toBe(0);
    await stranger.context().close();
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
  });

  it('asks for the second factor after the code when the account has one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await requestCodeFor(withMfa.email);
    const { code } = await signInMail(withMfa.email);
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Two-step sign-in');
    await page.getByLabel('Code', { exact: true }).fill(totpCode(app, mfaSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading('Your account');
    expect(await page.locator('main').innerText()).toContain(withMfa.username);
  });
});
