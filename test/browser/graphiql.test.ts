import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { startServerProcess } from '../helpers/server-process.js';
import { launchChromium, screenshot, watchForProblems } from './browser.js';

let server: Awaited<ReturnType<typeof startServerProcess>>;
let browser: Browser;
let page: Page;
let problems: string[];
/** GraphiQL's files (scripts, workers, style, icon), as the page loaded them. */
const assetResponses: Response[] = [];
const isAsset = (url: string) => new URL(url).pathname.startsWith('/graphql/graphiql/');

beforeAll(async () => {
  [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  page = await browser.newPage();
  problems = await watchForProblems(page);
  page.on('response', (response) => void (isAsset(response.url()) && assetResponses.push(response)));
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
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
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

// Issue 21: GraphiQL is 9 MB; its page now loads it as files a browser gets compressed and keeps.
it("loads GraphiQL's files compressed and cacheable, and a second visit takes them from the cache", async () => {
  const files = [...new Set(assetResponses.map((response) => new URL(response.url()).pathname))];
  expect(files.length).toBeGreaterThanOrEqual(5);
  for (const response of assetResponses) {
    expect(response.headers()['content-encoding'], response.url()).toBe('br');
    expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  for (const [asked, answered] of [['gzip', 'gzip'], ['gzip, deflate, br', 'br'], ['identity', null]] as const) {
    const answer = await fetch(`${server.url}${files[0]}`, { headers: { 'Accept-Encoding': asked } });
    expect(answer.headers.get('content-encoding')).toBe(answered);
    expect(answer.headers.get('vary')).toBe('Accept-Encoding');
  }

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // What came over the wire: a file taken from the cache has no bytes to count.
  const assetRequests = new Map<string, string>();
  const fromNetwork: string[] = [];
  cdp.on('Network.responseReceived', ({ requestId, response }) => void (isAsset(response.url) && assetRequests.set(requestId, response.url)));
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const url = assetRequests.get(requestId);
    if (url && encodedDataLength > 0) fromNetwork.push(url);
  });
  const again = await page.goto(`${server.url}/graphql`);
  expect(Number(again?.headers()['content-length'])).toBeLessThan(2000);
  await expect.poll(() => page.locator('.graphiql-editor').first().isVisible()).toBe(true);
  expect(assetRequests.size).toBeGreaterThanOrEqual(3);
  expect(fromNetwork).toEqual([]);
  expect(problems).toEqual([]);
});
