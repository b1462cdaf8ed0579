import { createAuthClient, type AuthClientOptions } from '../../packages/client/src/index.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';

export const endpoint = 'http://authgraph.test/graphql';

/** An app whose accounts may hold API keys without a mailed verification code. */
export const createClientTestApp = (env: Record<string, string> = {}) => createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false', ...env } });

/** The name of the operation a request body carries (`mutation Refresh(...)` gives Refresh). */
export function operationName(body: unknown): string {
  const query = String((JSON.parse(String(body)) as { query: string }).query);
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
}

/** A fetch into the app's handler, in process, that records the operation of each request. */
export function inProcessFetch(app: TestApp) {
  const operations: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    operations.push(operationName(init?.body));
    return app.app.fetch(new Request(input, init));
  };
  return { fetch, operations };
}

/** The client's own clock, moved by hand beside the server's. */
export function clientClock() {
  let now = Date.now();
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

/** A client of `app` with its own clock and a record of what it sent, for a freshly registered identity. */
export async function signedUpClient(app: TestApp, options: Partial<AuthClientOptions> = {}) {
  const { fetch, operations } = inProcessFetch(app);
  const clock = clientClock();
  const client = createAuthClient({ url: endpoint, fetch, clock, ...options });
  const identity = newIdentity();
  await client.signUp(identity);
  return { client, identity, operations, clock };
}
