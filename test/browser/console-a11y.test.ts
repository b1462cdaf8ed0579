// Every console page a signed-in administrator reaches, and every page a mail opens, in Chromium
// at 1280 and 390 px: each is screenshot (test-artifacts/<page>-<width>.png) and scanned with
// axe-core, which must find no serious or critical violation. The key page shows its usage chart,
// drawn from requests made with the key over three hours of the injected clock.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../../src/accounts/roles.js';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { createKey, keyHeader, verifiedSession } from '../helpers/apikeys.js';
import { challengeOf } from '../helpers/smtp.js';
import { artifactsDirectory, checkAtBothWidths, consoleSession, type ConsoleSession } from './browser.js';

let session: ConsoleSession;
let app: TestApp;
let smtp: NonNullable<ConsoleSession['smtp']>;
let origin: string;
let page: Page;
let problems: string[];
let admin: Awaited<ReturnType<typeof verifiedSession>>;
let keyId: string;
const hourMs = 3600 * 1000;

beforeAll(async () => {
  session = await consoleSession({ mail: true, env: { RESEND_INTERVAL: '1' } });
  ({ app, origin } = session);
  smtp = session.smtp!;
  admin = await verifiedSession(app);
  await setUserRole(app.runtime, admin.identity.username, 'ADMIN');
  const { rawKey, apiKey } = await createKey(app, admin.auth, { name: 'warehouse export' });
  keyId = apiKey.id;
  for (const [hoursLater, uses] of [[0, 4], [1, 9], [2, 2]] as const) {
    if (hoursLater > 0) app.clock.advance(hourMs);
    for (let use = 0; use < uses; use++) await app.gql('{ whoami { user { id } } }', {}, keyHeader(rawKey));
  }
  // One refused request: this key may not manage sessions.
  await app.gql('mutation { revokeOtherSessions }', {}, keyHeader(rawKey));
  ({ page, problems } = await session.openPage());
  page.on('dialog', (dialog) => dialog.dismiss());
});
afterAll(() => session?.close());
afterEach(() => {
  expect(problems).toEqual([]);
});

/** A dead link and a refused password answer 422, which Chromium reports on its console: expected there, and only there. */
function expectUnprocessableReported() {
  const reported = problems.filter((problem) => problem.includes('status of 422'));
  expect(reported.length).toBeGreaterThan(0);
  problems.splice(0, problems.length, ...problems.filter((problem) => !reported.includes(problem)));
}

const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string | RegExp) => shown(page.getByRole('heading', { level: 1, name }));

async function lastChallengeTo(email: string) {
  await app.runtime.background.idle();
  return challengeOf(smtp.mailsTo(email).at(-1));
}

describe('every console page', () => {
  it('signs in, then each page passes the scan at both widths', async () => {
    await page.goto(`${origin}/console`);
    await heading('Sign in');
    await page.getByLabel('Username or e-mail').fill(admin.identity.username);
    await page.getByLabel('Password', { exact: true }).fill(admin.identity.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
    await checkAtBothWidths(page, 'console-account');

    const visit = async (linkName: string, title: string | RegExp, name: string) => {
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: linkName, exact: true }).click();
      await heading(title);
      await checkAtBothWidths(page, name);
    };
    await visit('Sessions', 'Sessions', 'console-sessions');
    await page.getByRole('link', { name: /^Activity of/ }).first().click();
    await heading('Session activity');
    await checkAtBothWidths(page, 'console-session-activity');
    await visit('API keys', 'API keys', 'console-keys');
    await page.getByRole('link', { name: 'warehouse export' }).click();
    await shown(page.getByRole('heading', { level: 2, name: 'Usage' }));
    const chart = page.getByRole('img', { name: /Requests per hour, last 7 days/ });
    await shown(chart);
    expect(await page.locator('#usage-chart-desc').textContent()).toMatch(/^16 requests in the last 7 days, 1 refused one\. Busiest hour: .*, with 9 requests\.$/);
    expect(await page.locator('.usage-chart rect.bar').count()).toBe(3);
    // The last hour: 2 accepted, 1 refused stacked on them.
    expect(await page.locator('.usage-chart rect.bar-refused').count()).toBe(1);
    await page.getByText('Show the hours as a table').click();
    await shown(page.getByRole('table', { name: 'Requests per hour, newest first' }));
    await checkAtBothWidths(page, 'console-key');
    await chart.screenshot({ path: new URL('console-key-usage-chart.png', artifactsDirectory).pathname });
    await visit('Security', 'Security', 'console-security');
    await visit('Users', 'Users', 'console-users');
    await page.getByRole('link', { name: admin.identity.username, exact: true }).click();
    await heading(`User ${admin.identity.username}`);
    await checkAtBothWidths(page, 'console-user');
    await visit('Service accounts', 'Service accounts', 'console-service-accounts');
    await page.goto(`${origin}/console/no-such-page`);
    await heading('Page not found');
    await checkAtBothWidths(page, 'console-not-found');
  });
});

describe('every page a mail opens', () => {
  it('verification: the confirm page, then the verified page', async () => {
    const person = newIdentity();
    await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person });
    const { uid } = await lastChallengeTo(person.email);
    await page.goto(`${origin}/challenge/${uid}`);
    await heading('Confirm it is you');
    await checkAtBothWidths(page, 'mail-confirm');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading('Address verified');
    await checkAtBothWidths(page, 'mail-verified');
    // Used now: the same link offers a new mail.
    await page.goto(`${origin}/challenge/${uid}`);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading('This link no longer works');
    expectUnprocessableReported();
    await checkAtBothWidths(page, 'mail-dead-link');
    await page.getByRole('button', { name: 'Send me a new mail' }).click();
    await heading('Check your mail');
    await checkAtBothWidths(page, 'mail-renewed');
  });

  it('recovery: the new-password form, a refused password, and the done page', async () => {
    const person = newIdentity();
    await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person });
    app.clock.advance(2000);
    await app.gql('mutation($email: EmailAddress!) { forgotPassword(email: $email) }', { email: person.email });
    const { uid } = await lastChallengeTo(person.email);
    await page.goto(`${origin}/challenge/${uid}`);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading('Choose a new password');
    await checkAtBothWidths(page, 'mail-reset-form');
    await page.getByLabel('New password').fill('password1');
    await page.getByRole('button', { name: 'Set password' }).click();
    await shown(page.getByRole('alert').filter({ hasText: 'The new password is too common; choose another.' }));
    expectUnprocessableReported();
    await checkAtBothWidths(page, 'mail-reset-refused');
    await page.getByLabel('New password').fill(`${person.password} renewed`);
    await page.getByRole('button', { name: 'Set password' }).click();
    await heading('Password changed');
    await checkAtBothWidths(page, 'mail-reset-done');
  });

  it('a sign-in link opened in another browser shows its code; in French when asked', async () => {
    const person = newIdentity();
    await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person });
    app.clock.advance(2000);
    await app.gql('mutation($email: EmailAddress!) { requestSignInLink(email: $email) }', { email: person.email });
    const { uid, code } = await lastChallengeTo(person.email);
    await page.goto(`${origin}/challenge/${uid}`);
    await heading('Your sign-in code');
    expect(await page.locator('[data-code]').textContent()).toBe(code);
    await checkAtBothWidths(page, 'mail-sign-in-code');
    const { page: frenchPage } = await session.openPage({ locale: 'fr-FR' });
    await frenchPage.goto(`${origin}/challenge/${uid}`);
    await frenchPage.getByRole('heading', { level: 1, name: 'Votre code de connexion' }).waitFor();
    await checkAtBothWidths(frenchPage, 'mail-sign-in-code-fr');
    await frenchPage.context().close();
  });
});
