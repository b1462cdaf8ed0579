// The console's second factor, in Chromium: an authenticator app added from its QR code's key,
// the recovery codes shown once, the code asked at sign-in, and the dialogs that ask for the
// password and the second factor again before a sensitive change. The server runs in process
// (its clock moved by hand) behind a listening server, so time passes without waiting.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { totpCode } from '../helpers/mfa.js';
import { consoleSession, type ConsoleSession, screenshot } from './browser.js';

let session: ConsoleSession;
let app: TestApp;
let origin: string;
let page: Page;
let problems: string[];
const identity = newIdentity();

beforeAll(async () => {
  session = await consoleSession({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
  ({ app, origin } = session);
  expect((await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: identity })).errors).toBeUndefined();
  ({ page, problems } = await session.openPage({ permissions: ['clipboard-read', 'clipboard-write'] }));
  page.on('dialog', (dialog) => dialog.accept());
});
afterAll(() => session?.close());
afterEach(() => {
  expect(problems).toEqual([]);
});

const main = () => page.locator('main');
const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));
const status = (text: string | RegExp) => shown(page.locator('#status').filter({ hasText: text }));
const alert = (text: string | RegExp) => shown(page.getByRole('alert').filter({ hasText: text }));

async function signInWithPassword() {
  await heading('Sign in');
  await page.getByLabel('Username or e-mail').fill(identity.username);
  await page.getByLabel('Password').fill(identity.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('the console, second factors', () => {
  let secret: string;
  let recoveryCodes: string[];

  it('adds an authenticator app from its QR code, confirms it with a code, and shows the recovery codes once', async () => {
    await page.goto(`${origin}/console`);
    await signInWithPassword();
    await heading('Your account');
    await page.getByRole('link', { name: 'Security' }).click();
    await heading('Security');
    await shown(main().getByText('Two-step sign-in is off'));

    await page.getByLabel('Name').fill('Pixel');
    await page.getByRole('button', { name: 'Add app' }).click();
    await shown(page.getByRole('heading', { name: 'Set up "Pixel"' }));
    expect(await page.getByRole('img', { name: /QR code/ }).getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    secret = await page.getByLabel('Key', { exact: true }).inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, 'console-mfa-enrol');

    await page.getByLabel('Code from the app').fill(totpCode(app, secret) === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await alert(/code/i);
    await page.getByLabel('Code from the app').fill(totpCode(app, secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await status(/"Pixel" is on/);
    await shown(page.getByRole('heading', { name: 'Save your recovery codes' }));
    recoveryCodes = await page.locator('ol.codes li').allInnerTexts();
    expect(recoveryCodes).toHaveLength(10);
    expect(await main().innerText()).toContain('Two-step sign-in is on');
    await page.getByRole('button', { name: 'Copy codes' }).click();
    await status('Recovery codes copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recoveryCodes.join('\n'));
    await screenshot(page, 'console-mfa-recovery-codes');

    // Shown once: the page anew lists the app, not the codes.
    await page.reload();
    await heading('Security');
    await shown(page.locator('tbody tr').filter({ hasText: 'Pixel' }).filter({ hasText: 'on' }));
    expect(await main().innerText()).not.toContain(recoveryCodes[0]);
  });

  it('asks for the code from the app after the password, and refuses a wrong one', async () => {
    // The next time step: the code that confirmed the app is not accepted twice.
    app.clock.advance(30_000);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword();
    await heading('Two-step sign-in');
    const wrong = totpCode(app, secret) === '123456' ? '654321' : '123456';
    await page.getByLabel('Code', { exact: true }).fill(wrong);
    await page.getByRole('button', { name: 'Verify' }).click();
    await alert(/code/i);
    await screenshot(page, 'console-mfa-sign-in');
    await page.getByLabel('Code', { exact: true }).fill(totpCode(app, secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    // Back on the page the sign-out left.
    await heading('Security');
    await shown(main().getByText('Two-step sign-in is on'));
  });

  it('asks for the password, then the second factor, in dialogs before making new recovery codes', async () => {
    // Past REAUTH_WINDOW and MFA_STEP_UP_WINDOW (and the access token's life: the console refreshes by its cookie).
    app.clock.advance(Math.max(app.config.reauthWindow, app.config.mfa.stepUpWindow) * 1000 + 1000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Security' }).click();
    await heading('Security');
    await page.getByRole('button', { name: 'Make new recovery codes' }).click();

    const passwordDialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await shown(passwordDialog);
    await passwordDialog.getByLabel('Password').fill('not the password');
    await passwordDialog.getByRole('button', { name: 'Confirm' }).click();
    await shown(passwordDialog.getByRole('alert'));
    await passwordDialog.getByLabel('Password').fill(identity.password);
    await screenshot(page, 'console-mfa-reauthenticate-390');
    await passwordDialog.getByRole('button', { name: 'Confirm' }).click();

    const codeDialog = page.getByRole('dialog', { name: 'Confirm with your second factor' });
    await shown(codeDialog);
    await codeDialog.getByLabel('Code').fill(recoveryCodes[0]!);
    await codeDialog.getByRole('button', { name: 'Confirm' }).click();

    await shown(page.getByRole('heading', { name: 'Save your recovery codes' }));
    const fresh = await page.locator('ol.codes li').allInnerTexts();
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    await screenshot(page, 'console-mfa-new-codes-390');
    expect(await page.locator('dialog').count()).toBe(0);
    recoveryCodes = fresh;
  });

  it('leaves the change refused when the dialog is cancelled', async () => {
    app.clock.advance(app.config.mfa.stepUpWindow * 1000 + 1000);
    await page.reload();
    await heading('Security');
    await page.getByRole('button', { name: 'Remove Pixel' }).click();
    const dialog = page.getByRole('dialog');
    await shown(dialog);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await alert(/needs a sign-in within/);
    await shown(page.locator('tbody tr').filter({ hasText: 'Pixel' }));
  });

  it('removes the last app once proven, and the account signs in with the password alone again', async () => {
    await page.getByRole('button', { name: 'Remove Pixel' }).click();
    const passwordDialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await passwordDialog.getByLabel('Password').fill(identity.password);
    await passwordDialog.getByRole('button', { name: 'Confirm' }).click();
    const codeDialog = page.getByRole('dialog', { name: 'Confirm with your second factor' });
    await codeDialog.getByLabel('Code').fill(recoveryCodes[0]!);
    await codeDialog.getByRole('button', { name: 'Confirm' }).click();
    await status('"Pixel" removed.');
    await shown(main().getByText('Two-step sign-in is off'));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword();
    await heading('Security');
  });
});
