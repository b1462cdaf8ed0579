import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountDisabled } from '../../src/accounts/disable.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime } from '../../src/create-runtime.js';
import { codes } from '../../src/errors.js';
import type { Runtime } from '../../src/runtime.js';
import { capturingLogger, createTestApp, type TestApp } from '../helpers/app.js';
import { bearer, createKey, keyHeader, verifiedSession } from '../helpers/apikeys.js';
import { codeOf } from '../helpers/flows.js';

// Issue 19 (Medium): `npm run admin -- disable` on one instance must reach another within a
// few seconds even without Redis: no access token, session token or cached key of the
// disabled account is accepted there, and nothing there mints a credential for it.
const withoutRedis = { REDIS_URL: undefined } as unknown as Record<string, string>;

let a: TestApp;
let bRuntime: Runtime;
let b: App;

beforeAll(async () => {
  a = await createTestApp({ env: withoutRedis });
  // A second instance on the same database, with the same clock, and no Redis to hear A's news.
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: a.dataDir, DATABASE_URL: a.config.databaseUrl, REDIS_KEY_PREFIX: 'disable-b' });
  bRuntime = await createRuntime(config, { clock: a.clock, logger: capturingLogger().logger });
  b = createApp(bRuntime);
});
afterAll(async () => {
  await bRuntime.close();
  await a.close();
});

const onB = (path: string, init: RequestInit = {}) => b.fetch(new Request(`http://authgraph.test${path}`, init));
const gqlOnB = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
  const response = await onB('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] };
};

describe('disabling an account without Redis', () => {
  it('another instance refuses its access token and its cached key within seconds, and rolls no key for it', async () => {
    const session = await verifiedSession(a);
    const key = await createKey(a, session.auth);
    // B verifies both, and caches the key (API_KEY_CACHE_TTL is 30 s).
    expect((await gqlOnB('{ whoami { user { id } } }', {}, session.auth)).data.whoami.user.id).toBe(session.user.id);
    expect((await onB('/v1/token', { headers: keyHeader(key.rawKey) })).status).toBe(200);
    expect((await onB('/v1/admin/tokens', { headers: session.auth })).status).toBe(200);

    await setAccountDisabled(a.runtime, session.identity.username, true);
    a.clock.advance(5_001);

    expect(codeOf(await gqlOnB('{ sessions { id } }', {}, session.auth))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await gqlOnB('{ apiKeys { nodes { id } } }', {}, session.auth))).toBe(codes.UNAUTHENTICATED);
    expect((await onB('/v1/admin/tokens', { headers: session.auth })).status).toBe(401);
    expect((await onB('/v1/token', { headers: keyHeader(key.rawKey) })).status).toBe(401);
    expect((await onB('/v1/whoami', { headers: bearer(key.rawKey) })).status).toBe(401);
    const roll = await gqlOnB('mutation($id: ID!) { rollApiKey(id: $id) { rawKey } }', { id: key.apiKey.id }, session.auth);
    expect(roll.data?.rollApiKey).toBeFalsy();
    expect(codeOf(roll)).toBe(codes.UNAUTHENTICATED);
    const stored = await a.runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } });
    expect(stored.prefix).toBe(key.apiKey.prefix);
  });

  it('enabling it again lets a new sign-in work on both (the old sessions stay ended)', async () => {
    const session = await verifiedSession(a);
    await setAccountDisabled(a.runtime, session.identity.username, true);
    await setAccountDisabled(a.runtime, session.identity.username, false);
    a.clock.advance(5_001);
    expect(codeOf(await gqlOnB('{ whoami { user { id } } }', {}, session.auth))).toBe(codes.UNAUTHENTICATED);
    const login = await gqlOnB(
      'mutation($i: LoginInput!) { login(input: $i) { accessToken } }',
      { i: { username: session.identity.username, password: session.identity.password } },
      {},
    );
    const fresh = bearer(login.data.login.accessToken);
    expect((await gqlOnB('{ whoami { user { id } } }', {}, fresh)).data.whoami.user.id).toBe(session.user.id);
  });
});
