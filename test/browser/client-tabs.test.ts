// Two tabs of one browser, both finding their access token expired at the same moment:
// @authgraph/client's Web Lock lets one refresh, and its BroadcastChannel hands the new
// tokens to the other, so the server sees a single refresh.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthClient, MemoryStorage, TokenStorage } from '../../packages/client/src/index.js';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { consoleSession, type ConsoleSession, eventTimeout, watchForProblems } from './browser.js';

/** A page that loads the client's browser build as the console does, keeping tokens as `?storage=` says. */
const tabPage = `<!doctype html>
<meta charset="utf-8">
<title>client tab</title>
<script type="module">
  import { createAuthClient, memoryStorage, webStorage } from '/console/assets/authgraph-client.js';
  const inLocalStorage = new URLSearchParams(location.search).get('storage') === 'local';
  const storage = inLocalStorage ? webStorage() : memoryStorage();
  const client = createAuthClient({ url: '/graphql', storage, clientType: inLocalStorage ? 'API' : 'BROWSER' });
  window.tab = { client, storage };
</script>`;

type Tab = { client: AuthClient; storage: MemoryStorage | TokenStorage };
declare const tab: Tab;

let session: ConsoleSession;
let app: TestApp;
let origin: string;
let browser: Browser;
beforeAll(async () => {
  session = await consoleSession({
    listener: (app) => (request, response) => {
      if (request.url?.startsWith('/tab.html')) response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(tabPage);
      else if (request.url === '/favicon.ico') response.writeHead(204).end();
      else app.app.listener(request, response);
    },
  });
  ({ app, origin, browser } = session);
});
afterAll(() => session?.close());

/** The request log's lines for one GraphQL operation (the client names its refresh `Refresh`). */
const loggedRequests = (operation: string) =>
  app.logLines.map((line) => JSON.parse(line) as { msg?: string; operation?: string; errors?: string[] }).filter((line) => line.msg === 'request' && line.operation === operation);

/**
 * Holds any refresh until both tabs have been refused with the expired token, so that both want
 * one at the same time (without the coordination each would then send its own).
 */
async function holdRefreshesUntilBothRefused(context: BrowserContext) {
  let refusals = 0;
  let release = () => {};
  const bothRefused = new Promise<void>((resolve) => (release = resolve));
  await context.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (body.includes('mutation Refresh')) {
      await bothRefused;
      return route.continue();
    }
    const response = await route.fetch();
    if (body.includes('query Whoami') && (await response.text()).includes('UNAUTHENTICATED') && ++refusals === 2) release();
    return route.fulfill({ response });
  });
}

const refusedWhoamis = () => loggedRequests('Whoami').filter((line) => line.errors?.includes('UNAUTHENTICATED'));

describe.each([
  ['memory, refresh token in the HttpOnly cookie', 'memory'],
  ['localStorage, refresh token beside the access token', 'local'],
])('two tabs, tokens in %s', (_title, storage) => {
  let context: BrowserContext;
  let problems: string[][];
  afterEach(async () => {
    expect(problems.flat()).toEqual([]);
    await context.close();
  });

  async function openTab(): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(eventTimeout);
    problems.push(await watchForProblems(page));
    await page.goto(`${origin}/tab.html?storage=${storage}`);
    await page.waitForFunction(() => 'tab' in window);
    return page;
  }

  it('make one refresh between them and end with the same new tokens', async () => {
    context = await browser.newContext();
    problems = [];
    const [first, second] = [await openTab(), await openTab()];
    const identity = newIdentity();
    await first.evaluate((identity) => tab.client.signUp(identity), identity);
    await first.evaluate(({ username, password }) => tab.client.signIn({ username, password }), identity);
    // The second tab learns the tokens from the first (a broadcast, or the shared localStorage).
    await second.waitForFunction(() => tab.storage.load() !== null);
    const before = await first.evaluate(() => tab.storage.load());
    const refreshesBefore = loggedRequests('Refresh').length;
    const refusalsBefore = refusedWhoamis().length;

    await holdRefreshesUntilBothRefused(context);
    app.clock.advance(app.config.jwt.accessTokenTtl * 1000 + 1000);
    const [firstWhoami, secondWhoami] = await Promise.all([first, second].map((page) => page.evaluate(() => tab.client.whoami())));

    expect(firstWhoami?.user?.username).toBe(identity.username);
    expect(secondWhoami?.user?.username).toBe(identity.username);
    // Both tabs were refused with the expired token, and only one of them refreshed.
    expect(refusedWhoamis().length - refusalsBefore).toBe(2);
    expect(loggedRequests('Refresh').length - refreshesBefore).toBe(1);
    expect(app.logLines.join('')).not.toContain('refresh-token-reuse');
    const [firstTokens, secondTokens] = await Promise.all([first, second].map((page) => page.evaluate(() => tab.storage.load())));
    expect(firstTokens?.accessToken).not.toBe(before?.accessToken);
    expect(secondTokens).toEqual(firstTokens);
  });
});
