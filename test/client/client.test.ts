import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthClientError, createAuthClient, memoryStorage } from '../../packages/client/src/index.js';
import { codes } from '../../src/errors.js';
import type { TestApp } from '../helpers/app.js';
import { createClientTestApp, endpoint, inProcessFetch, signedUpClient } from './harness.js';

let app: TestApp;
beforeAll(async () => {
  app = await createClientTestApp();
});
afterAll(() => app.close());

const accessTokenTtlMs = () => app.config.jwt.accessTokenTtl * 1000;

describe('@authgraph/client, in process', () => {
  it('signs up, signs in (kind signedIn) and answers whoami', async () => {
    const { client, identity } = await signedUpClient(app);
    const result = await client.signIn({ username: identity.username, password: identity.password });
    expect(result).toMatchObject({ kind: 'signedIn', user: { username: identity.username, email: identity.email } });
    const whoami = await client.whoami();
    expect(whoami.user?.username).toBe(identity.username);
    expect(whoami.credential.kind).toBe('SESSION');
  });

  it('a wrong password is an AuthClientError with the server code', async () => {
    const { client, identity } = await signedUpClient(app);
    const refused = await client.signIn({ username: identity.username, password: 'not the password' }).catch((error) => error);
    expect(refused).toBeInstanceOf(AuthClientError);
    expect(refused.code).toBe(codes.UNAUTHENTICATED);
  });

  it('refreshes before the access token expires, by its own clock', async () => {
    const storage = memoryStorage();
    const { client, identity, operations, clock } = await signedUpClient(app, { storage });
    await client.signIn({ username: identity.username, password: identity.password });
    const first = storage.load()!;
    const untilInsideMargin = accessTokenTtlMs() - 30_000;
    app.clock.advance(untilInsideMargin);
    clock.advance(untilInsideMargin);
    operations.length = 0;

    expect((await client.whoami()).user?.username).toBe(identity.username);
    expect(operations).toEqual(['Refresh', 'Whoami']);
    expect(storage.load()!.accessToken).not.toBe(first.accessToken);
    expect(storage.load()!.refreshToken).not.toBe(first.refreshToken);
  });

  it('refreshes once when the server refuses the access token, then retries', async () => {
    const { client, identity, operations } = await signedUpClient(app);
    await client.signIn({ username: identity.username, password: identity.password });
    // Only the server's clock moves: the client believes its token is still good.
    app.clock.advance(accessTokenTtlMs() + 1000);
    operations.length = 0;

    expect((await client.whoami()).user?.username).toBe(identity.username);
    expect(operations).toEqual(['Whoami', 'Refresh', 'Whoami']);
  });

  it('calls at once share one refresh', async () => {
    const { client, identity, operations, clock } = await signedUpClient(app);
    await client.signIn({ username: identity.username, password: identity.password });
    app.clock.advance(accessTokenTtlMs());
    clock.advance(accessTokenTtlMs());
    operations.length = 0;

    await Promise.all([client.whoami(), client.sessions.list(), client.apiKeys.list()]);
    expect(operations.filter((name) => name === 'Refresh')).toHaveLength(1);
  });

  it('signs out: the server ends the session and the client forgets its tokens', async () => {
    const storage = memoryStorage();
    const { client, identity } = await signedUpClient(app, { storage });
    await client.signIn({ username: identity.username, password: identity.password });
    const { refreshToken } = storage.load()!;
    await client.signOut();
    expect(storage.load()).toBeNull();
    const refused = await app.gql('mutation($t: String) { refresh(refreshToken: $t) { accessToken } }', { t: refreshToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
    await expect(client.whoami()).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
  });

  it('a session revoked elsewhere ends here: one refresh is tried, the tokens are dropped, onSessionEnded is called', async () => {
    const onSessionEnded = vi.fn();
    const storage = memoryStorage();
    const { client, identity, operations } = await signedUpClient(app, { storage, onSessionEnded });
    await client.signIn({ username: identity.username, password: identity.password });
    const other = createAuthClient({ url: endpoint, fetch: inProcessFetch(app).fetch });
    await other.signIn({ username: identity.username, password: identity.password });
    const doomed = (await other.sessions.list()).find((session) => !session.current)!;
    await other.sessions.revoke(doomed.id);
    operations.length = 0;

    await expect(client.whoami()).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
    expect(operations).toEqual(['Whoami', 'Refresh']);
    expect(storage.load()).toBeNull();
    expect(onSessionEnded).toHaveBeenCalledOnce();
  });

  it('manages API keys: create, list, roll, revoke; a script signs in with the key', async () => {
    const { client, identity } = await signedUpClient(app);
    await client.signIn({ username: identity.username, password: identity.password });
    const created = await client.apiKeys.create({ name: 'nightly export', scopes: ['account:read'] });
    expect(created.rawKey).toMatch(new RegExp(`^${created.apiKey.prefix}`));

    const script = createAuthClient({ url: endpoint, fetch: inProcessFetch(app).fetch, apiKey: created.rawKey });
    expect(await script.whoami()).toMatchObject({ credential: { kind: 'API_KEY', scopes: ['account:read'] }, user: { username: identity.username } });

    const listed = await client.apiKeys.list();
    expect(listed.nodes.map((key) => key.id)).toEqual([created.apiKey.id]);
    const rolled = await client.apiKeys.roll(created.apiKey.id);
    expect(rolled.apiKey.id).toBe(created.apiKey.id);
    expect(rolled.rawKey).not.toBe(created.rawKey);
    await expect(script.whoami()).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });

    const revoked = await client.apiKeys.revoke(created.apiKey.id);
    expect(revoked).toMatchObject({ isActive: false, revokedAt: expect.any(String) });
    const rolledScript = createAuthClient({ url: endpoint, fetch: inProcessFetch(app).fetch, apiKey: rolled.rawKey });
    await expect(rolledScript.whoami()).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
  });

  it('lists sessions (this one marked current) and revokes another', async () => {
    const { client, identity } = await signedUpClient(app);
    await client.signIn({ username: identity.username, password: identity.password });
    const laptop = createAuthClient({ url: endpoint, fetch: inProcessFetch(app).fetch });
    await laptop.signIn({ username: identity.username, password: identity.password });

    const sessions = await client.sessions.list();
    expect(sessions).toHaveLength(2);
    const other = sessions.find((session) => !session.current)!;
    expect(await client.sessions.revoke(other.id)).toMatchObject({ id: other.id, revokedAt: expect.any(String) });
    expect((await client.sessions.list()).map((session) => session.id)).not.toContain(other.id);
    await expect(laptop.whoami()).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
  });

  it('an account with a second factor: signIn answers mfaRequired, and verifyMfa signs in', async () => {
    const { client, identity } = await signedUpClient(app);
    await client.signIn({ username: identity.username, password: identity.password });
    const { enrollTotp } = (await client.request('mutation { enrollTotp(name: "Phone") { factor { id } secret } }')) as {
      enrollTotp: { factor: { id: string }; secret: string };
    };
    const currentCode = () =>
      new TOTP({ secret: Secret.fromBase32(enrollTotp.secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: app.clock().getTime() });
    await client.request('mutation($id: ID!, $code: String!) { confirmTotp(factorId: $id, code: $code) { factor { confirmed } } }', {
      id: enrollTotp.factor.id,
      code: currentCode(),
    });
    // The code that confirmed the factor cannot sign in: the next time step's can.
    app.clock.advance(30_000);

    const storage = memoryStorage();
    const phone = createAuthClient({ url: endpoint, fetch: inProcessFetch(app).fetch, storage });
    const challenge = await phone.signIn({ username: identity.username, password: identity.password });
    expect(challenge).toMatchObject({ kind: 'mfaRequired', methods: expect.arrayContaining(['totp']) });
    expect(storage.load()).toBeNull();
    if (challenge.kind !== 'mfaRequired') return;
    expect(await phone.verifyMfa(challenge.challengeId, currentCode())).toMatchObject({ kind: 'signedIn', user: { username: identity.username } });
    expect((await phone.whoami()).credential.kind).toBe('SESSION');
  });
});
