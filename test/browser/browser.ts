import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser (`.ci/run` installs it when missing). */
export const chromiumPath = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
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
