import { decodeJwt } from 'jose';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { errorCodes, refusals } from '../src/errors.js';
import { listen } from '../src/http/listen.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { httpReceiver, type Answer, type Receiver } from './helpers/receiver.js';
import { codeOf, loginMutation, refreshMutation, registerMutation, registerUser, signIn } from './helpers/flows.js';

const hookSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const lastEvent = (receiver: Receiver) => {
  const entry = receiver.received.at(-1)!;
  // Throws unless the signature and the timestamp verify, as the operator's service would check them.
  new Webhook(hookSecret).verify(entry.body, entry.headers);
  return JSON.parse(entry.body) as { type: string; timestamp: string; data: any };
};

async function userExists(app: TestApp, username: string) {
  return (await app.runtime.db.user.count({ where: { username } })) === 1;
}

describe('before_user_created', () => {
  let receiver: Receiver;
  let closed: TestApp;
  let open: TestApp;

  beforeAll(async () => {
    receiver = await httpReceiver();
    closed = await createTestApp({ env: { HOOK_SECRET: hookSecret, HOOK_BEFORE_USER_CREATED_URL: `${receiver.url}/before-user-created` } });
    open = await createTestApp({
      env: { HOOK_SECRET: hookSecret, HOOK_BEFORE_USER_CREATED_URL: `${receiver.url}/open`, HOOK_BEFORE_USER_CREATED_ON_FAILURE: 'open' },
    });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
    await receiver.close();
  });

  it('asks the hook with a signed request that names the account and never the password, then creates it', async () => {
    receiver.answerWith(receiver.json(200, { decision: 'allow' }));
    const identity = newIdentity();
    const result = await closed.gql(registerMutation, { input: identity }, { 'user-agent': 'hook-test' });
    expect(result.errors).toBeUndefined();
    const event = lastEvent(receiver);
    expect(receiver.received.at(-1)!.path).toBe('/before-user-created');
    expect(event.type).toBe('before_user_created');
    expect(event.data.user).toEqual({ username: identity.username, email: identity.email, fullName: null, provider: 'password' });
    expect(event.data.client.userAgent).toBe('hook-test');
    expect(receiver.received.at(-1)!.body).not.toContain(identity.password);
    expect(await userExists(closed, identity.username)).toBe(true);
  });

  it('refuses the registration with the reason the hook gives, on both doors, and creates nothing', async () => {
    receiver.answerWith(receiver.json(200, { decision: 'reject', message: 'Sign-ups are invite-only.\u0007' }));
    const refusal = refusals.registrationRejected('Sign-ups are invite-only.');

    const identity = newIdentity();
    const result = await closed.gql(registerMutation, { input: identity });
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(result.errors![0]!.message).toBe(refusal.message);
    expect(await userExists(closed, identity.username)).toBe(false);

    const other = newIdentity();
    const response = await closed.request('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: other.username, email: other.email, password: other.password }),
    });
    expect(response.status).toBe(errorCodes.FORBIDDEN.status);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN', detail: refusal.message });
    expect(await userExists(closed, other.username)).toBe(false);
  });

  it('fails closed by default: a hook that errs, answers something else, redirects or is down refuses the registration', async () => {
    const failures: Answer[] = [
      receiver.json(500, { error: 'boom' }),
      receiver.json(200, { decision: 'maybe' }),
      (_received, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
      (_received, response) => response.writeHead(307, { location: `${receiver.url}/elsewhere` }).end(),
    ];
    for (const failure of failures) {
      receiver.answerWith(failure);
      const identity = newIdentity();
      const result = await closed.gql(registerMutation, { input: identity });
      expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
      expect(result.errors![0]!.message).toBe(refusals.hookFailed.message);
      expect(await userExists(closed, identity.username)).toBe(false);
    }
    expect(receiver.received.some((entry) => entry.path === '/elsewhere')).toBe(false);
    const reasons = closed.logLines.filter((line) => line.includes('hook failed')).map((line) => JSON.parse(line).reason);
    expect(reasons).toEqual(expect.arrayContaining(['status 500', 'invalid answer', 'not JSON', 'status 307']));
    expect(closed.logLines.join('')).not.toContain(receiver.url);
  });

  it('gives up on a hook that does not answer within its timeout', async () => {
    const impatient = await createTestApp({
      env: { HOOK_SECRET: hookSecret, HOOK_BEFORE_USER_CREATED_URL: `${receiver.url}/silent`, HOOK_BEFORE_USER_CREATED_TIMEOUT_MS: '1' },
    });
    // Never answers: only the timeout ends the call.
    receiver.answerWith(() => undefined);
    try {
      const identity = newIdentity();
      const result = await impatient.gql(registerMutation, { input: identity });
      expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
      expect(impatient.logLines.some((line) => line.includes('"reason":"timeout"'))).toBe(true);
      expect(await userExists(impatient, identity.username)).toBe(false);
    } finally {
      await impatient.close();
    }
  });

  it('fails open when told to: the registration goes on without the hook', async () => {
    receiver.answerWith(receiver.json(503, {}));
    const identity = newIdentity();
    const result = await open.gql(registerMutation, { input: identity });
    expect(result.errors).toBeUndefined();
    expect(await userExists(open, identity.username)).toBe(true);
    expect(open.logLines.some((line) => line.includes('going on without it'))).toBe(true);
  });

  it('refuses through a real listening server too', async () => {
    receiver.answerWith(receiver.json(200, { decision: 'reject' }));
    const { server, url } = await listen(createApp(closed.runtime), 0, '127.0.0.1');
    try {
      const identity = newIdentity();
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: registerMutation, variables: { input: identity } }),
      });
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0]!.message).toBe(refusals.registrationRejected().message);
    } finally {
      server.close();
    }
  });
});

describe('custom_access_token_claims', () => {
  let receiver: Receiver;
  let app: TestApp;

  beforeAll(async () => {
    receiver = await httpReceiver();
    app = await createTestApp({
      env: { HOOK_SECRET: hookSecret, HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_URL: `${receiver.url}/claims`, ACCESS_TOKEN_CLAIMS: 'role,plan' },
    });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('adds what the hook answers to the access tokens of a sign-in and of each refresh', async () => {
    receiver.answerWith(receiver.json(200, { claims: { tenant: 'acme', tier: 3 } }));
    const { identity, user } = await registerUser(app);
    const tokens = await signIn(app, identity);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant: 'acme', tier: 3, role: 'USER', plan: 'FREE', sub: user.id });
    const event = lastEvent(receiver);
    expect(event).toMatchObject({ type: 'custom_access_token_claims', data: { userId: user.id, claims: { role: 'USER', plan: 'FREE' } } });

    receiver.answerWith(receiver.json(200, { claims: { tenant: 'globex' } }));
    const refreshed = await app.gql(refreshMutation, { refreshToken: tokens.refreshToken });
    expect(decodeJwt(refreshed.data.refresh.accessToken)).toMatchObject({ tenant: 'globex', role: 'USER' });
  });

  it('refuses the sign-in (fail-closed) when the hook tries to replace a claim authgraph sets', async () => {
    const { identity } = await registerUser(app);
    for (const claims of [{ sub: 'someone-else' }, { role: 'OWNER' }, { amr: ['otp'] }]) {
      receiver.answerWith(receiver.json(200, { claims }));
      const result = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
      expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
    }
  });

  it('refuses claims past ACCESS_TOKEN_CLAIMS_MAX_BYTES', async () => {
    const { identity } = await registerUser(app);
    receiver.answerWith(receiver.json(200, { claims: { blob: 'x'.repeat(2000) } }));
    const result = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    expect(codeOf(result)).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('hook settings', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/authgraph-hook-settings' };

  it('wants HOOK_SECRET beside a hook URL, and a secret in the Standard Webhooks form', () => {
    expect(() => loadConfig({ ...base, HOOK_BEFORE_USER_CREATED_URL: 'http://127.0.0.1:9/hook' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HOOK_BEFORE_USER_CREATED_URL: 'http://127.0.0.1:9/hook' })).toThrow(/HOOK_SECRET/);
    expect(() => loadConfig({ ...base, HOOK_SECRET: 'not-a-secret', HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_URL: 'http://127.0.0.1:9/hook' })).toThrow(/HOOK_SECRET/);
    expect(() => loadConfig({ ...base, HOOK_SECRET: hookSecret, HOOK_BEFORE_USER_CREATED_URL: 'ftp://example.com/hook' })).toThrow(/HOOK_BEFORE_USER_CREATED_URL/);
    expect(() => loadConfig({ ...base, HOOK_SECRET: hookSecret, HOOK_BEFORE_USER_CREATED_ON_FAILURE: 'sometimes' })).toThrow(/ON_FAILURE/);
  });

  it('leaves every hook off by default', () => {
    const config = loadConfig(base);
    expect(config.hooks.before_user_created).toBeUndefined();
    expect(config.hooks.custom_access_token_claims).toBeUndefined();
  });
});
