import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes, refusals } from '../src/errors.js';
import { createApp } from '../src/app.js';
import { listen } from '../src/http/listen.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { codeOf, registeredSession } from './helpers/flows.js';
import { bearer, createApiKeyMutation, createKey, keyHeader, userWithKey, verifiedSession, whoamiWithKeyQuery } from './helpers/apikeys.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const apiKeysQuery = `query Keys($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) { edges { cursor node { id name prefix } } nodes { id } pageInfo { hasNextPage endCursor } }
}`;
const apiKeyQuery = `query Key($id: ID!) { apiKey(id: $id) { id name prefix lastUsedAt isActive revokedAt owner { __typename ... on User { username } } } }`;
const revokeMutation = `mutation Revoke($id: ID!) { revokeApiKey(id: $id) { id isActive revokedAt } }`;
const rollMutation = `mutation Roll($id: ID!, $grace: Int) { rollApiKey(id: $id, gracePeriodSeconds: $grace) { rawKey apiKey { id name prefix scopes } } }`;
const accountQuery = `{ account { username role } }`;
const tokenLogQuery = `query Log($id: ID!) { tokenLog(tokenId: $id) { nodes { action } } }`;

describe('creating a key', () => {
  it('returns the raw key once, in the documented format, and stores only a peppered hash', async () => {
    const { key } = await userWithKey(app);
    expect(key.rawKey).toMatch(/^sk_live_[\w-]{43}$/);
    expect(key.apiKey.prefix).toBe(key.rawKey.slice(0, 'sk_live_'.length + 4));
    const stored = await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } });
    expect(JSON.stringify(stored)).not.toContain(key.rawKey.slice('sk_live_'.length));
    expect(app.logLines.join('')).not.toContain(key.rawKey);
  });

  it('keeps a description of what the key is for, up to 500 characters', async () => {
    const { auth } = await verifiedSession(app);
    const created = await app.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { description } } }`, {
      input: { name: 'described', description: 'nightly export to the warehouse' },
    }, auth);
    expect(created.data.createApiKey.apiKey.description).toBe('nightly export to the warehouse');
    const tooLong = await app.gql(createApiKeyMutation, { input: { name: 'long', description: 'x'.repeat(501) } }, auth);
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: codes.BAD_USER_INPUT, fields: [{ field: 'description' }] });
  });

  it('lists keys afterwards with only their prefix', async () => {
    const { key, auth } = await userWithKey(app);
    const listed = await app.gql(apiKeysQuery, {}, auth);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.apiKeys.edges.map((edge: { node: { id: string } }) => edge.node)).toEqual([
      { id: key.apiKey.id, name: 'ci', prefix: key.apiKey.prefix },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key.rawKey);
    const rawKeyField = await app.gql(`{ apiKeys { nodes { rawKey } } }`, {}, auth);
    expect(codeOf(rawKeyField)).toBe(codes.GRAPHQL_VALIDATION_FAILED);
  });

  it('refuses unknown scopes, a past expiry and an empty name with BAD_USER_INPUT', async () => {
    const { auth } = await verifiedSession(app);
    for (const [input, field] of [
      [{ name: 'x', scopes: ['everything'] }, 'scopes.0'],
      [{ name: 'x', expiresAt: new Date(app.clock().getTime() - 1000).toISOString() }, 'expiresAt'],
      [{ name: '  ' }, 'name'],
    ] as const) {
      const result = await app.gql(createApiKeyMutation, { input }, auth);
      expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
      expect(result.errors?.[0]?.extensions?.fields?.[0]?.field).toBe(field);
    }
  });

  it('needs a verified e-mail address unless REQUIRE_VERIFIED_EMAIL=false', async () => {
    const { auth } = await registeredSession(app);
    const refused = await app.gql(createApiKeyMutation, { input: { name: 'too-early' } }, auth);
    expect(codeOf(refused)).toBe(codes.FORBIDDEN);
    expect(refused.errors?.[0]?.message).toBe(refusals.emailNotVerified.message);
    const relaxed = await createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
    try {
      const session = await registeredSession(relaxed);
      expect((await relaxed.gql(createApiKeyMutation, { input: { name: 'fine' } }, session.auth)).errors).toBeUndefined();
    } finally {
      await relaxed.close();
    }
  });

  it('uses the configured prefix (RESTume-style rst_)', async () => {
    const restume = await createTestApp({ env: { API_KEY_PREFIX: 'rst' } });
    try {
      const { key } = await userWithKey(restume);
      expect(key.rawKey).toMatch(/^rst_live_[\w-]{43}$/);
      expect(key.apiKey.prefix).toMatch(/^rst_live_.{4}$/);
      expect((await restume.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    } finally {
      await restume.close();
    }
  });
});

describe('using a key', () => {
  it.each([
    ['X-API-Key', (key: string) => keyHeader(key)],
    ['Authorization: Bearer', (key: string) => bearer(key)],
  ])('whoami and account accept it as %s', async (_header, headers) => {
    const { key, user, identity } = await userWithKey(app);
    const who = await app.gql(whoamiWithKeyQuery, {}, headers(key.rawKey));
    expect(who.errors).toBeUndefined();
    expect(who.data.whoami).toEqual({
      user: { id: user.id, username: identity.username },
      serviceAccount: null,
      credential: { kind: 'API_KEY', id: key.apiKey.id, name: 'ci', environment: 'LIVE', scopes: ['account:read', 'tokens:read', 'tokens:write'] },
    });
    const account = await app.gql(accountQuery, {}, headers(key.rawKey));
    expect(account.data.account).toEqual({ username: identity.username, role: 'USER' });
  });

  it('refuses a wrong, truncated or foreign-prefix key with the same UNAUTHENTICATED answer', async () => {
    const { key } = await userWithKey(app);
    const last = key.rawKey.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of [key.rawKey.slice(0, -1) + last, key.rawKey.slice(0, -1), key.rawKey.replace(/^sk_/, 'rst_')]) {
      const result = await app.gql(whoamiWithKeyQuery, {}, keyHeader(wrong));
      expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
      expect(result.errors?.[0]?.message).toBe(errorCodes.UNAUTHENTICATED.message);
    }
  });

  it('refuses a key and a different session token in one request', async () => {
    const { key, auth } = await userWithKey(app);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, { ...auth, ...keyHeader(key.rawKey) }))).toBe(codes.UNAUTHENTICATED);
  });

  it('shows lastUsedAt at once and writes it with the next flush, not per request', async () => {
    const { key, auth } = await userWithKey(app);
    app.clock.advance(5000);
    await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey));
    const usedAt = app.clock().toISOString();
    expect((await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } })).lastUsedAt).toBeNull();
    expect((await app.gql(apiKeyQuery, { id: key.apiKey.id }, auth)).data.apiKey.lastUsedAt).toBe(usedAt);
    await app.runtime.tokenEvents.flush();
    expect((await app.runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.apiKey.id } })).lastUsedAt?.toISOString()).toBe(usedAt);
  });
});

describe('key info and listing', () => {
  it('apiKey gives one of the caller’s keys with its owner, and null for another user’s', async () => {
    const { key, auth, identity } = await userWithKey(app);
    const own = await app.gql(apiKeyQuery, { id: key.apiKey.id }, auth);
    expect(own.data.apiKey).toMatchObject({ id: key.apiKey.id, isActive: true, revokedAt: null, owner: { __typename: 'User', username: identity.username } });
    const stranger = await verifiedSession(app);
    expect((await app.gql(apiKeyQuery, { id: key.apiKey.id }, stranger.auth)).data.apiKey).toBeNull();
  });

  it('pages newest first with opaque cursors', async () => {
    const { auth } = await verifiedSession(app);
    const created: string[] = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) {
      created.push((await createKey(app, auth, { name })).apiKey.id);
      app.clock.advance(1);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await app.gql(apiKeysQuery, { first: 2, after }, auth);
      seen.push(...page.data.apiKeys.nodes.map((node: { id: string }) => node.id));
      if (!page.data.apiKeys.pageInfo.hasNextPage) break;
      after = page.data.apiKeys.pageInfo.endCursor;
    }
    expect(seen).toEqual([...created].reverse());
    expect(codeOf(await app.gql(apiKeysQuery, { after: 'not-a-cursor' }, auth))).toBe(codes.BAD_USER_INPUT);
    expect(codeOf(await app.gql(apiKeysQuery, { first: 1000 }, auth))).toBe(codes.BAD_USER_INPUT);
  });
});

describe('revocation and expiry', () => {
  it('a revoked key is refused on the very next request, although it was cached', async () => {
    const { key, auth } = await userWithKey(app);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    const revoked = await app.gql(revokeMutation, { id: key.apiKey.id }, auth);
    expect(revoked.data.revokeApiKey).toMatchObject({ id: key.apiKey.id, isActive: false });
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
  });

  it('another user cannot revoke a key: NOT_FOUND, and the key keeps working', async () => {
    const { key } = await userWithKey(app);
    const stranger = await verifiedSession(app);
    expect(codeOf(await app.gql(revokeMutation, { id: key.apiKey.id }, stranger.auth))).toBe(codes.NOT_FOUND);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
  });

  it('an expiring key works until expiresAt, then is refused', async () => {
    const expiresAt = new Date(app.clock().getTime() + 60_000).toISOString();
    const { key } = await userWithKey(app, { expiresAt });
    expect(key.apiKey.expiresAt).toBe(expiresAt);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
    app.clock.advance(60_000);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
  });

  it('a key without expiresAt does not expire', async () => {
    const { key } = await userWithKey(app);
    expect(key.apiKey.expiresAt).toBeNull();
    app.clock.advance(400 * 24 * 3600 * 1000);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).errors).toBeUndefined();
  });

  it('a key of a disabled user is refused', async () => {
    const isolated = await createTestApp({ env: { API_KEY_CACHE_TTL: '0' } });
    try {
      const { key, user } = await userWithKey(isolated);
      await isolated.runtime.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      expect(codeOf(await isolated.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
    } finally {
      await isolated.close();
    }
  });
});

describe('rolling a key', () => {
  it('keeps id, name and scopes, gives a new secret, and accepts the old one until the grace period ends', async () => {
    const { key, auth } = await userWithKey(app, { scopes: ['account:read'] });
    const rolled = await app.gql(rollMutation, { id: key.apiKey.id, grace: 60 }, auth);
    expect(rolled.errors).toBeUndefined();
    const { rawKey, apiKey } = rolled.data.rollApiKey;
    expect(apiKey).toMatchObject({ id: key.apiKey.id, name: 'ci', scopes: ['account:read'] });
    expect(rawKey).not.toBe(key.rawKey);
    expect(apiKey.prefix).toBe(rawKey.slice(0, 'sk_live_'.length + 4));
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(rawKey))).data.whoami.credential.id).toBe(key.apiKey.id);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey))).data.whoami.credential.id).toBe(key.apiKey.id);
    app.clock.advance(60_000);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
    expect((await app.gql(whoamiWithKeyQuery, {}, keyHeader(rawKey))).errors).toBeUndefined();
    await app.runtime.tokenEvents.flush();
    const log = await app.gql(tokenLogQuery, { id: key.apiKey.id }, auth);
    expect(log.data.tokenLog.nodes.map((event: { action: string }) => event.action)).toContain('roll');
  });

  it('without a grace period the old secret stops at once; a revoked key cannot be rolled', async () => {
    const { key, auth } = await userWithKey(app);
    const rolled = await app.gql(rollMutation, { id: key.apiKey.id }, auth);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
    await app.gql(revokeMutation, { id: key.apiKey.id }, auth);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(rolled.data.rollApiKey.rawKey)))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(rollMutation, { id: key.apiKey.id }, auth))).toBe(codes.BAD_USER_INPUT);
    expect(codeOf(await app.gql(rollMutation, { id: key.apiKey.id, grace: -1 }, auth))).toBe(codes.BAD_USER_INPUT);
  });
});

describe('scopes', () => {
  it('a key narrowed to tokens:read may read its log but not whoami or account', async () => {
    const { key } = await userWithKey(app, { scopes: ['tokens:read'] });
    for (const query of [whoamiWithKeyQuery, accountQuery]) {
      expect(codeOf(await app.gql(query, {}, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
    }
    const log = await app.gql(tokenLogQuery, { id: key.apiKey.id }, keyHeader(key.rawKey));
    expect(log.errors).toBeUndefined();
  });

  it('a key with no scopes can do nothing; asking for admin does not make a USER an admin', async () => {
    const { auth } = await verifiedSession(app);
    const none = await createKey(app, auth, { scopes: [] });
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(none.rawKey)))).toBe(codes.FORBIDDEN);
    const wishful = await createKey(app, auth, { scopes: ['admin', 'account:read'] });
    const who = await app.gql(whoamiWithKeyQuery, {}, keyHeader(wishful.rawKey));
    expect(who.data.whoami.credential.scopes).toEqual(['account:read']);
    expect(codeOf(await app.gql(`{ serviceAccounts { id } }`, {}, keyHeader(wishful.rawKey)))).toBe(codes.FORBIDDEN);
  });
});

describe('managing keys and sessions needs a session', () => {
  it.each([
    ['createApiKey', `mutation { createApiKey(input: { name: "x" }) { rawKey } }`, {}],
    ['apiKeys', `{ apiKeys { nodes { id } } }`, {}],
    ['apiKey', `query($id: ID!) { apiKey(id: $id) { id } }`, { id: 'self' }],
    ['revokeApiKey', `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: 'self' }],
    ['rollApiKey', `mutation($id: ID!) { rollApiKey(id: $id) { rawKey } }`, { id: 'self' }],
    ['sessions', `{ sessions { id } }`, {}],
    ['revokeOtherSessions', `mutation { revokeOtherSessions }`, {}],
  ])('%s with an API key is FORBIDDEN', async (_name, query, variables) => {
    const { key, auth } = await userWithKey(app);
    const vars = Object.fromEntries(Object.entries(variables).map(([name]) => [name, key.apiKey.id]));
    const result = await app.gql(query, vars, keyHeader(key.rawKey));
    expect(codeOf(result)).toBe(codes.FORBIDDEN);
    expect((await app.gql(apiKeyQuery, { id: key.apiKey.id }, auth)).data.apiKey.isActive).toBe(true);
  });

  it('anonymous callers get UNAUTHENTICATED', async () => {
    expect(codeOf(await app.gql(`{ apiKeys { nodes { id } } }`))).toBe(codes.UNAUTHENTICATED);
  });

  it("logout with a user's API key revokes that key, as novem's POST /v1/logout does", async () => {
    const { key, auth } = await userWithKey(app);
    expect((await app.gql(`mutation { logout }`, {}, keyHeader(key.rawKey))).data).toEqual({ logout: true });
    expect((await app.gql(apiKeyQuery, { id: key.apiKey.id }, auth)).data.apiKey.isActive).toBe(false);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('test and live keys', () => {
  it('a TEST key carries _test_ and whoami reports its environment', async () => {
    const { key } = await userWithKey(app, { environment: 'TEST' });
    expect(key.rawKey).toMatch(/^sk_test_[\w-]{43}$/);
    expect(key.apiKey.environment).toBe('TEST');
    const who = await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey));
    expect(who.data.whoami.credential.environment).toBe('TEST');
  });
});

describe('the key limit', () => {
  it('refuses a key past MAX_API_KEYS_PER_USER active keys, and frees a slot on revoke', async () => {
    const limited = await createTestApp({ env: { MAX_API_KEYS_PER_USER: '2' } });
    try {
      const { auth } = await verifiedSession(limited);
      const first = await createKey(limited, auth);
      await createKey(limited, auth);
      const refused = await limited.gql(createApiKeyMutation, { input: { name: 'third' } }, auth);
      expect(codeOf(refused)).toBe(codes.FORBIDDEN);
      expect(refused.errors?.[0]?.message).toContain('2 active API keys');
      await limited.gql(revokeMutation, { id: first.apiKey.id }, auth);
      expect((await limited.gql(createApiKeyMutation, { input: { name: 'third' } }, auth)).errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('counts concurrent creations once each', async () => {
    const limited = await createTestApp({ env: { MAX_API_KEYS_PER_USER: '3' } });
    try {
      const { auth, user } = await verifiedSession(limited);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => limited.gql(createApiKeyMutation, { input: { name: `k${index}` } }, auth)),
      );
      expect(results.filter((result) => !result.errors)).toHaveLength(3);
      expect(results.filter((result) => codeOf(result) === codes.FORBIDDEN)).toHaveLength(5);
      expect(await limited.runtime.db.apiKey.count({ where: { userId: user.id } })).toBe(3);
    } finally {
      await limited.close();
    }
  });
});

describe('through a listening server', () => {
  it('a key made with a session works with curl-style requests through both headers, until revoked', async () => {
    const { server, url } = await listen(createApp(app.runtime), 0, '127.0.0.1');
    try {
      const { key, auth } = await userWithKey(app);
      const whoami = (headers: Record<string, string>) =>
        fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: whoamiWithKeyQuery }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
      for (const headers of [keyHeader(key.rawKey), bearer(key.rawKey)]) {
        const { status, body } = await whoami(headers);
        expect(status).toBe(200);
        expect(body.data.whoami.credential).toMatchObject({ kind: 'API_KEY', id: key.apiKey.id });
      }
      await app.gql(revokeMutation, { id: key.apiKey.id }, auth);
      const refused = await whoami(keyHeader(key.rawKey));
      expect(refused.body.errors[0].extensions.code).toBe(codes.UNAUTHENTICATED);
    } finally {
      server.close();
    }
  });
});
