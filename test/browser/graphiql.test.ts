import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServerProcess } from '../helpers/server-process.js';
import { launchChromium, screenshot, watchForProblems } from './browser.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  page = await browser.newPage();
  problems = await watchForProblems(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.destroy();
});

/** Runs one operation of the document through the Run button's menu; resolves with the JSON answer. */
async function runOperation(name: string) {
  const answer = page.waitForResponse((response) => response.url().endsWith('/graphql') && response.request().method() === 'POST');
  await page.getByRole('button', { name: /execute query/i }).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
  return (await (await answer).json()) as { data?: Record<string, any>; errors?: unknown[] };
}

/** The result pane's text; the editor renders spaces as non-breaking ones. */
const resultText = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');

it('runs register, login and whoami from the default document, with the token in the headers tab, under its CSP', async () => {
  const response = await page.goto(`${server.url}/graphql`);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'sha256-[^']+'/);
  await expect.poll(() => page.locator('.graphiql-editor').first().isVisible()).toBe(true);

  const registered = await runOperation('Register');
  expect(registered.errors).toBeUndefined();
  await expect.poll(resultText).toContain('"username": "ada"');

  const loggedIn = await runOperation('Login');
  const accessToken: string = loggedIn.data?.login.accessToken;
  expect(accessToken).toMatch(/^ey/);
  await expect.poll(resultText).toContain('"accessToken"');

  await page.getByRole('button', { name: 'Headers', exact: true }).click();
  const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor').last();
  await headersEditor.click();
  await page.keyboard.press('ControlOrMeta+A');
  // insertText, not typing: the editor would close each brace and quote a second time.
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${accessToken}` }));

  const whoami = await runOperation('Whoami');
  expect(whoami.errors).toBeUndefined();
  await expect.poll(resultText).toContain('"kind": "SESSION"');
  const shown = await resultText();
  expect(shown).toContain('"username": "ada"');
  expect(shown).toContain('"email": "ada@example.com"');

  await screenshot(page, 'graphiql');
  expect(problems).toEqual([]);
});
