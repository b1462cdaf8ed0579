import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startServerProcess } from '../helpers/server-process.js';
import { startOidcProvider } from '../helpers/oidc-provider.js';
import { eventTimeout, launchChromium, screenshot, watchForProblems } from './browser.js';

type Server = Awaited<ReturnType<typeof startServerProcess>>;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** A GraphQL call from outside the browser (another client of the same server). */
async function gql(server: Server, query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'console-test/1.0 (curl)', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] };
}

const identity = { username: 'grace', email: 'grace@example.com', password: 'a long console password' };

async function openPage(context: BrowserContext) {
  const page = await context.newPage();
  page.setDefaultTimeout(eventTimeout);
  const problems = await watchForProblems(page);
  page.on('dialog', (dialog) => dialog.accept());
  return { page, problems };
}

/*
 * What the page does after an action (a GraphQL round trip, password hashing on the server, a render)
 * takes as long as the machine makes it take. So the tests wait for the page state itself, with
 * Playwright's waits (page.setDefaultTimeout(eventTimeout) above), never for a fixed time budget.
 */

/** Resolves once `locator` matches a visible element (the text and role filters say which state is awaited). */
const shown = (locator: Locator) => locator.first().waitFor();

/** Resolves once `locator` matches exactly `count` elements. */
async function counted(locator: Locator, count: number) {
  if (count > 0) await locator.nth(count - 1).waitFor({ state: 'attached' });
  await locator.nth(count).waitFor({ state: 'detached' });
  expect(await locator.count()).toBe(count);
}

describe('the web console', () => {
  let server: Server;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let apiToken: string;
  let rawKey: string;
  let serviceAccountKey: string;

  beforeAll(async () => {
    server = await startServerProcess({ API_KEY_PERMISSIONS: 'cameras:read,cameras:write' });
    const registered = await gql(server, 'mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: identity });
    expect(registered.errors).toBeUndefined();
    await promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', 'grant', identity.username], {
      cwd: new URL('../../', import.meta.url),
      env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'warn' },
    });
    context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    ({ page, problems } = await openPage(context));
  });
  afterAll(async () => {
    await context?.close();
    await server?.destroy();
  });
  afterEach(() => {
    expect(problems).toEqual([]);
    problems.length = 0;
  });

  const main = () => page.locator('main');
  /** The page's h1 once it reads `name`: what every view renders together with its content. */
  const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));
  const status = (text: string | RegExp) => shown(page.locator('#status').filter({ hasText: text }));

  it('signs in with a password (Google explains that it is not configured), focus on the new page heading', async () => {
    await page.goto(`${server.url}/console`);
    await heading('Sign in');
    await page.getByRole('button', { name: 'Sign in with Google' }).click();
    await shown(page.locator('#google-note').filter({ hasText: 'OIDC_CLIENT_ID' }));

    await page.getByLabel('Username or e-mail').fill(identity.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByLabel('Password').press('Enter');
    await shown(page.getByRole('alert').filter({ hasText: /username or password/i }));
    await screenshot(page, 'console-sign-in');

    await page.getByLabel('Password').fill(identity.password);
    await page.getByLabel('Password').press('Enter');
    await heading('Your account');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await context.cookies()).toContainEqual(expect.objectContaining({ httpOnly: true, path: '/graphql' }));
  });

  it('shows the account and verifies the e-mail with the code from the mail', async () => {
    const text = await main().innerText();
    expect(text).toContain(identity.email);
    expect(text).toContain('not verified');
    expect(text).toContain('ADMIN');
    const outbox = join(server.dataDir, 'outbox');
    const mail = readdirSync(outbox).map((file) => readFileSync(join(outbox, file), 'utf8')).join('\n');
    const code = /Your code: (\d{6})/.exec(mail)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Code from the e-mail').fill(code!);
    await page.getByRole('button', { name: 'Verify e-mail' }).click();
    await shown(main().getByText('Your e-mail address is verified.'));
    await page.reload();
    await shown(main().getByText(`${identity.email} (verified)`));
    await screenshot(page, 'console-account');
  });

  it('stays signed in across a reload through the refresh cookie, without the token in storage', async () => {
    await page.reload();
    await heading('Your account');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toMatch(/ey[\w-]+\.ey/);
  });

  it('lists sessions and revokes another one', async () => {
    const other = await gql(server, 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }', {
      input: { username: identity.username, password: identity.password },
    });
    apiToken = other.data!.login.accessToken;
    const second = await gql(server, 'mutation($input: LoginInput!) { login(input: $input) { accessToken } }', {
      input: { username: identity.username, password: identity.password },
    });
    const doomed = second.data!.login.accessToken as string;

    await page.getByRole('link', { name: 'Sessions' }).click();
    await heading('Sessions');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sessions');
    const rows = page.locator('tbody tr');
    await counted(rows, 3);
    expect(await rows.filter({ hasText: 'this session' }).count()).toBe(1);
    await screenshot(page, 'console-sessions');

    await page.getByRole('button', { name: /^Revoke (?!.*this session)/ }).first().click();
    await counted(rows, 2);
    await status(/revoked/);
    const results = await Promise.all(
      [apiToken, doomed].map((token) => gql(server, '{ whoami { credential { id } } }', {}, { authorization: `Bearer ${token}` })),
    );
    // One of the two API sessions is gone (the newest is listed first), the other still works.
    expect(results.map((result) => result.errors?.[0]?.extensions?.code ?? 'ok').sort()).toEqual(['UNAUTHENTICATED', 'ok']);
    apiToken = results[0]!.errors ? doomed : apiToken;
  });

  it('creates an API key, shown once with a warning and a copy button', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    await heading('API keys');
    await page.getByLabel('Name').fill('CI deploy');
    await page.getByLabel('account:read').check();
    await page.getByRole('button', { name: 'Create key' }).click();

    const field = page.getByLabel('API key', { exact: true });
    await shown(field);
    rawKey = await field.inputValue();
    expect(rawKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy the new key now');
    expect(await main().innerText()).toContain('only time the whole key is shown');
    await page.getByRole('button', { name: 'Copy key' }).click();
    // The console announces the copy once the clipboard write has finished.
    await status(/^Key copied to the clipboard\.$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(rawKey);
    await screenshot(page, 'console-key-created');

    const who = await gql(server, '{ whoami { user { username } credential { kind scopes } } }', {}, { 'x-api-key': rawKey });
    expect(who.data?.whoami).toEqual({ user: { username: identity.username }, credential: { kind: 'API_KEY', scopes: ['account:read'] } });

    await page.reload();
    await heading('API keys');
    await counted(page.locator('tbody tr'), 1);
    expect(await page.content()).not.toContain(rawKey);
    expect(await main().innerText()).toContain(rawKey.slice(0, 12));
  });

  it('speaks to people: each problem once and in words, a message only on the page it belongs to, tables that fit a phone', async () => {
    await page.getByLabel('Name').fill('no scopes');
    await page.getByLabel('Only the scopes ticked below').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const alert = main().getByRole('alert');
    await shown(alert.filter({ hasText: 'Tick at least one scope' }));
    expect(await alert.innerText()).toBe('Tick at least one scope: without one, a key cannot call anything.');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Account', exact: true }).click();
    await heading('Your account');
    expect(await page.locator('#status').innerText()).toBe('');
    await page.getByLabel('Current password').fill(identity.password);
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByRole('button', { name: 'Change password' }).click();
    await shown(main().getByRole('alert').filter({ hasText: 'New password' }));
    expect(await main().getByRole('alert').filter({ hasText: 'New password' }).innerText()).toBe('New password is too common; choose another.');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'API keys' }).click();
    await heading('API keys');
    await counted(page.locator('tbody tr'), 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'console-keys-390');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('inspects a key and pages through its activity log', async () => {
    // With the whoami above and its creation, the key's log holds 14 entries: pages of 10 and 4.
    for (let request = 0; request < 12; request += 1) {
      expect((await gql(server, 'query KeyCheck { whoami { credential { id } } }', {}, { 'x-api-key': rawKey })).errors).toBeUndefined();
    }
    const keyId = (await gql(server, '{ apiKeys { nodes { id } } }', {}, { authorization: `Bearer ${apiToken}` })).data!.apiKeys.nodes[0].id;
    // The log is written in batches about every second.
    await expect
      .poll(async () => (await gql(server, 'query($id: ID!) { tokenLog(tokenId: $id, first: 100) { nodes { id } } }', { id: keyId }, { authorization: `Bearer ${apiToken}` })).data?.tokenLog.nodes.length, { timeout: eventTimeout, interval: 250 })
      .toBe(14);

    await page.getByRole('link', { name: 'CI deploy' }).click();
    await heading('Key "CI deploy"');
    const details = await main().innerText();
    expect(details).toContain('account:read');
    expect(details).toContain('active');
    const activity = page.locator('.activity');
    const caption = (text: string) => shown(activity.locator('caption').filter({ hasText: new RegExp(`^${text}$`) }));
    await caption('Page 1, newest first');
    expect(await activity.locator('tbody tr').count()).toBe(10);
    expect(await activity.locator('tbody tr').first().innerText()).toContain('KeyCheck');
    expect(await page.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Older' }).click();
    await caption('Page 2, newest first');
    expect(await activity.locator('tbody tr').count()).toBe(4);
    expect(await activity.locator('tbody tr').last().innerText()).toContain('create');
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    // The pressed button went disabled: the keyboard lands on the other one.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Newer');
    await screenshot(page, 'console-key-activity');
    await page.keyboard.press('Enter');
    await caption('Page 1, newest first');
  });

  it('rolls the key from its page: the new secret shown once, the old one working through the grace chosen', async () => {
    const keyWhoami = async (key: string) => {
      const answer = await gql(server, '{ whoami { user { username } } }', {}, { 'x-api-key': key });
      return answer.errors?.[0]?.extensions?.code ?? answer.data?.whoami.user.username;
    };
    await page.getByLabel('Old secret keeps working for').selectOption({ label: '1 hour' });
    await page.getByRole('button', { name: 'Roll key' }).click();
    const panel = page.getByRole('region', { name: 'New key' });
    await shown(panel.getByText(/keeps working until/));
    const rolledKey = await panel.getByLabel('API key', { exact: true }).inputValue();
    expect(rolledKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(rolledKey).not.toBe(rawKey);
    await status('Key "CI deploy" rolled.');
    expect(await keyWhoami(rolledKey)).toBe(identity.username);
    expect(await keyWhoami(rawKey)).toBe(identity.username);
    await screenshot(page, 'console-key-rolled');
    rawKey = rolledKey;
  });

  it("changes the key's name, permissions and limits from its page", async () => {
    await page.getByLabel('Name', { exact: true }).fill('CI deploy');
    await page.getByLabel('cameras:read').check();
    await page.getByLabel('Requests per window').fill('30');
    await page.getByLabel('Window (seconds)').fill('60');
    await page.getByLabel('Usage budget').fill('1000');
    await page.getByLabel('Budget refills').selectOption('DAILY');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await status('Key "CI deploy" saved.');
    await shown(page.locator('.details').filter({ hasText: /Permissions\s*cameras:read/ }));
    const details = await page.locator('.details').innerText();
    expect(details).toMatch(/30 requests per 60 s/);
    expect(details).toMatch(/1000 per day/);
    const key = (await gql(server, '{ apiKeys { nodes { name permissions rateLimit { limit windowSeconds } usage { limit refill } } } }', {}, { authorization: `Bearer ${apiToken}` })).data!.apiKeys.nodes[0];
    expect(key).toEqual({ name: 'CI deploy', permissions: ['cameras:read'], rateLimit: { limit: 30, windowSeconds: 60 }, usage: { limit: 1000, refill: 'DAILY' } });
    await screenshot(page, 'console-key-settings');
  });

  it('revokes a key', async () => {
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await shown(page.locator('.details').filter({ hasText: /Status\s*revoked/ }));
    expect(await page.getByRole('button', { name: 'Revoke key' }).count()).toBe(0);
    const refused = await gql(server, '{ whoami { credential { id } } }', {}, { 'x-api-key': rawKey });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await screenshot(page, 'console-key-revoked');
  });

  it("pages through a session's activity", async () => {
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: /\(this session\)$/ }).click();
    await heading('Session activity');
    const actions = await page.locator('.activity tbody tr td:nth-child(2)').allInnerTexts();
    expect(actions).toContain('login');
    expect(actions).toContain('refresh');
    await screenshot(page, 'console-session-activity');
  });

  it('lets an admin create a service account and mint its key at /admin/service-accounts', async () => {
    await page.goto(`${server.url}/admin/service-accounts`);
    await heading('Service accounts');
    await page.getByLabel('Name', { exact: true }).fill('novavms-bridge');
    await page.getByLabel('Description (optional)').fill('NovaVMS camera sync');
    await page.getByLabel('account:read').check();
    await page.getByRole('button', { name: 'Create service account' }).click();
    const card = page.getByRole('region', { name: 'novavms-bridge' });
    await counted(card, 1);

    await card.getByLabel('New key name for novavms-bridge').fill('sync job');
    await card.getByRole('button', { name: 'Create key' }).click();
    const field = page.getByLabel('API key', { exact: true });
    await shown(field);
    expect(await field.inputValue()).toMatch(/^sk_live_/);
    await counted(card.locator('tbody tr'), 1);
    await screenshot(page, 'console-service-accounts');

    serviceAccountKey = await field.inputValue();
    const who = await gql(server, '{ whoami { user { id } serviceAccount { name } } }', {}, { 'x-api-key': serviceAccountKey });
    expect(who.data?.whoami).toEqual({ user: null, serviceAccount: { name: 'novavms-bridge' } });
  });

  it('rolls that key with a chosen grace period: the new secret shown once, the old one working until the time shown', async () => {
    const serviceAccountWhoami = async (key: string) => {
      const answer = await gql(server, '{ whoami { serviceAccount { name } } }', {}, { authorization: `Bearer ${key}` });
      return answer.errors?.[0]?.extensions?.code ?? answer.data?.whoami.serviceAccount.name;
    };
    const card = page.getByRole('region', { name: 'novavms-bridge' });
    expect(await card.getByLabel('Key of novavms-bridge to roll').locator('option:checked').innerText()).toMatch(/^sync job \(sk_live_/);
    await card.getByLabel('Old secret keeps working for').selectOption({ label: '1 hour' });
    const rolledAt = Date.now();
    await card.getByRole('button', { name: 'Roll key' }).click();
    const panel = page.getByRole('region', { name: 'New key' });
    await shown(panel.getByText(/keeps working until/));
    const rolledKey = await panel.getByLabel('API key', { exact: true }).inputValue();
    expect(rolledKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(rolledKey).not.toBe(serviceAccountKey);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy the new key now');
    const graceEnds = Date.parse((await panel.locator('time').getAttribute('datetime'))!);
    expect(graceEnds - rolledAt).toBeGreaterThan(3600_000 - 60_000);
    expect(graceEnds - rolledAt).toBeLessThan(3600_000 + 60_000);
    await shown(card.locator('tbody tr').filter({ hasText: 'old secret until' }));
    await panel.getByRole('button', { name: 'Copy key' }).click();
    await status(/^Key copied to the clipboard\.$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(rolledKey);
    await screenshot(page, 'console-service-account-key-rolled');
    // Within the grace period both secrets work.
    expect(await serviceAccountWhoami(rolledKey)).toBe('novavms-bridge');
    expect(await serviceAccountWhoami(serviceAccountKey)).toBe('novavms-bridge');

    // Rolled again with no grace (the page asks first; the test accepts): only the newest secret works from now on.
    await card.getByLabel('Old secret keeps working for').selectOption({ label: 'No grace: it stops now' });
    await card.getByRole('button', { name: 'Roll key' }).click();
    await shown(panel.getByText('is refused from now on'));
    const newestKey = await panel.getByLabel('API key', { exact: true }).inputValue();
    expect(newestKey).not.toBe(rolledKey);
    expect(await card.locator('tbody tr').filter({ hasText: 'old secret until' }).count()).toBe(0);
    expect(await serviceAccountWhoami(newestKey)).toBe('novavms-bridge');
    expect(await serviceAccountWhoami(rolledKey)).toBe('UNAUTHENTICATED');
    expect(await serviceAccountWhoami(serviceAccountKey)).toBe('UNAUTHENTICATED');
  });

  it('signs out: the session ends and a reload shows the sign-in form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await status(/^You are signed out\.$/);
    await page.reload();
    await heading('Sign in');
    await screenshot(page, 'console-signed-out');
  });

  it('tells a user who is not an admin how an admin is made, and hides the link', async () => {
    const user = { username: 'linus', email: 'linus@example.com', password: 'another console password' };
    expect((await gql(server, 'mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: user })).errors).toBeUndefined();
    await page.goto(`${server.url}/admin/service-accounts`);
    await page.getByLabel('Username or e-mail').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Service accounts');
    expect(await main().innerText()).toContain('npm run admin -- grant <username>');
    expect(await page.getByRole('link', { name: 'Service accounts' }).isVisible()).toBe(false);
  });
});

describe('the web console with Google sign-in configured', () => {
  const clientId = 'console-test.apps.googleusercontent.com';
  let provider: Awaited<ReturnType<typeof startOidcProvider>>;
  let server: Server;

  beforeAll(async () => {
    provider = await startOidcProvider({ clientId });
    server = await startServerProcess({ OIDC_CLIENT_ID: clientId, OIDC_ISSUER: provider.issuer });
  });
  afterAll(async () => {
    await server?.destroy();
    await provider?.close();
  });

  it('loads Google Identity Services (stubbed here: no network) and signs in with its credential', async () => {
    const credential = await provider.mint(provider.claims({ email: 'lin@example.com' }));
    const context = await browser.newContext();
    // Stands in for Google's script: the same two calls, and the callback fed a token from the test provider.
    await context.route('https://accounts.google.com/gsi/client', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.google = { accounts: { id: {
          initialize(options) { this.options = options; },
          renderButton(target) {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = 'Continue with Google';
            button.onclick = () => this.options.callback({ credential: ${JSON.stringify(credential)} });
            target.append(button);
          },
        } } };`,
      }),
    );
    const { page, problems } = await openPage(context);
    const response = await page.goto(`${server.url}/console`);
    expect(response?.headers()['content-security-policy']).toContain('script-src \'self\' https://accounts.google.com/gsi/client');
    // The click starts a chain whose length is the machine's business: the server's first googleSignIn
    // fetches the provider's discovery document and key set, verifies the token and creates the account,
    // then the console asks for the account and renders it. Wait for those events, not a time budget.
    const googleSignIn = page.waitForResponse(
      (answer) => answer.url() === `${server.url}/graphql` && (answer.request().postData() ?? '').includes('ConsoleGoogleSignIn'),
    );
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    expect((await (await googleSignIn).json()).errors).toBeUndefined();
    await shown(page.getByRole('heading', { level: 1, name: 'Your account', exact: true }));
    expect(await page.locator('main').innerText()).toContain('lin@example.com (verified)');
    await screenshot(page, 'console-google');
    expect(problems).toEqual([]);
    await context.close();
  });
});
