import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServerProcess } from '../helpers/server-process.js';
import { eventTimeout, launchChromium, screenshot, watchForProblems } from './browser.js';

// Issue 21: /docs rendered blank in Chromium (the API's CSP blocked its own assets).
let server: Awaited<ReturnType<typeof startServerProcess>>;
let browser: Browser;
let page: Page;
let problems: string[];
const failedLoads: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  page = await browser.newPage();
  problems = await watchForProblems(page);
  page.on('response', (response) => {
    if (response.status() >= 400) failedLoads.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

it('renders the operations under its own CSP, and "Try it out" calls the API', async () => {
  const response = await page.goto(`${server.url}/docs`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  const register = page.locator('.opblock').filter({ hasText: '/v1/auth/register' }).first();
  await register.waitFor({ timeout: eventTimeout });
  expect(await page.locator('.opblock').count()).toBeGreaterThan(20);

  const forgot = page.locator('.opblock').filter({ hasText: '/v1/auth/forgot-password' }).first();
  await forgot.locator('.opblock-summary').click();
  await forgot.getByRole('button', { name: 'Try it out' }).click();
  await forgot.locator('textarea.body-param__text').fill('{"email": "nobody@example.com"}');
  const answer = page.waitForResponse((candidate) => candidate.url().endsWith('/v1/auth/forgot-password'), { timeout: eventTimeout });
  await forgot.getByRole('button', { name: 'Execute' }).click();
  expect((await answer).status()).toBe(202);
  await forgot.locator('.live-responses-table').waitFor({ timeout: eventTimeout });
  await screenshot(page, 'docs-try-it-out');
  // Nothing the page loads fails, and nothing is blocked. Chromium's own /favicon.ico request (a 404,
  // reported on the console but not as a page response) is the one console error left out.
  expect(failedLoads).toEqual([]);
  expect(problems.filter((problem) => !problem.startsWith('console: Failed to load resource'))).toEqual([]);
});
