import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createApiKeyMutation, createKey, keyHeader, userWithKey, verifiedSession } from '../helpers/apikeys.js';
import { codeOf } from '../helpers/flows.js';
import { bearer, call } from '../helpers/rest.js';
import { codes } from '../../src/errors.js';

// Issue 8, attack 10: a key is shown once, revocation is immediate on every door, each
// authenticated use is logged once, and a wrong key learns nothing.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const displayPrefixLength = 'sk_live_'.length + 4;
const probe = `query Probe { whoami { credential { id } } }`;

/** The key on each door: GraphQL and REST, X-API-Key and Authorization: Bearer. */
function doors(rawKey: string) {
  return [
    ['GraphQL, X-API-Key', () => app.gql(probe, {}, keyHeader(rawKey)).then((result) => ({ ok: !result.errors, answer: result.body, status: result.status }))],
    ['GraphQL, Bearer', () => app.gql(probe, {}, bearer(rawKey)).then((result) => ({ ok: !result.errors, answer: result.body, status: result.status }))],
    ['REST, X-API-Key', () => call(app, 'GET', '/v1/token', { headers: keyHeader(rawKey) }).then((result) => ({ ok: result.status === 200, answer: result.body, status: result.status }))],
    ['REST, Bearer', () => call(app, 'GET', '/v1/token', { headers: bearer(rawKey) }).then((result) => ({ ok: result.status === 200, answer: result.body, status: result.status }))],
  ] as const;
}

/** Everything the owner can read about their account and keys, through every query and every REST route that reads. */
async function everythingReadable(auth: Record<string, string>, rawKey: string, keyId: string) {
  const documents = [
    `{ apiKeys(first: 100) { nodes { id name prefix environment scopes createdAt lastUsedAt expiresAt revokedAt isActive owner { __typename } } } }`,
    `query($id: ID!) { apiKey(id: $id) { id name prefix scopes } }`,
    `query($id: ID!) { tokenLog(tokenId: $id, first: 100) { nodes { id action operation outcome ip userAgent tokenId } } }`,
    `{ auditLog(first: 100) { nodes { id action operation outcome tokenId } } }`,
    `{ whoami { user { id username email } credential { id kind name environment scopes } } account { username email } sessions { id name } }`,
  ];
  const answers: unknown[] = [];
  for (const document of documents) answers.push((await app.gql(document, { id: keyId }, auth)).body);
  answers.push((await app.gql(probe, {}, keyHeader(rawKey))).body);
  const readRoutes = app.restRoutes.filter((route) => route.method === 'GET' && route.auth !== 'public' && route.auth !== 'password');
  expect(readRoutes.length).toBeGreaterThan(3);
  for (const route of readRoutes) {
    const path = route.path.replace(/\{[^}]+\}/g, keyId);
    answers.push((await call(app, 'GET', path, { headers: auth })).body);
    answers.push((await call(app, 'GET', path, { headers: keyHeader(rawKey) })).body);
  }
  return JSON.stringify(answers);
}

describe('shown once', () => {
  it('no query or REST route gives the key back; listings show only its prefix', async () => {
    const { key, auth } = await userWithKey(app);
    const secretPart = key.rawKey.slice(displayPrefixLength);
    expect(key.apiKey.prefix).toBe(key.rawKey.slice(0, displayPrefixLength));
    const readable = await everythingReadable(auth, key.rawKey, key.apiKey.id);
    expect(readable).toContain(key.apiKey.prefix);
    expect(readable).not.toContain(secretPart);
    expect(readable).not.toContain(secretPart.slice(0, 16));
  });

  it('rolling shows the new secret once, and neither secret is readable afterwards', async () => {
    const { key, auth } = await userWithKey(app);
    const rolled = await app.gql(`mutation($id: ID!) { rollApiKey(id: $id, gracePeriodSeconds: 60) { rawKey apiKey { prefix } } }`, { id: key.apiKey.id }, auth);
    const fresh = rolled.data.rollApiKey as { rawKey: string; apiKey: { prefix: string } };
    expect(fresh.apiKey.prefix).toBe(fresh.rawKey.slice(0, displayPrefixLength));
    const readable = await everythingReadable(auth, fresh.rawKey, key.apiKey.id);
    for (const raw of [key.rawKey, fresh.rawKey]) expect(readable).not.toContain(raw.slice(displayPrefixLength));
  });
});

describe('revocation', () => {
  it('a revoked key is refused on the very next request on every door, although each had it cached', async () => {
    const { key, auth } = await userWithKey(app);
    for (const [door, use] of doors(key.rawKey)) expect((await use()).ok, door).toBe(true);
    const revoked = await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { isActive } }`, { id: key.apiKey.id }, auth);
    expect(revoked.data.revokeApiKey.isActive).toBe(false);
    for (const [door, use] of doors(key.rawKey)) {
      const answer = await use();
      expect(answer.ok, door).toBe(false);
      expect(JSON.stringify(answer.answer), door).toContain(codes.UNAUTHENTICATED);
    }
  });
});

describe('the activity log', () => {
  it('holds exactly one entry per authenticated use, on GraphQL and REST alike', async () => {
    const { key, auth } = await userWithKey(app);
    const uses = doors(key.rawKey);
    for (const [, use] of [...uses, ...uses]) expect((await use()).ok).toBe(true);
    await app.runtime.tokenEvents.flush();
    const log = await app.gql(`query($id: ID!) { tokenLog(tokenId: $id, first: 100) { nodes { action operation outcome } } }`, { id: key.apiKey.id }, auth);
    const requests = (log.data.tokenLog.nodes as { action: string; operation: string; outcome: string }[]).filter((event) => event.action === 'request');
    expect(requests.filter((event) => event.operation === 'Probe')).toHaveLength(4);
    expect(requests.filter((event) => event.operation?.includes('/v1/token'))).toHaveLength(4);
    expect(requests).toHaveLength(8);
    expect(requests.every((event) => event.outcome === 'success')).toBe(true);
  });
});

describe('a wrong key', () => {
  it('gets the same answer as a malformed, foreign, revoked or expired one, on every door', async () => {
    const { key, auth } = await userWithKey(app);
    const session = await verifiedSession(app);
    const revoked = await createKey(app, session.auth, { name: 'revoked' });
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: revoked.apiKey.id }, session.auth);
    const expiring = await createKey(app, auth, { name: 'expiring', expiresAt: new Date(app.clock().getTime() + 60_000).toISOString() });
    app.clock.advance(61_000);
    const flipped = key.rawKey.at(-1) === 'A' ? 'B' : 'A';
    const candidates = {
      'a wrong secret': key.rawKey.slice(0, -1) + flipped,
      'a truncated key': key.rawKey.slice(0, -3),
      'a key with another prefix': key.rawKey.replace(/^sk_/, 'pk_'),
      'a random string': 'not-a-key-at-all',
      'a revoked key': revoked.rawKey,
      'an expired key': expiring.rawKey,
    };
    const answersByDoor = new Map<string, Set<string>>();
    for (const [name, candidate] of Object.entries(candidates)) {
      for (const [door, use] of doors(candidate)) {
        const answer = await use();
        expect(answer.ok, `${name} on ${door}`).toBe(false);
        answersByDoor.set(door, (answersByDoor.get(door) ?? new Set()).add(JSON.stringify([answer.status, answer.answer])));
      }
    }
    for (const [door, answers] of answersByDoor) expect([...answers], door).toHaveLength(1);
    expect(codeOf((await app.gql(probe, {}, keyHeader(candidates['a wrong secret']))))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('a disabled account', () => {
  it('mints no key with an access token that is still unexpired, over GraphQL or REST', async () => {
    const { user, auth } = await verifiedSession(app);
    await app.runtime.db.user.update({ where: { id: user.id }, data: { disabledAt: app.clock() } });
    const graphql = await app.gql(createApiKeyMutation, { input: { name: 'after the ban' } }, auth);
    expect(codeOf(graphql)).toBe(codes.UNAUTHENTICATED);
    const rest = await call(app, 'POST', '/v1/auth/api-keys', { headers: auth, body: { name: 'after the ban' } });
    expect(rest.status).toBe(401);
    expect(await app.runtime.db.apiKey.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe('requests per key per minute, by plan', () => {
  it('a FREE key is refused past API_KEY_RPM_FREE on every door, a PRO key gets more, and sessions never count', async () => {
    const limited = await createTestApp({ env: { API_KEY_RPM_FREE: '3', API_KEY_RPM_PRO: '6' } });
    try {
      const free = await userWithKey(limited);
      const pro = await userWithKey(limited);
      await limited.runtime.db.user.update({ where: { id: pro.user.id }, data: { plan: 'PRO' } });
      const use = (rawKey: string) => limited.gql(probe, {}, keyHeader(rawKey));
      for (let request = 0; request < 3; request += 1) expect((await use(free.key.rawKey)).errors).toBeUndefined();
      const refused = await use(free.key.rawKey);
      expect(codeOf(refused)).toBe(codes.RATE_LIMITED);
      expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
      const rest = await call(limited, 'GET', '/v1/token', { headers: bearer(free.key.rawKey) });
      expect(rest.status).toBe(429);
      expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);

      const proAnswers = [];
      for (let request = 0; request < 7; request += 1) proAnswers.push(codeOf(await use(pro.key.rawKey)) ?? 'ok');
      expect(proAnswers).toEqual([...Array(6).fill('ok'), codes.RATE_LIMITED]);

      for (let request = 0; request < 10; request += 1) expect((await limited.gql(probe, {}, free.auth)).errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});
