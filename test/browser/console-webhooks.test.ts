// The console's webhooks page in Chromium: an admin adds an endpoint (its signing secret shown
// once), sends a test event, watches the delivery succeed, redelivers it, then disables the
// endpoint. The receiver runs in this process; the server runs in process behind a listening server.
import { Webhook } from 'standardwebhooks';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../../src/accounts/roles.js';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { httpReceiver, type Receiver } from '../helpers/receiver.js';
import { checkAtBothWidths, consoleSession, type ConsoleSession, eventTimeout, screenshot } from './browser.js';

let session: ConsoleSession;
let app: TestApp;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await httpReceiver();
  session = await consoleSession({ env: { REQUIRE_VERIFIED_EMAIL: 'false', WEBHOOK_ALLOW_PRIVATE: 'true' } });
  ({ app } = session);
});
afterAll(async () => {
  await session?.close();
  await receiver?.close();
});

describe('the webhooks page', () => {
  const admin = newIdentity();
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    expect((await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: admin })).errors).toBeUndefined();
    await setUserRole(app.runtime, admin.username, 'ADMIN');
    ({ page, problems } = await session.openPage());
    await session.signIn(page, admin);
  });
  afterAll(async () => {
    await page?.context().close();
  });

  const main = () => page.locator('main');
  const deliveryRows = () => main().locator('tbody tr');

  it('adds an endpoint for chosen events and shows its signing secret once', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(await main().innerText()).toContain('No endpoints yet.');
    await page.getByLabel('URL').fill(`${receiver.url}/console`);
    await page.getByLabel('Only the events ticked below').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    expect(await main().getByRole('alert').innerText()).toContain('Tick at least one event');
    await page.getByLabel('user.created').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    expect(await main().innerText()).toContain('Events: user.created. State: enabled.');
    await screenshot(page, 'console-webhooks-added');

    await page.getByRole('button', { name: 'Send test event' }).click();
    await expect.poll(() => receiver.received.length, { timeout: eventTimeout }).toBe(1);
    expect((new Webhook(secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers) as { type: string }).type).toBe('webhook.test');
    await app.runtime.background.idle();
    await page.reload();
    await deliveryRows().first().waitFor();
    expect(await deliveryRows().first().innerText()).toMatch(/webhook\.test\s+succeeded\s+1\s+HTTP 200/);
    // Screenshots at 1280 and 390 px, and an axe-core scan with no serious violation at either.
    await checkAtBothWidths(page, 'console-webhooks');
    expect(problems).toEqual([]);
  });

  it('redelivers a delivery with the same webhook-id, then disables the endpoint', async () => {
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await expect.poll(() => receiver.received.length, { timeout: eventTimeout }).toBe(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    await page.getByRole('button', { name: 'Disable' }).click();
    await main().getByText('State: disabled.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'console-webhooks-390');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
