// The console for people who are not signed in yet, in Chromium at 1280 and 390 px: create an
// account and verify its address with the mailed code; forget the password, get the code, choose
// a new one and sign in with it. Each page is screenshot at both widths and scanned with axe-core.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../helpers/app.js';
import { challengeOf } from '../helpers/smtp.js';
import { checkAtBothWidths, consoleSession, type ConsoleSession } from './browser.js';

let session: ConsoleSession;
let page: Page;
let problems: string[];

beforeAll(async () => {
  session = await consoleSession({ mail: true });
});
afterAll(() => session?.close());
afterEach(async () => {
  await page?.context().close();
  expect(problems).toEqual([]);
});

/** A fresh browser context per test: no cookie of another test's session. */
async function newPage() {
  ({ page, problems } = await session.openPage());
}

const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));

async function mailTo(email: string, subject: RegExp) {
  await session.app.runtime.background.idle();
  return challengeOf(session.smtp!.mailsTo(email).filter((mail) => subject.test(mail.subject)).at(-1));
}

describe('the console, before signing in', () => {
  it('creates an account, signs it in, and verifies its address with the mailed code', async () => {
    await newPage();
    const person = newIdentity();
    await page.goto(`${session.origin}/console`);
    await heading('Sign in');
    await checkAtBothWidths(page, 'console-sign-in');
    await page.getByRole('link', { name: 'Create one' }).click();
    await heading('Create your account');
    expect(new URL(page.url()).pathname).toBe('/console/sign-up');
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('E-mail address').fill(person.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The browser's own check stops a password under 8 characters; the server's policy words the rest.
    expect(await page.getByLabel('Password').evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(false);
    await page.getByLabel('Password').fill('password1');
    await page.getByRole('button', { name: 'Create account' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: /^Password / });
    await shown(refusal);
    expect(await refusal.innerText()).not.toMatch(/Invalid input|register|:/);
    await checkAtBothWidths(page, 'console-sign-up');
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading('Your account');
    expect(new URL(page.url()).pathname).toBe('/console');
    await shown(page.getByRole('status').filter({ hasText: `We sent a code to ${person.email}` }));
    const { code } = await mailTo(person.email, /Verify/);
    await page.getByLabel('Code from the e-mail').fill(code!);
    await page.getByRole('button', { name: 'Verify e-mail' }).click();
    await shown(page.getByText('Your e-mail address is verified.'));
    expect((await session.app.runtime.db.user.findUniqueOrThrow({ where: { email: person.email } })).emailVerified).toBe(true);
  });

  it('a taken username is named in plain words', async () => {
    await newPage();
    const person = newIdentity();
    expect((await session.app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person })).errors).toBeUndefined();
    await page.goto(`${session.origin}/console/sign-up`);
    await heading('Create your account');
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('E-mail address').fill(`other.${person.email}`);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await shown(page.getByRole('alert').filter({ hasText: 'Username is already registered.' }));
  });

  it('recovers a forgotten password with the mailed code, then signs in with the new one', async () => {
    await newPage();
    const person = newIdentity();
    expect((await session.app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person })).errors).toBeUndefined();
    await page.goto(`${session.origin}/console`);
    await heading('Sign in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Forgot your password?');
    await checkAtBothWidths(page, 'console-forgot-password');
    await page.getByLabel('E-mail address').fill(person.email);
    await page.getByRole('button', { name: 'E-mail me a reset code' }).click();
    await heading('Check your mail');
    const { code } = await mailTo(person.email, /Reset/);
    await page.getByLabel('Code', { exact: true }).fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await shown(page.getByRole('alert').filter({ hasText: /^Code is wrong, expired or used up/ }));
    await checkAtBothWidths(page, 'console-reset-code');
    await page.getByLabel('Code', { exact: true }).fill(code!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading('Choose a new password');
    await page.getByLabel('New password').fill('password1');
    await page.getByRole('button', { name: 'Set password' }).click();
    await shown(page.getByRole('alert').filter({ hasText: /^New password / }));
    await checkAtBothWidths(page, 'console-reset-new-password');
    const newPassword = `${person.password} renewed`;
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Set password' }).click();
    await heading('Sign in');
    await shown(page.getByText('Your password is changed'));
    await page.getByLabel('Username or e-mail').fill(person.username);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
  });

  it('an unknown address gets the same answer as a known one, and no mail', async () => {
    await newPage();
    await page.goto(`${session.origin}/console/forgot-password`);
    await heading('Forgot your password?');
    await page.getByLabel('E-mail address').fill('nobody.here@example.com');
    await page.getByRole('button', { name: 'E-mail me a reset code' }).click();
    await heading('Check your mail');
    await shown(page.getByRole('status').filter({ hasText: 'If nobody.here@example.com has an account here, a code is on its way.' }));
    await session.app.runtime.background.idle();
    expect(session.smtp!.mailsTo('nobody.here@example.com')).toEqual([]);
  });
});
