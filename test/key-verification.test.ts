import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserRole } from '../src/accounts/roles.js';
import { createApp } from '../src/app.js';
import { codes, refusals } from '../src/errors.js';
import { listen } from '../src/http/listen.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { adminSession, bearer, createKey, keyHeader, verifiedSession, whoamiWithKeyQuery } from './helpers/apikeys.js';
import { codeOf, refreshMutation } from './helpers/flows.js';
import { call } from './helpers/rest.js';
import { capturingTransport } from './helpers/security.js';

// Issue 25: a product's backend checks its callers' keys with a verifier credential.
const mail = capturingTransport();
let app: TestApp;
let verifier: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp({
    mailTransport: mail.transport,
    env: { API_KEY_PERMISSIONS: 'cameras:read,cameras:write,exports:run', ACCESS_TOKEN_CLAIMS: 'role,plan,email_verified,amr,permissions' },
  });
  verifier = (await verifierKey(app)).header;
});
afterAll(() => app.close());

const verifyMutation = `mutation Verify($key: String!, $permissions: String, $operation: String, $cost: Int, $tags: [String!]) {
  verifyApiKey(key: $key, permissions: $permissions, operation: $operation, cost: $cost, tags: $tags) {
    valid code keyId name environment permissions expiresAt
    owner { kind id role plan } rateLimit { limit remaining reset } usage { limit remaining reset }
  }
}`;
const updateMutation = `mutation Update($id: ID!, $input: UpdateApiKeyInput!) {
  updateApiKey(id: $id, input: $input) { id name permissions expiresAt rateLimit { limit windowSeconds } usage { limit refill } }
}`;
const logQuery = `query Log($id: ID!) { tokenLog(tokenId: $id) { nodes { action operation outcome tags } } }`;

/** A service account holding keys:verify, and a key of it with room for many verifications. */
async function verifierKey(target: TestApp) {
  const admin = await adminSession(target);
  const account = await target.gql(
    `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }`,
    { input: { name: `product-backend-${Math.random().toString(36).slice(2, 8)}`, scopes: ['keys:verify'] } },
    admin.auth,
  );
  const created = await target.gql(
    `mutation($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey } }`,
    { id: account.data.createServiceAccount.id, input: { name: 'verifier', scopes: ['keys:verify'], rateLimit: { limit: 100000 } } },
    admin.auth,
  );
  return { admin, serviceAccountId: account.data.createServiceAccount.id as string, header: keyHeader(created.data.createServiceAccountKey.rawKey as string) };
}

const verify = async (variables: Record<string, unknown>) => {
  const result = await app.gql(verifyMutation, variables, verifier);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data.verifyApiKey;
};
const verifyRest = (body: Record<string, unknown>) => call(app, 'POST', '/v1/keys/verify', { body, headers: verifier });

describe('verifyApiKey', () => {
  it("answers a user's key with its owner, environment and permissions, alike through GraphQL and REST", async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { name: 'camera app', permissions: ['cameras:read', 'exports:run'] });
    const answer = await verify({ key: key.rawKey, permissions: 'cameras:read AND (exports:run OR cameras:write)' });
    expect(answer).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: key.apiKey.id,
      name: 'camera app',
      environment: 'LIVE',
      owner: { kind: 'USER', id: user.user.id, role: 'USER', plan: 'FREE' },
      rateLimit: { limit: 60, remaining: 59 },
      usage: null,
    });
    expect(answer.permissions).toEqual(expect.arrayContaining(['account:read', 'cameras:read', 'exports:run']));
    const rest = await verifyRest({ key: key.rawKey, permissions: 'cameras:read AND exports:run' });
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ valid: true, code: 'VALID', key_id: key.apiKey.id, owner: { type: 'user', id: user.user.id }, ratelimit: { remaining: 58 } });
  });

  it('refuses a permission the key lacks, without spending its limit', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { permissions: ['cameras:read'] });
    const answer = await verify({ key: key.rawKey, permissions: 'cameras:read AND cameras:write' });
    expect(answer).toMatchObject({ valid: false, code: 'INSUFFICIENT_PERMISSIONS', keyId: key.apiKey.id, rateLimit: null });
    expect((await verifyRest({ key: key.rawKey, permissions: 'cameras:write' })).body.code).toBe('INSUFFICIENT_PERMISSIONS');
    expect((await verify({ key: key.rawKey, permissions: 'cameras:read OR cameras:write' })).rateLimit.remaining).toBe(59);
  });

  it("verifies a service account's key, and says NOT_FOUND for an unknown one", async () => {
    const { admin, serviceAccountId } = await verifierKey(app);
    const created = await app.gql(
      `mutation($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey } }`,
      { id: serviceAccountId, input: { name: 'nightly', permissions: ['exports:run'] } },
      admin.auth,
    );
    const answer = await verify({ key: created.data.createServiceAccountKey.rawKey, permissions: 'exports:run' });
    expect(answer).toMatchObject({ valid: true, owner: { kind: 'SERVICE_ACCOUNT', id: serviceAccountId, role: 'USER' } });
    expect(await verify({ key: 'sk_live_' + 'x'.repeat(43) })).toMatchObject({ valid: false, code: 'NOT_FOUND', keyId: null });
  });

  it("puts the product's operation and tags in the key's own log", async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { permissions: ['cameras:read'] });
    app.clock.advance(1000);
    await verify({ key: key.rawKey, permissions: 'cameras:read', operation: 'GET /api/v1/cameras', tags: ['region:eu', 'camera=7'] });
    app.clock.advance(1000);
    await verify({ key: key.rawKey, permissions: 'cameras:write', operation: 'POST /api/v1/cameras' });
    await app.runtime.tokenEvents.flush();
    const log = await app.gql(logQuery, { id: key.apiKey.id }, user.auth);
    expect(log.data.tokenLog.nodes.slice(0, 2)).toEqual([
      { action: 'request', operation: 'POST /api/v1/cameras', outcome: 'INSUFFICIENT_PERMISSIONS', tags: [] },
      { action: 'request', operation: 'GET /api/v1/cameras', outcome: 'success', tags: ['region:eu', 'camera=7'] },
    ]);
  });

  it('answers REVOKED, EXPIRED and DISABLED for a refused known key', async () => {
    const user = await verifiedSession(app);
    const revoked = await createKey(app, user.auth);
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: revoked.apiKey.id }, user.auth);
    expect((await verify({ key: revoked.rawKey })).code).toBe('REVOKED');
    const soon = await createKey(app, user.auth, { expiresAt: new Date(app.clock().getTime() + 60_000).toISOString() });
    expect((await verify({ key: soon.rawKey })).expiresAt).not.toBeNull();
    app.clock.advance(61_000);
    expect((await verify({ key: soon.rawKey })).code).toBe('EXPIRED');
    const other = await verifiedSession(app);
    const kept = await createKey(app, other.auth);
    await app.runtime.db.user.update({ where: { id: other.user.id }, data: { disabledAt: app.clock() } });
    app.runtime.revocations.keyChanged(kept.apiKey.id);
    expect((await verify({ key: kept.rawKey })).code).toBe('DISABLED');
  });

  it('is for verifier credentials only, and refuses a malformed query', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth);
    for (const headers of [user.auth, keyHeader(key.rawKey)]) {
      const refused = await app.gql(verifyMutation, { key: key.rawKey }, headers);
      expect(refused.errors?.[0]).toMatchObject({ message: refusals.verifierNeeded.message, extensions: { code: codes.FORBIDDEN } });
      const restRefused = await call(app, 'POST', '/v1/keys/verify', { body: { key: key.rawKey }, headers });
      expect(restRefused).toMatchObject({ status: 403, body: { code: codes.FORBIDDEN, detail: refusals.verifierNeeded.message } });
    }
    expect(codeOf(await app.gql(verifyMutation, { key: key.rawKey, permissions: 'cameras:read AND (' }, verifier))).toBe(codes.BAD_USER_INPUT);
    expect((await verifyRest({ key: key.rawKey, permissions: 'OR' })).status).toBe(422);
    const asUser = await app.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { rawKey } }`, { input: { name: 'v', scopes: ['keys:verify'] } }, user.auth);
    expect(codeOf(asUser)).toBe(codes.BAD_USER_INPUT);
  });
});

describe('permissions the deployment declares', () => {
  it('refuses a permission the server does not declare', async () => {
    const user = await verifiedSession(app);
    const created = await app.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { rawKey } }`, { input: { name: 'x', permissions: ['printers:read'] } }, user.auth);
    expect(codeOf(created)).toBe(codes.BAD_USER_INPUT);
  });

  it('updateApiKey narrows at once; widening wants a recent sign-in (GraphQL and REST)', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { permissions: ['cameras:read', 'cameras:write'] });
    expect((await verify({ key: key.rawKey, permissions: 'cameras:write' })).valid).toBe(true);
    const narrowed = await app.gql(updateMutation, { id: key.apiKey.id, input: { name: 'viewer', permissions: ['cameras:read'] } }, user.auth);
    expect(narrowed.data.updateApiKey).toMatchObject({ name: 'viewer', permissions: ['cameras:read'] });
    expect((await verify({ key: key.rawKey, permissions: 'cameras:write' })).code).toBe('INSUFFICIENT_PERMISSIONS');
    app.clock.advance((app.config.reauthWindow + 1) * 1000);
    const widened = await app.gql(updateMutation, { id: key.apiKey.id, input: { permissions: ['cameras:read', 'exports:run'] } }, user.auth);
    expect(codeOf(widened)).toBe(codes.REAUTHENTICATION_REQUIRED);
    const restWidened = await call(app, 'PATCH', `/v1/auth/api-keys/${key.apiKey.id}`, { body: { usage: null, rate_limit: null }, headers: user.auth });
    expect(restWidened.status).toBe(403);
    const restNarrowed = await call(app, 'PATCH', `/v1/auth/api-keys/${key.apiKey.id}`, {
      body: { permissions: [], usage: { limit: 10, refill: 'MONTHLY' } },
      headers: user.auth,
    });
    expect(restNarrowed.status).toBe(200);
    expect(restNarrowed.body).toMatchObject({ id: key.apiKey.id, name: 'viewer', permissions: [], usage: { limit: 10, refill: 'MONTHLY' } });
    expect((await verify({ key: key.rawKey, permissions: 'cameras:read' })).code).toBe('INSUFFICIENT_PERMISSIONS');
  });

  it("mails the owner when a key is allowed more, not when it is narrowed", async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { name: 'exporter', permissions: ['cameras:read'] });
    const notices = async () => {
      await app.runtime.background.idle();
      return mail.mailsTo(user.identity.email).filter((sent) => sent.subject.includes('an API key was allowed more'));
    };
    await app.gql(updateMutation, { id: key.apiKey.id, input: { rateLimit: { limit: 10 } } }, user.auth);
    expect(await notices()).toHaveLength(1);
    await app.gql(updateMutation, { id: key.apiKey.id, input: { rateLimit: { limit: 5 }, permissions: [] } }, user.auth);
    expect(await notices()).toHaveLength(1);
    expect((await notices())[0]!.text).toContain('Key: "exporter"');
  });
});

describe('per-key limits', () => {
  it("a key's own rate limit overrides its plan's, for verification and for authgraph's own routes", async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { rateLimit: { limit: 3, windowSeconds: 3600 } });
    expect((await verify({ key: key.rawKey })).rateLimit).toMatchObject({ limit: 3, remaining: 2 });
    expect((await verify({ key: key.rawKey, cost: 2 })).rateLimit.remaining).toBe(0);
    const refused = await verify({ key: key.rawKey });
    expect(refused).toMatchObject({ valid: false, code: 'RATE_LIMITED', rateLimit: { remaining: 0 } });
    expect(new Date(refused.rateLimit.reset).getTime()).toBeGreaterThan(app.clock().getTime());
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, keyHeader(key.rawKey)))).toBe(codes.RATE_LIMITED);
  });

  it('a usage budget runs out, refills with the next period, and limits authgraph routes too', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { usage: { limit: 5, refill: 'DAILY' } });
    expect((await verify({ key: key.rawKey, cost: 2 })).usage).toMatchObject({ limit: 5, remaining: 3 });
    expect((await verify({ key: key.rawKey, cost: 3 })).usage.remaining).toBe(0);
    expect(await verify({ key: key.rawKey, cost: 1 })).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', usage: { remaining: 0 } });
    expect((await verify({ key: key.rawKey, cost: 0 })).valid).toBe(true);
    const whoami = await call(app, 'GET', '/v1/me/account', { headers: keyHeader(key.rawKey) });
    expect(whoami).toMatchObject({ status: 429, body: { code: codes.RATE_LIMITED, detail: refusals.usageExceeded.message } });
    app.clock.advance(24 * 3600 * 1000);
    expect((await verify({ key: key.rawKey, cost: 1 })).usage.remaining).toBe(4);
  });
});

describe('roll over REST', () => {
  it('gives a new secret; the old one stops at once without a grace period', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { permissions: ['cameras:read'] });
    const rolled = await call(app, 'POST', `/v1/auth/api-keys/${key.apiKey.id}/roll`, { headers: user.auth });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ id: key.apiKey.id, is_active: true });
    expect((await verify({ key: key.rawKey })).valid).toBe(false);
    expect(await verify({ key: rolled.body.raw_key, permissions: 'cameras:read' })).toMatchObject({ valid: true, keyId: key.apiKey.id });
    const graced = await call(app, 'POST', `/v1/auth/api-keys/${key.apiKey.id}/roll`, { body: { grace_period_seconds: 60 }, headers: user.auth });
    expect((await verify({ key: rolled.body.raw_key })).valid).toBe(true);
    expect((await verify({ key: graced.body.raw_key })).valid).toBe(true);
    expect((await call(app, 'POST', `/v1/auth/api-keys/${key.apiKey.id}/roll`, { headers: keyHeader(graced.body.raw_key) })).status).toBe(403);
  });
});

describe('claims and exchange', () => {
  const loginClaims = async (target: TestApp) => {
    const user = await verifiedSession(target);
    return { user, claims: decodeJwt(user.auth.authorization!.slice('Bearer '.length)) };
  };

  it('access tokens carry the configured claims; a role change shows at the next refresh', async () => {
    const { user, claims } = await loginClaims(app);
    expect(claims).toMatchObject({ role: 'USER', plan: 'FREE', email_verified: false, amr: ['pwd'], aal: 'aal1' });
    expect(claims.permissions).toEqual(expect.arrayContaining(['account:read', 'cameras:read', 'exports:run']));
    await setUserRole(app.runtime, user.identity.username, 'ADMIN');
    const refreshed = await app.gql(refreshMutation, { refreshToken: user.tokens.refreshToken });
    expect(decodeJwt(refreshed.data.refresh.accessToken)).toMatchObject({ role: 'ADMIN', email_verified: true });
    expect((await app.gql(`{ whoami { user { id } } }`, {}, user.auth)).data.whoami.user.id).toBe(user.user.id);
  });

  it('keeps claims within ACCESS_TOKEN_CLAIMS_MAX_BYTES, leaving out those that do not fit', async () => {
    const small = await createTestApp({ env: { ACCESS_TOKEN_CLAIMS: 'role,permissions,plan', ACCESS_TOKEN_CLAIMS_MAX_BYTES: '64' } });
    try {
      const { claims } = await loginClaims(small);
      expect(claims).toMatchObject({ role: 'USER', plan: 'FREE' });
      expect(claims.permissions).toBeUndefined();
    } finally {
      await small.close();
    }
  });

  it('publishes a discovery document naming the issuer and the keys', async () => {
    const discovery = await call(app, 'GET', '/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({ issuer: app.config.jwt.issuer, jwks_uri: `${app.config.publicUrl}/.well-known/jwks.json` });
    expect(discovery.body.id_token_signing_alg_values_supported).toEqual(['EdDSA']);
  });

  it('exchanges a key for a short-lived JWT a product verifies offline; a revoked key exchanges no more', async () => {
    const user = await verifiedSession(app);
    const key = await createKey(app, user.auth, { permissions: ['cameras:read'] });
    const form = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: key.rawKey,
      subject_token_type: 'urn:authgraph:params:oauth:token-type:api-key',
    });
    const exchange = () =>
      app.request('/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const answer = await exchange();
    expect(answer.status).toBe(200);
    const token = (await answer.json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(300);
    const jwks = createLocalJWKSet((await call(app, 'GET', '/.well-known/jwks.json')).body);
    const { payload } = await jwtVerify(token.access_token, jwks, { issuer: app.config.jwt.issuer, audience: app.config.jwt.audience, currentDate: app.clock() });
    expect(payload).toMatchObject({ sub: user.user.id, key_id: key.apiKey.id, owner_type: 'user' });
    expect(payload.permissions).toContain('cameras:read');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(codeOf(await app.gql(whoamiWithKeyQuery, {}, bearer(token.access_token)))).toBe(codes.UNAUTHENTICATED);
    const viaGraphql = await app.gql(`mutation($key: String!) { exchangeApiKey(key: $key) { accessToken expiresIn keyId } }`, { key: key.rawKey });
    expect(viaGraphql.data.exchangeApiKey).toMatchObject({ expiresIn: 300, keyId: key.apiKey.id });
    await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.apiKey.id }, user.auth);
    expect((await exchange()).status).toBe(401);
    expect(codeOf(await app.gql(`mutation($key: String!) { exchangeApiKey(key: $key) { accessToken } }`, { key: key.rawKey }))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('through a listening server', () => {
  it('a product backend verifies a key over HTTP, and a token exchanged for it through JWKS found by discovery', async () => {
    const { server, url } = await listen(createApp(app.runtime), 0, '127.0.0.1');
    try {
      const user = await verifiedSession(app);
      const key = await createKey(app, user.auth, { permissions: ['cameras:read'] });
      const verified = await fetch(`${url}/v1/keys/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...verifier },
        body: JSON.stringify({ key: key.rawKey, permissions: 'cameras:read', operation: 'GET /api/v1/cameras' }),
      });
      expect(await verified.json()).toMatchObject({ valid: true, code: 'VALID', key_id: key.apiKey.id });
      const post = (headers: Record<string, string>, query: string, variables: Record<string, unknown>) =>
        fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) }).then(
          async (response) => (await response.json()) as any,
        );
      const patched = await fetch(`${url}/v1/auth/api-keys/${key.apiKey.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...user.auth },
        body: JSON.stringify({ permissions: [], rate_limit: { limit: 5, window_seconds: 60 } }),
      });
      expect(await patched.json()).toMatchObject({ permissions: [], rate_limit: { limit: 5, window_seconds: 60 } });
      const viaGraphql = await post(verifier, verifyMutation, { key: key.rawKey, permissions: 'cameras:read' });
      expect(viaGraphql.data.verifyApiKey).toMatchObject({ valid: false, code: 'INSUFFICIENT_PERMISSIONS' });
      const updated = await post(user.auth, updateMutation, { id: key.apiKey.id, input: { permissions: ['cameras:read'] } });
      expect(updated.data.updateApiKey.permissions).toEqual(['cameras:read']);
      expect((await post(verifier, verifyMutation, { key: key.rawKey, permissions: 'cameras:read' })).data.verifyApiKey.rateLimit).toMatchObject({ limit: 5 });
      const exchangedViaGraphql = await post({}, `mutation($key: String!) { exchangeApiKey(key: $key) { keyId expiresIn } }`, { key: key.rawKey });
      expect(exchangedViaGraphql.data.exchangeApiKey).toEqual({ keyId: key.apiKey.id, expiresIn: 300 });
      const exchanged = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: key.rawKey,
          subject_token_type: 'urn:authgraph:params:oauth:token-type:api-key',
        }),
      });
      const { access_token: accessToken } = (await exchanged.json()) as { access_token: string };
      const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri.replace(app.config.publicUrl, url)));
      const { payload } = await jwtVerify(accessToken, jwks, { issuer: discovery.issuer, audience: app.config.jwt.audience, currentDate: app.clock() });
      expect(payload.key_id).toBe(key.apiKey.id);
    } finally {
      server.close();
    }
  });
});
