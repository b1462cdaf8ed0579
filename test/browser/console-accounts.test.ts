// The console's account pages in Chromium: a user changes their name, e-mail address (proven by
// the mailed code) and password, downloads their data and deletes their account; an admin finds
// accounts by search and filters, pages through them, and acts on one, each action confirmed and
// in the account's audit trail. The server runs in process behind a listening server.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { consoleSession, type ConsoleSession, eventTimeout, screenshot } from './browser.js';

let session: ConsoleSession;
let app: TestApp;

const register = async (identity: ReturnType<typeof newIdentity>) =>
  expect((await app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: identity })).errors).toBeUndefined();

/** The newest mailed six-digit code sent to `to`, once the background mailer has written it. */
async function mailedCode(to: string): Promise<string> {
  const outbox = join(app.dataDir, 'outbox');
  let code: string | undefined;
  await expect
    .poll(
      () => {
        const mails = readdirSync(outbox, { withFileTypes: true })
          .filter((entry) => entry.name.endsWith('.json'))
          .map((entry) => JSON.parse(readFileSync(join(outbox, entry.name), 'utf8')) as { to: string; text: string; sentAt: string })
          .filter((mail) => mail.to === to)
          .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
        code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
        return code;
      },
      { timeout: eventTimeout, interval: 100 },
    )
    .toMatch(/^\d{6}$/);
  return code!;
}

beforeAll(async () => {
  session = await consoleSession({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
  ({ app } = session);
});
afterAll(() => session?.close());

const shown = (locator: Locator) => locator.first().waitFor();

function consolePage() {
  let page: Page;
  let problems: string[];
  const open = async () => {
    ({ page, problems } = await session.openPage({ acceptDownloads: true, viewport: { width: 390, height: 844 } }));
    page.on('dialog', (dialog) => dialog.accept());
    return page;
  };
  const signIn = (identity: { username: string; password: string }) => session.signIn(page, identity);
  return { open, signIn, problems: () => problems, close: () => page.context().close(), page: () => page };
}

describe('the console, self-service', () => {
  const user = newIdentity();
  const view = consolePage();
  let page: Page;
  const status = (text: string | RegExp) => shown(page.locator('#status').filter({ hasText: text }));
  beforeAll(async () => {
    await register(user);
    page = await view.open();
    await view.signIn(user);
  });
  afterAll(() => view.close());
  afterEach(() => expect(view.problems()).toEqual([]));

  it('changes the name', async () => {
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Save name' }).click();
    await status('Name saved.');
    expect((await app.runtime.db.user.findUnique({ where: { username: user.username } }))?.fullName).toBe('Ada Lovelace');
    await page.reload();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Ada Lovelace');
  });

  it('changes the e-mail address once the code mailed to the new one is entered', async () => {
    const newEmail = `new-${user.email}`;
    await page.getByLabel('New e-mail address').fill(newEmail);
    await page.getByRole('button', { name: 'Change e-mail' }).click();
    await status(`A code is on its way to ${newEmail}.`);
    await shown(page.getByText(`Your address stays ${user.email} until you enter the code sent to ${newEmail}.`));
    await screenshot(page, 'console-email-change-390');
    await page.getByLabel('Code sent to the new address').fill(await mailedCode(newEmail));
    await page.getByRole('button', { name: 'Confirm new address' }).click();
    await status(`Your e-mail address is now ${newEmail}.`);
    await shown(page.locator('.details').filter({ hasText: newEmail }));
  });

  it('changes the password: the new one signs in, the old one no longer', async () => {
    const newPassword = `${user.password} and more`;
    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await status(/Password changed/);
    const login = (password: string) => app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: user.username, password } });
    expect((await login(user.password)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(newPassword)).errors).toBeUndefined();
    user.password = newPassword;
  });

  it('downloads everything stored about the account as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain(user.username);
    expect(text).not.toMatch(/argon2|passwordHash/);
    await status('Your data was downloaded.');
  });

  it('deletes the account: signed out, and the account signs in no more', async () => {
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await shown(page.getByText('Your account is deleted.'));
    await screenshot(page, 'console-account-deleted-390');
    const login = await app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: user.username, password: user.password } });
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the console, administration of accounts', () => {
  const admin = newIdentity();
  const tag = newIdentity().username.slice(-4);
  const members = Array.from({ length: 23 }, (_, index) => {
    const username = `pager${tag}_${String(index).padStart(2, '0')}`;
    return { username, email: `${username}@example.com`, password: `long pass phrase ${tag}` };
  });
  const view = consolePage();
  let page: Page;
  const status = (text: string | RegExp) => shown(page.locator('#status').filter({ hasText: text }));
  const rows = () => page.locator('main tbody tr');
  beforeAll(async () => {
    await register(admin);
    await app.runtime.db.user.update({ where: { username: admin.username }, data: { role: 'ADMIN' } });
    for (const member of members) await register(member);
    page = await view.open();
    await view.signIn(admin);
  });
  afterAll(() => view.close());
  afterEach(() => expect(view.problems()).toEqual([]));

  it('finds accounts by the start of their username and pages through them', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await shown(page.getByRole('heading', { level: 1, name: 'Users' }));
    const prefix = `pager${tag}`;
    await page.getByLabel('Username or e-mail starts with').fill(prefix);
    await page.getByRole('button', { name: 'Search' }).click();
    await shown(page.locator('caption').filter({ hasText: 'page 1' }));
    expect(await rows().count()).toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await shown(page.locator('caption').filter({ hasText: 'page 2' }));
    const secondPage = await rows().allInnerTexts();
    expect(secondPage).toHaveLength(3);
    expect(secondPage.every((row) => row.startsWith(prefix))).toBe(true);
    await screenshot(page, 'console-users-390');

    await page.getByRole('button', { name: 'Previous page' }).click();
    await shown(page.locator('caption').filter({ hasText: 'page 1' }));
    await page.getByLabel('Username or e-mail starts with').fill(members[5]!.username);
    await page.getByRole('button', { name: 'Search' }).click();
    // The first page already lists that account: wait for the search's own answer, one row.
    await expect.poll(() => rows().count(), { timeout: eventTimeout }).toBe(1);
    expect(await rows().first().innerText()).toContain(members[5]!.username);
  });

  it("changes an account's plan, disables and enables it, and sees each action in its audit trail with the admin as actor", async () => {
    const member = members[5]!;
    await page.getByRole('link', { name: member.username }).click();
    await shown(page.getByRole('heading', { level: 1, name: `User ${member.username}` }));
    await page.getByLabel('Plan').selectOption('PRO');
    await page.getByRole('button', { name: 'Change plan' }).click();
    await status('Plan changed.');
    await shown(page.locator('.details').filter({ hasText: /pro \(admin\)/i }));

    await page.getByRole('button', { name: 'Disable account' }).click();
    await status('Account disabled.');
    await shown(page.locator('.details').filter({ hasText: /Status\s*disabled/ }));
    const refused = await app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: member.username, password: member.password } });
    expect(refused.errors).toBeDefined();

    await page.getByRole('button', { name: 'Enable account' }).click();
    await status('Account enabled.');
    await shown(page.locator('.details').filter({ hasText: /Status\s*active/ }));
    // The log is written in batches: the page shows the entries once they are.
    await app.runtime.tokenEvents.flush();
    await page.reload();
    await shown(page.getByRole('heading', { level: 1, name: `User ${member.username}` }));
    const audit = await page.locator('table').filter({ hasText: 'Recent audit entries' }).locator('tbody tr').allInnerTexts();
    for (const action of ['plan-changed', 'disabled', 'enabled']) expect(audit.find((row) => row.includes(action))).toMatch(/\buser\b/);
    await screenshot(page, 'console-user-390');
  });

  it('deletes an account after confirming, back on the list', async () => {
    const member = members[5]!;
    await page.getByRole('button', { name: 'Delete account' }).click();
    await status(`${member.username} deleted.`);
    await shown(page.getByRole('heading', { level: 1, name: 'Users' }));
    const login = await app.gql('mutation($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: member.username, password: member.password } });
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
