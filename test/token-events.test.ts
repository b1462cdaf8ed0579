import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushBatchSize, flushIntervalMs } from '../src/token-events/writer.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { codeOf, refreshMutation, signIn, whoamiQuery } from './helpers/flows.js';
import { bearer, createKey, keyHeader, tokenLogQuery, userWithKey, verifiedSession } from './helpers/apikeys.js';
import { codes } from '../src/errors.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type LoggedEvent = { id: string; at: string; action: string; operation: string | null; outcome: string; ip: string | null; userAgent: string | null; tokenId: string };

async function fullLog(tokenId: string, auth: Record<string, string>): Promise<LoggedEvent[]> {
  await app.runtime.tokenEvents.flush();
  const result = await app.gql(tokenLogQuery, { tokenId, first: 100 }, auth);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.tokenLog.edges.map((edge: { node: LoggedEvent }) => edge.node);
}

const auditLogQuery = `query Audit($first: Int, $after: String, $userId: ID) {
  auditLog(first: $first, after: $after, userId: $userId) { nodes { action outcome operation tokenId } pageInfo { hasNextPage endCursor } }
}`;
const sessionsQuery = `{ sessions { id name device current createdAt lastUsedAt expiresAt } }`;

describe('key activity', () => {
  it('logs one entry per authenticated use, with the operation and its outcome, and never the key', async () => {
    const { key, auth } = await userWithKey(app, { scopes: ['account:read'] });
    app.clock.advance(1);
    await app.gql(`query Probe { whoami { credential { id } } }`, {}, keyHeader(key.rawKey));
    app.clock.advance(1);
    await app.gql(`{ account { username } whoami { credential { id } } }`, {}, { ...bearer(key.rawKey), 'user-agent': 'ci-runner/1.0' });
    app.clock.advance(1);
    await app.gql(`query Audit { auditLog { nodes { action } } }`, {}, keyHeader(key.rawKey));
    const log = await fullLog(key.apiKey.id, auth);
    expect(log.map(({ action, operation, outcome }) => ({ action, operation, outcome }))).toEqual([
      { action: 'request', operation: 'Audit', outcome: codes.FORBIDDEN },
      { action: 'request', operation: 'query account,whoami', outcome: 'success' },
      { action: 'request', operation: 'Probe', outcome: 'success' },
      { action: 'create', operation: null, outcome: 'success' },
    ]);
    expect(log[1]).toMatchObject({ userAgent: 'ci-runner/1.0', tokenId: key.apiKey.id });
    expect(JSON.stringify(await app.runtime.db.tokenEvent.findMany())).not.toContain(key.rawKey.slice(8));
  });

  it('writes a full batch of uses at once, without waiting for the timer', async () => {
    const { key } = await userWithKey(app);
    await app.runtime.tokenEvents.flush();
    const uses = () => app.runtime.db.tokenEvent.count({ where: { apiKeyId: key.apiKey.id, action: 'request' } });
    // Recorded in one go, as a burst of requests would be: the timer (a second away) cannot fire in between.
    for (let use = 0; use < flushBatchSize; use += 1) {
      app.runtime.tokenEvents.record({ action: 'request', outcome: 'success', operation: 'burst', apiKeyId: key.apiKey.id });
    }
    await vi.waitFor(async () => expect(await uses()).toBe(flushBatchSize), { timeout: flushIntervalMs / 2, interval: 10 });
  });

  it('written in bulk, each event reads back through Prisma as recorded, however many piled up', async () => {
    const { key } = await userWithKey(app);
    await app.runtime.tokenEvents.flush();
    const at = app.clock();
    const piled = flushBatchSize * 2 + 7;
    const written = app.runtime.tokenEvents.flush.bind(app.runtime.tokenEvents);
    // Held back, as a failed flush would: more than one statement's worth goes out in one write.
    app.runtime.tokenEvents.flush = () => Promise.resolve();
    try {
      for (let use = 0; use < piled; use += 1) {
        app.runtime.tokenEvents.record({ action: 'request', outcome: 'success', operation: `bulk ${use}`, client: { ip: '192.0.2.9' }, apiKeyId: key.apiKey.id });
      }
    } finally {
      app.runtime.tokenEvents.flush = written;
    }
    await app.runtime.tokenEvents.flush();
    const rows = await app.runtime.db.tokenEvent.findMany({ where: { apiKeyId: key.apiKey.id, operation: { startsWith: 'bulk ' } }, orderBy: { operation: 'asc' } });
    expect(rows).toHaveLength(piled);
    expect(rows[0]).toMatchObject({ at, outcome: 'success', operation: 'bulk 0', ip: '192.0.2.9', userAgent: null, userId: null, sessionId: null });
    const sameInstant = await app.runtime.db.tokenEvent.count({ where: { apiKeyId: key.apiKey.id, operation: { startsWith: 'bulk ' }, at } });
    expect(sameInstant).toBe(piled);
  });

  it('kept, not dropped nor logged as a failure, when a transaction in progress holds the write lock, and written once it ends', async () => {
    const { key } = await userWithKey(app);
    await app.runtime.tokenEvents.flush();
    const logged = app.logLines.length;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let writing!: () => void;
    const locked = new Promise<void>((resolve) => (writing = resolve));
    const transaction = app.runtime.db.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: key.apiKey.id }, data: { name: 'held' } });
      writing();
      await held;
    });
    await locked;
    app.runtime.tokenEvents.record({ action: 'request', outcome: 'success', operation: 'during a transaction', apiKeyId: key.apiKey.id });
    const flushing = app.runtime.tokenEvents.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await Promise.all([transaction, flushing]);
    await vi.waitFor(async () => expect(await app.runtime.db.tokenEvent.count({ where: { operation: 'during a transaction' } })).toBe(1), { timeout: 2000, interval: 10 });
    expect(app.logLines.slice(logged).join('')).not.toContain('not written');
  });

  it('keyed by time-ordered UUIDs (version 7), so that the log appends to its indexes', async () => {
    const { key, auth } = await userWithKey(app);
    for (let use = 0; use < 3; use += 1) {
      app.clock.advance(1);
      expect((await app.gql(whoamiQuery, {}, keyHeader(key.rawKey))).body.errors).toBeUndefined();
    }
    await app.runtime.tokenEvents.flush();
    const rows = await app.runtime.db.tokenEvent.findMany({ where: { apiKeyId: key.apiKey.id }, orderBy: { at: 'asc' } });
    expect(rows.map((row) => row.action)).toEqual(['create', 'request', 'request', 'request']);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(row.id.replace('-', '').slice(0, 12), 16)).toBe(row.at.getTime());
    }
    const ids = rows.map((row) => row.id);
    expect([...ids].sort()).toEqual(ids);
    expect((await app.gql(`query($id: ID!) { tokenLog(tokenId: $id, first: 10) { nodes { action } } }`, { id: key.apiKey.id }, auth)).body.data.tokenLog.nodes).toHaveLength(4);
  });

  it('logs the revocation, and a use of the revoked key as refused', async () => {
    const { key, auth } = await userWithKey(app);
    app.clock.advance(1);
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.apiKey.id }, auth);
    app.clock.advance(1);
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
    const log = await fullLog(key.apiKey.id, auth);
    expect(log.map(({ action, outcome }) => `${action}:${outcome}`)).toEqual(['request:UNAUTHENTICATED', 'revoke:success', 'create:success']);
  });

  it('pages newest first, stable while new events arrive', async () => {
    const { key, auth } = await userWithKey(app);
    for (let use = 0; use < 5; use += 1) {
      app.clock.advance(1);
      await app.gql(`query Use${use} { whoami { credential { id } } }`, {}, keyHeader(key.rawKey));
    }
    await app.runtime.tokenEvents.flush();
    const first = await app.gql(tokenLogQuery, { tokenId: key.apiKey.id, first: 2 }, auth);
    const seen = first.data.tokenLog.edges.map((edge: { node: LoggedEvent }) => edge.node.operation);
    expect(seen).toEqual(['Use4', 'Use3']);
    for (let use = 5; use < 8; use += 1) {
      app.clock.advance(1);
      await app.gql(`query Use${use} { whoami { credential { id } } }`, {}, keyHeader(key.rawKey));
    }
    await app.runtime.tokenEvents.flush();
    let after = first.data.tokenLog.pageInfo.endCursor;
    for (;;) {
      const page = await app.gql(tokenLogQuery, { tokenId: key.apiKey.id, first: 2, after }, auth);
      seen.push(...page.data.tokenLog.edges.map((edge: { node: LoggedEvent }) => edge.node.operation));
      if (!page.data.tokenLog.pageInfo.hasNextPage) break;
      after = page.data.tokenLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Use4', 'Use3', 'Use2', 'Use1', 'Use0', null]);
  });

  it('another user’s token log is NOT_FOUND', async () => {
    const { key } = await userWithKey(app);
    const stranger = await verifiedSession(app);
    expect(codeOf(await app.gql(tokenLogQuery, { tokenId: key.apiKey.id }, stranger.auth))).toBe(codes.NOT_FOUND);
  });
});

describe('session activity', () => {
  it('logs the login, each refresh and a reuse detection on the session', async () => {
    const { identity } = await verifiedSession(app);
    app.clock.advance(1);
    const tokens = await signIn(app, identity);
    const sessionId = (await app.gql(whoamiQuery, {}, bearer(tokens.accessToken))).data.whoami.credential.id;
    app.clock.advance(1);
    expect((await app.gql(refreshMutation, { refreshToken: tokens.refreshToken })).errors).toBeUndefined();
    app.clock.advance((app.config.refresh.reuseGrace + 1) * 1000);
    expect(codeOf(await app.gql(refreshMutation, { refreshToken: tokens.refreshToken }))).toBe(codes.UNAUTHENTICATED);
    const viewer = await signIn(app, identity);
    const log = await fullLog(sessionId, bearer(viewer.accessToken));
    expect(log.map(({ action, outcome }) => `${action}:${outcome}`)).toEqual(['reuse-detected:UNAUTHENTICATED', 'refresh:success', 'login:success']);
    expect(log.at(-1)).toMatchObject({ userAgent: 'vitest', tokenId: sessionId });
  });

  it('auditLog gathers every event of the account, its credentials\' included; only admins may name another account', async () => {
    const { auth, user } = await verifiedSession(app);
    app.clock.advance(1);
    const key = await createKey(app, auth);
    app.clock.advance(1);
    await app.gql(whoamiQuery, {}, keyHeader(key.rawKey));
    await app.runtime.tokenEvents.flush();
    const audit = await app.gql(auditLogQuery, {}, auth);
    const actions = audit.data.auditLog.nodes.map((event: { action: string }) => event.action);
    // Registration and sign-in happened at the same instant of the test's clock: either order.
    expect([...actions.slice(0, 2), ...actions.slice(2).sort()]).toEqual(['request', 'create', 'login', 'register']);
    const stranger = await verifiedSession(app);
    expect(codeOf(await app.gql(auditLogQuery, { userId: user.id }, stranger.auth))).toBe(codes.FORBIDDEN);
  });
});

describe('sessions', () => {
  it('lists the active sign-ins with the current one marked, and revokes one or all others', async () => {
    const { identity, auth } = await verifiedSession(app, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' });
    const second = await signIn(app, identity, { userAgent: 'curl/8.5.0' });
    const third = await signIn(app, identity);
    const listed = await app.gql(sessionsQuery, {}, auth);
    expect(listed.data.sessions).toHaveLength(3);
    const current = listed.data.sessions.filter((session: { current: boolean }) => session.current);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ name: expect.stringMatching(/^firefox-132-on-linux-[a-z0-9]{8}$/), device: 'Firefox 132 on Linux' });

    const curlSession = listed.data.sessions.find((session: { name: string }) => session.name.startsWith('curl'));
    const revoked = await app.gql(`mutation($id: ID!) { revokeSession(id: $id) { id current } }`, { id: curlSession.id }, auth);
    expect(revoked.data.revokeSession).toEqual({ id: curlSession.id, current: false });
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(second.accessToken)))).toBe(codes.UNAUTHENTICATED);

    expect((await app.gql(`mutation { revokeOtherSessions }`, {}, auth)).data.revokeOtherSessions).toBe(1);
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(third.accessToken)))).toBe(codes.UNAUTHENTICATED);
    expect((await app.gql(sessionsQuery, {}, auth)).data.sessions.map((session: { id: string }) => session.id)).toEqual([current[0].id]);
  });

  it('another user’s session cannot be revoked: NOT_FOUND', async () => {
    const owner = await verifiedSession(app);
    const stranger = await verifiedSession(app);
    const ownerSession = (await app.gql(sessionsQuery, {}, owner.auth)).data.sessions[0].id;
    expect(codeOf(await app.gql(`mutation($id: ID!) { revokeSession(id: $id) { id } }`, { id: ownerSession }, stranger.auth))).toBe(codes.NOT_FOUND);
    expect((await app.gql(whoamiQuery, {}, owner.auth)).errors).toBeUndefined();
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM writes the batched log and lastUsedAt before the server exits', async () => {
    const { key } = await userWithKey(app);
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATA_DIR: app.dataDir, DATABASE_URL: app.config.databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let url = '';
    for await (const line of createInterface({ input: server.stdout! })) {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'authgraph is listening') {
        url = entry.url!;
        break;
      }
    }
    for (let use = 0; use < 3; use += 1) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...keyHeader(key.rawKey) },
        body: JSON.stringify({ query: `query Shutdown${use} { whoami { credential { id } } }` }),
      });
      expect(response.status).toBe(200);
    }
    server.kill('SIGTERM');
    const [exitCode] = await once(server, 'exit');
    expect(exitCode).toBe(0);
    const requests = await app.runtime.db.tokenEvent.count({ where: { apiKeyId: key.apiKey.id, action: 'request' } });
    expect(requests).toBe(3);
    expect((await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } })).lastUsedAt).not.toBeNull();
  });
});
