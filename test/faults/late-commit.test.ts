import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createApp } from '../../src/app.js';
import type { Runtime } from '../../src/runtime.js';
import { refreshTokenHash } from '../../src/sessions/session-tokens.js';
import { registerUser } from '../helpers/flows.js';
import { transportNames, transports, type Send } from '../helpers/transports.js';

// Issue 20: a database that stalls mid-request. A rotation whose request was already
// answered 503 is rolled back (the client's retry is a first use, not a theft), and the
// grace window of a rotation that landed late starts when it landed.

/** Holds the next `model.operation` until `release()`: a database stalled mid-transaction. */
function stallNext(runtime: Runtime, model: string, operation: string) {
  const original = runtime.db;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let held = false;
  runtime.db = original.$extends({
    query: {
      $allModels: {
        async $allOperations({ model: name, operation: called, args, query }) {
          if (held || name !== model || called !== operation) return query(args);
          held = true;
          reach();
          await released;
          return query(args);
        },
      },
    },
  }) as unknown as typeof original;
  return {
    reached,
    release() {
      runtime.db = original;
      release();
    },
  };
}

type Door = { name: string; signIn: (app: TestApp) => Promise<string>; refresh: (send: Send, token: string) => Promise<{ status: number; code?: string; token?: string }> };

const json = { 'content-type': 'application/json', 'user-agent': 'late-commit-test' };
const doors: Door[] = [
  {
    name: 'GraphQL refresh',
    async signIn(app) {
      const { identity } = await registerUser(app, newIdentity());
      const answer = await app.gql('mutation($i: LoginInput!) { login(input: $i) { refreshToken } }', { i: { username: identity.username, password: identity.password } }, json);
      return answer.data.login.refreshToken;
    },
    async refresh(send, token) {
      const body = JSON.stringify({ query: 'mutation($t: String) { refresh(refreshToken: $t) { refreshToken } }', variables: { t: token } });
      const response = await send('/graphql', { method: 'POST', headers: json, body });
      const answer = (await response.json()) as any;
      return { status: response.status, code: answer.errors?.[0]?.extensions?.code, token: answer.data?.refresh?.refreshToken };
    },
  },
  {
    name: 'REST /api/auth/refresh',
    async signIn(app) {
      const { identity } = await registerUser(app, newIdentity());
      const body = JSON.stringify({ email: identity.email, password: identity.password });
      return ((await (await app.request('/api/auth/login', { method: 'POST', headers: json, body })).json()) as any).refresh_token;
    },
    async refresh(send, token) {
      const response = await send('/api/auth/refresh', { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` } });
      const answer = (await response.json()) as any;
      return { status: response.status, code: answer.code, token: answer.refresh_token };
    },
  },
];

describe.each(transportNames)('requests held up by a stalled database (%s)', (transport) => {
  const wire = transports();
  const send = wire.send(transport);
  let app: TestApp;
  /** The same server with a 1 s REQUEST_TIMEOUT: sign-ins go through `app`, unhurried by it. */
  let hurried: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
    const runtime: Runtime = { ...app.runtime, config: { ...app.runtime.config, requestTimeoutMs: 1000 } };
    hurried = { ...app, runtime, app: createApp(runtime) };
  });
  afterAll(() => app.close());

  it('a registration answered 503 before it could commit is not kept: registering again works', async () => {
    await wire.open(hurried);
    try {
      const identity = newIdentity();
      const register = () =>
        send('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: 'mutation($i: RegisterInput!) { register(input: $i) { id } }', variables: { i: identity } }) });
      const stall = stallNext(hurried.runtime, 'User', 'create');
      const first = await register();
      expect(first.status).toBe(503);
      await stall.reached;
      stall.release();
      await expect.poll(() => app.runtime.background.idle().then(() => app.runtime.db.user.count({ where: { username: identity.username } }))).toBe(0);
      const again = (await (await register()).json()) as any;
      expect(again.errors).toBeUndefined();
      expect(again.data.register.id).toBeTruthy();
    } finally {
      await wire.close();
    }
  });

  describe.each(doors)('$name', (door) => {
    it('answered 503 before it could commit: rolled back, so the retry long after is a first use and the session lives', async () => {
      await wire.open(hurried);
      try {
        const token = await door.signIn(app);
        const stall = stallNext(hurried.runtime, 'Session', 'update');
        const first = await door.refresh(send, token);
        expect(first).toMatchObject({ status: 503, code: codes.TIMEOUT });
        await stall.reached;
        stall.release();
        // Until the held transaction has rolled back (SQLite's one connection shows it uncommitted meanwhile).
        const row = () => app.runtime.db.refreshToken.findUnique({ where: { tokenHash: refreshTokenHash(token) } });
        await expect.poll(async () => (await row())?.rotatedAt).toBeNull();
        app.clock.advance(60_000);
        const retry = await door.refresh(send, token);
        expect(retry.status).toBe(200);
        expect(retry.token).toBeTruthy();
        expect((await door.refresh(send, retry.token!)).status).toBe(200);
        expect(app.logLines.join('')).not.toContain('refresh-token-reuse');
      } finally {
        await wire.close();
      }
    });

    it('landed late but in time: the grace window starts when it landed, so a second tab is not taken for a thief', async () => {
      await wire.open(app);
      try {
        const token = await door.signIn(app);
        const stall = stallNext(app.runtime, 'RefreshToken', 'updateMany');
        const pending = door.refresh(send, token);
        await stall.reached;
        // The database stalls for 30 s of the server's clock, then lands the rotation.
        app.clock.advance(30_000);
        stall.release();
        const first = await pending;
        expect(first.status).toBe(200);
        app.clock.advance(5_000);
        const secondTab = await door.refresh(send, token);
        expect(secondTab).toMatchObject({ status: 200, token: first.token });
        expect(app.logLines.join('')).not.toContain('refresh-token-reuse');
      } finally {
        await wire.close();
      }
    });
  });
});
