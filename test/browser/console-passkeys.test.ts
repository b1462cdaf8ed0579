// Passkeys in the console, in Chromium with a virtual authenticator (CDP's WebAuthn domain: a
// platform authenticator with resident keys and user verification): added on the Security
// page, then signing in with nothing typed, proving a sensitive change, and removed. WebAuthn
// needs a secure context: http://localhost is one, so the page and the RP ID are localhost.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { signIn } from '../helpers/flows.js';
import { confirmedTotp } from '../helpers/mfa.js';
import { eventTimeout, launchChromium, screenshot, watchForProblems } from './browser.js';

let app: TestApp;
let origin: string;
let closeServer: () => Promise<void>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let authenticatorId: string;
let problems: string[];
const identity = newIdentity();

beforeAll(async () => {
  // The port first: PUBLIC_URL (and so the RP ID and origin) must name it.
  let listener: RequestListener = (_request, response) => response.end();
  const server = createServer((request, response) => listener(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  app = await createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false', PUBLIC_URL: origin } });
  listener = app.app.listener;
  expect((await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: identity })).errors).toBeUndefined();
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(eventTimeout);
  problems = await watchForProblems(page);
  page.on('dialog', (dialog) => dialog.accept());
  cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  }));
});
afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  await app?.close();
});
afterEach(() => {
  expect(problems).toEqual([]);
});

const main = () => page.locator('main');
const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));
const status = (text: string | RegExp) => shown(page.locator('#status').filter({ hasText: text }));
const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

describe('the console, passkeys', () => {
  it('adds a passkey on the Security page', async () => {
    await page.goto(`${origin}/console`);
    await heading('Sign in');
    await page.getByLabel('Username or e-mail').fill(identity.username);
    await page.getByLabel('Password').fill(identity.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
    await page.getByRole('link', { name: 'Security' }).click();
    await heading('Security');
    await shown(main().getByText('No passkeys yet.'));
    await page.getByLabel('Passkey label').fill('Virtual laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await status(/Passkey "Virtual laptop" added/);
    await shown(page.locator('tbody tr').filter({ hasText: 'Virtual laptop' }));
    await screenshot(page, 'console-passkeys-added');
    const held = await credentials();
    expect(held).toHaveLength(1);
    expect(held[0]!.isResidentCredential).toBe(true);
    expect(held[0]!.rpId).toBe('localhost');
  });

  it('signs out, and signs in again with the passkey, nothing typed', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await status(`Signed in as ${identity.username}.`);
    // The console's live session (the password one ended at sign-out): two factors at once.
    const live = await app.runtime.db.session.findMany({ where: { user: { username: identity.username }, revokedAt: null } });
    expect(live.map((session) => session.amr)).toEqual(['hwk,user']);
    expect((await credentials())[0]!.signCount).toBeGreaterThan(0);
  });

  it('proves a sensitive change with the passkey, then removes it', async () => {
    // Past REAUTH_WINDOW and MFA_STEP_UP_WINDOW: removing asks for proof first.
    app.clock.advance(Math.max(app.config.reauthWindow, app.config.mfa.stepUpWindow) * 1000 + 1000);
    await page.getByRole('link', { name: 'Security' }).click();
    await heading('Security');
    await page.getByRole('button', { name: 'Remove Virtual laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await shown(dialog);
    await screenshot(page, 'console-passkeys-proof');
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await status('Passkey "Virtual laptop" removed.');
    await shown(main().getByText('No passkeys yet.'));
    await app.runtime.tokenEvents.flush();
    const events = await app.runtime.db.tokenEvent.findMany({ where: { action: 'passkey' } });
    expect(new Set(events.map((event) => event.operation))).toEqual(new Set(['registered', 'signed-in', 'step-up', 'removed']));
  });

  it('answers the two-step sign-in after the password with a passkey', async () => {
    await page.getByLabel('Passkey label').fill('Second key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await status(/Passkey "Second key" added/);
    const tokens = await signIn(app, identity);
    await confirmedTotp(app, { authorization: `Bearer ${tokens.accessToken}` });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await page.getByLabel('Username or e-mail').fill(identity.username);
    await page.getByLabel('Password').fill(identity.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Two-step sign-in');
    await screenshot(page, 'console-passkeys-second-factor');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await status(`Signed in as ${identity.username}.`);
    const live = await app.runtime.db.session.findMany({ where: { user: { username: identity.username }, revokedAt: null, clientType: 'BROWSER' } });
    expect(live.map((session) => session.amr)).toEqual(['pwd,hwk']);
  });
});
