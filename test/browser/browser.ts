import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startSmtpServer } from '../helpers/smtp.js';

/** Debian's Chromium, which `.ci/run` installs. */
const debianChromium = '/usr/bin/chromium';

/** How long an extraction of the bundled Chromium may hold its lock before the lock counts as left by a dead process. */
const staleLockMs = 120_000;

/**
 * The Chromium that @sparticuz/chromium ships inside its npm package, extracted to
 * /tmp/chromium on first use. Test files run in parallel workers: one extracts while
 * the others wait, or they would launch a half-written binary.
 */
async function bundledChromium(): Promise<string> {
  const { default: bundled } = await import('@sparticuz/chromium');
  const lock = join(tmpdir(), 'authgraph-chromium.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const heldSince = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (heldSince !== undefined && Date.now() - heldSince > staleLockMs) rmdirSync(lock);
      else await sleep(200);
    }
  }
  try {
    return await bundled.executablePath();
  } finally {
    rmdirSync(lock);
  }
}

/**
 * Debian's Chromium when installed, else the one from the npm registry, so that `npm test`
 * runs on a machine without it; AUTHGRAPH_TEST_BROWSER=bundled asks for the npm one.
 */
async function chromiumExecutable(): Promise<string> {
  if (process.env.AUTHGRAPH_TEST_BROWSER !== 'bundled' && statSync(debianChromium, { throwIfNoEntry: false })) return debianChromium;
  return bundledChromium();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumExecutable(),
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * How long to wait for something a page does in answer to the test (a GraphQL round trip, a render):
 * far more than it takes on a busy two-core machine (the server hashes on its lowest-priority
 * threads), yet inside vitest's 120 s per test, so that a real failure is reported as the event
 * that did not happen rather than as a test timeout.
 */
export const eventTimeout = 60_000;

export const artifactsDirectory = new URL('../../test-artifacts/', import.meta.url);

export function screenshot(page: Page, name: string) {
  mkdirSync(artifactsDirectory, { recursive: true });
  return page.screenshot({ path: new URL(`${name}.png`, artifactsDirectory).pathname, fullPage: true });
}

/**
 * Collects what must not happen on a page: CSP violations (from the page's own
 * `securitypolicyviolation` events) and console errors, which is how Chromium
 * also reports a blocked resource.
 */
export async function watchForProblems(page: Page) {
  const problems: string[] = [];
  await page.exposeFunction('reportPolicyViolation', (text: string) => problems.push(`CSP: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportPolicyViolation: (text: string) => void }).reportPolicyViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      );
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Serves `listener` on a free loopback port: its origin, and how to stop it. */
export async function serveOnLoopback(listener: RequestListener) {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/**
 * axe-core's serious and critical violations on the page as it is now, one line each
 * (empty when there are none). axe is evaluated through the DevTools protocol, which
 * the page's Content-Security-Policy does not govern, so the page's own policy stays on.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(
    () => (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe
      .run(document, { resultTypes: ['violations'] })
      .then(({ violations }) => violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }))),
  );
  return violations
    .filter(({ impact }) => impact === 'serious' || impact === 'critical')
    .map(({ id, impact, help, nodes }) => `${impact} ${id}: ${help} (${nodes.map(({ target }) => target.join(' ')).join(', ')})`);
}

/** The two widths every console and mail page is tried at: a laptop and a phone. */
export const viewports = [
  { name: 'wide', width: 1280, height: 900 },
  { name: 'narrow', width: 390, height: 844 },
] as const;

/** At each width: a screenshot named `${name}-${width}`, and no serious accessibility violation. */
export async function checkAtBothWidths(page: Page, name: string) {
  const original = page.viewportSize();
  for (const { width, height } of viewports) {
    await page.setViewportSize({ width, height });
    await screenshot(page, `${name}-${width}`);
    const problems = await accessibilityProblems(page);
    if (problems.length > 0) throw new Error(`Accessibility problems on ${name} at ${width} px:\n${problems.join('\n')}`);
  }
  if (original) await page.setViewportSize(original);
}

/**
 * What a console test starts from: the app in process (with a local SMTP server when `mail`),
 * a listening server in front of it (or `listener`'s wrapper of it), and Chromium.
 */
export async function consoleSession(options: { env?: Record<string, string>; mail?: boolean; listener?: (app: TestApp) => RequestListener } = {}) {
  const smtp = options.mail ? await startSmtpServer() : null;
  const app = await createTestApp({ env: { ...(smtp ? { SMTP_URL: smtp.url } : {}), ...options.env } });
  const server = await serveOnLoopback(options.listener?.(app) ?? app.app.listener);
  const browser = await launchChromium();
  return {
    app,
    smtp,
    origin: server.origin,
    browser,
    /** A page in a fresh browser context (no cookie of another page's session), watched for problems. */
    async openPage(contextOptions: BrowserContextOptions = {}) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions })).newPage();
      page.setDefaultTimeout(eventTimeout);
      return { page, problems: await watchForProblems(page) };
    },
    /** Signs in on the console's sign-in page with a password, and waits for the account page. */
    async signIn(page: Page, identity: { username: string; password: string }) {
      await page.goto(`${server.origin}/console`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByLabel('Username or e-mail').fill(identity.username);
      await page.getByLabel('Password', { exact: true }).fill(identity.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    },
    async close() {
      await browser.close();
      await server.close();
      await app.close();
      await smtp?.close();
    },
  };
}

export type ConsoleSession = Awaited<ReturnType<typeof consoleSession>>;
