import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../src/errors.js';
import { runMaintenance } from '../src/maintenance/job.js';
import { retryDelaysMs } from '../src/webhooks/dispatcher.js';
import { webhookEventTypes } from '../src/webhooks/event-types.js';
import { isPublicAddress } from '../src/webhooks/address-guard.js';
import { commitWithEvents } from '../src/webhooks/outbox.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { adminSession, bearer, createKey, verifiedSession } from './helpers/apikeys.js';
import { codeOf, registerMutation, signIn } from './helpers/flows.js';
import { confirmedTotp } from './helpers/mfa.js';
import { httpReceiver, type Receiver } from './helpers/receiver.js';
import { call } from './helpers/rest.js';
import { capturingTransport, challengeIn } from './helpers/security.js';

const createEndpoint = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events enabled } } }`;
const deliveriesQuery = `query($endpointId: ID, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $endpointId, status: $status, first: 100) { nodes { id eventId eventType status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError } }
}`;

type Body = { type: string; timestamp: string; data: Record<string, any> };

/** Every delivery the receiver got, each checked with the library a receiver would use: throws unless the signature verifies. */
function verifiedBodies(receiver: Receiver, secret: string): Body[] {
  const webhook = new Webhook(secret);
  return receiver.received.map((entry) => webhook.verify(entry.body, entry.headers) as Body);
}

/** Fans out and posts what is due, until the dispatcher has nothing left in flight. */
async function dispatched(app: TestApp) {
  await app.runtime.webhooks.run();
  await app.runtime.background.idle();
}

async function endpointFor(app: TestApp, auth: Record<string, string>, url: string, events: string[] = ['*']) {
  const created = await app.gql(createEndpoint, { input: { url, events, description: 'test receiver' } }, auth);
  expect(created.errors).toBeUndefined();
  return created.data.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
}

describe('webhook deliveries', () => {
  let app: TestApp;
  let receiver: Receiver;
  const mail = capturingTransport();

  beforeAll(async () => {
    receiver = await httpReceiver();
    app = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', REFRESH_REUSE_GRACE: '0' }, mailTransport: mail.transport });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('delivers every event type, signed so that the standardwebhooks library verifies it, with no secret in any body', async () => {
    const admin = await adminSession(app);
    const { secret, endpoint } = await endpointFor(app, admin.auth, `${receiver.url}/all`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.received.length = 0;

    // webhook.test
    expect((await app.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { eventType status } }`, { id: endpoint.id }, admin.auth)).data.sendTestWebhook).toEqual({ eventType: 'webhook.test', status: 'PENDING' });
    // user.created, then user.email_verified with the mailed code
    const identity = newIdentity();
    expect((await app.gql(registerMutation, { input: identity })).errors).toBeUndefined();
    const { code } = challengeIn(mail.mailsTo(identity.email).at(-1));
    expect((await app.gql(`mutation($code: String!, $email: EmailAddress!) { verifyEmail(code: $code, email: $email) }`, { code, email: identity.email })).errors).toBeUndefined();
    // session.created
    const tokens = await signIn(app, identity, { clientType: 'API' });
    const auth = bearer(tokens.accessToken);
    const userId = (await app.gql('{ whoami { user { id } } }', {}, auth)).data.whoami.user.id;
    // api_key.created, .rolled, .revoked
    const key = await createKey(app, auth, { name: 'mirror' });
    expect((await app.gql(`mutation($id: ID!) { rollApiKey(id: $id, gracePeriodSeconds: 60) { rawKey } }`, { id: key.apiKey.id }, auth)).errors).toBeUndefined();
    expect((await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.apiKey.id }, auth)).errors).toBeUndefined();
    // mfa.enabled, then mfa.disabled
    await confirmedTotp(app, auth);
    const factorId = (await app.runtime.db.mfaFactor.findFirstOrThrow({ where: { userId } })).id;
    expect((await app.gql(`mutation($id: ID!) { removeMfaFactor(id: $id) }`, { id: factorId }, auth)).errors).toBeUndefined();
    // user.password_changed
    const newPassword = `another long phrase ${Date.now()}`;
    expect((await app.gql(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`, { c: identity.password, n: newPassword }, auth)).errors).toBeUndefined();
    // user.email_changed
    const newEmail = `moved.${identity.email}`;
    expect((await app.gql(`mutation($e: EmailAddress!) { changeEmail(newEmail: $e) }`, { e: newEmail }, auth)).errors).toBeUndefined();
    const change = challengeIn(mail.mailsTo(newEmail).at(-1));
    expect((await app.gql(`mutation($code: String!) { confirmEmailChange(code: $code) { email } }`, { code: change.code }, auth)).errors).toBeUndefined();
    // session.reuse_detected: a second sign-in's refresh token presented twice
    const second = await signIn(app, { ...identity, password: newPassword }, { clientType: 'API' });
    await app.gql(`mutation($t: String) { refresh(refreshToken: $t) { accessToken } }`, { t: second.refreshToken });
    expect(codeOf((await app.gql(`mutation($t: String) { refresh(refreshToken: $t) { accessToken } }`, { t: second.refreshToken })).body)).toBe(codes.UNAUTHENTICATED);
    // user.disabled, user.enabled, user.deleted, by the admin
    for (const mutation of ['disableUser', 'enableUser', 'deleteUser']) {
      const changed = await app.gql(`mutation($id: ID!) { ${mutation}(userId: $id) ${mutation === 'deleteUser' ? '' : '{ id }'} }`, { id: userId }, admin.auth);
      expect(changed.errors).toBeUndefined();
    }

    await dispatched(app);
    const bodies = verifiedBodies(receiver, secret);
    expect(new Set(bodies.map((body) => body.type))).toEqual(new Set(Object.keys(webhookEventTypes)));
    const everything = receiver.received.map((entry) => entry.body).join('\n');
    for (const leaked of [identity.password, newPassword, key.rawKey, code, change.code]) expect(everything).not.toContain(leaked);

    const created = bodies.find((body) => body.type === 'user.created')!;
    expect(created.data).toMatchObject({ target: { type: 'user', id: userId }, user: { id: userId, username: identity.username, email: identity.email, emailVerified: false, provider: 'password' } });
    const revoked = bodies.find((body) => body.type === 'api_key.revoked')!;
    expect(revoked.data).toMatchObject({ target: { type: 'api_key', id: key.apiKey.id }, actor: { type: 'user', id: userId }, key: { name: 'mirror', ownerType: 'user', ownerId: userId } });
    const deleted = bodies.find((body) => body.type === 'user.deleted')!;
    expect(deleted.data.actor).toEqual({ type: 'user', id: admin.user.id });
    expect(bodies.find((body) => body.type === 'session.reuse_detected')!.data.target).toEqual({ type: 'session', id: expect.any(String) });

    // Each event once, each delivery succeeded: the list reads the same over GraphQL and REST.
    const ids = receiver.received.map((entry) => entry.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    const listed = (await app.gql(deliveriesQuery, { endpointId: endpoint.id }, admin.auth)).data.webhookDeliveries.nodes;
    expect(listed).toHaveLength(ids.length);
    expect(listed.every((delivery: { status: string; attempts: number; lastStatusCode: number }) => delivery.status === 'SUCCEEDED' && delivery.attempts === 1 && delivery.lastStatusCode === 200)).toBe(true);
    const rest = await call(app, 'GET', `/v1/webhooks/deliveries?endpoint_id=${endpoint.id}&limit=100`, { headers: admin.auth });
    expect(rest.status).toBe(200);
    expect(rest.body.deliveries.map((delivery: { event_id: string }) => delivery.event_id).sort()).toEqual([...ids].sort());
  });

  it('an endpoint gets only the types it asked for; an event nobody asked for is not kept', async () => {
    const admin = await adminSession(app);
    for (const { id } of (await app.gql('{ webhookEndpoints { id } }', {}, admin.auth)).data.webhookEndpoints) {
      expect((await app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id }, admin.auth)).data.deleteWebhookEndpoint).toBe(true);
    }
    await dispatched(app);
    const { secret } = await endpointFor(app, admin.auth, `${receiver.url}/keys`, ['api_key.created']);
    receiver.received.length = 0;
    const unwanted = { type: { in: ['user.created', 'session.created'] } };
    const kept = await app.runtime.db.webhookEvent.count({ where: unwanted });
    const user = await verifiedSession(app);
    await createKey(app, user.auth);
    await dispatched(app);
    expect(verifiedBodies(receiver, secret).map((body) => body.type)).toEqual(['api_key.created']);
    expect(await app.runtime.db.webhookEvent.count({ where: unwanted })).toBe(kept);
  });

  it('a change that rolls back leaves no event; one that commits always has its event', async () => {
    const before = await app.runtime.db.webhookEvent.count();
    const user = await verifiedSession(app);
    const event = { action: 'disabled' as const, outcome: 'success', userId: user.user.id };
    await expect(
      commitWithEvents(
        app.runtime,
        async (tx) => {
          await tx.user.update({ where: { id: user.user.id }, data: { disabledAt: app.clock() } });
          throw new Error('the change fails after its write');
        },
        () => [event],
      ),
    ).rejects.toThrow('the change fails');
    expect(await app.runtime.db.user.count({ where: { id: user.user.id, disabledAt: { not: null } } })).toBe(0);
    await app.runtime.webhooks.run();
    expect(await app.runtime.db.webhookEvent.count()).toBe(before);
  });

  it('REST: admins manage endpoints; a user without the admin role is refused', async () => {
    const admin = await adminSession(app);
    const user = await verifiedSession(app);
    const body = { url: `${receiver.url}/rest`, events: ['user.created', 'user.deleted'], description: 'mirror' };
    expect((await call(app, 'POST', '/v1/webhooks/endpoints', { body, headers: user.auth })).status).toBe(403);
    const created = await call(app, 'POST', '/v1/webhooks/endpoints', { body, headers: admin.auth });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.endpoint).toMatchObject({ url: body.url, events: body.events, enabled: true, description: 'mirror' });
    const { id } = created.body.endpoint;
    const rolled = await call(app, 'POST', `/v1/webhooks/endpoints/${id}/roll-secret`, { body: { overlap_seconds: 3600 }, headers: admin.auth });
    expect(rolled.status).toBe(200);
    expect(rolled.body.secret).not.toBe(created.body.secret);
    expect(rolled.body.endpoint.previous_secret_expires_at).toBe(new Date(app.clock().getTime() + 3600_000).toISOString());
    // During the overlap each delivery carries both signatures: a receiver with either secret verifies it.
    receiver.received.length = 0;
    expect((await call(app, 'POST', `/v1/webhooks/endpoints/${id}/test`, { headers: admin.auth })).status).toBe(202);
    await dispatched(app);
    expect(verifiedBodies(receiver, created.body.secret).map((delivered) => delivered.type)).toEqual(['webhook.test']);
    expect(verifiedBodies(receiver, rolled.body.secret).map((delivered) => delivered.type)).toEqual(['webhook.test']);
    const listed = await call(app, 'GET', '/v1/webhooks/endpoints', { headers: admin.auth });
    expect(listed.body.endpoints.find((endpoint: { id: string }) => endpoint.id === id)).toMatchObject({ events: body.events });
    const bad = await call(app, 'PATCH', `/v1/webhooks/endpoints/${id}`, { body: { events: ['user.nonsense'] }, headers: admin.auth });
    expect(bad.status).toBe(422);
    expect((await call(app, 'DELETE', `/v1/webhooks/endpoints/${id}`, { headers: admin.auth })).status).toBe(204);
    expect((await call(app, 'DELETE', `/v1/webhooks/endpoints/${id}`, { headers: admin.auth })).status).toBe(404);
  });

  it('the maintenance job removes finished deliveries and their events after WEBHOOK_RETENTION, keeping pending ones', async () => {
    const finished = await app.runtime.db.webhookDelivery.count({ where: { status: { not: 'pending' } } });
    expect(finished).toBeGreaterThan(0);
    app.clock.advance(app.config.webhooks.retentionSeconds * 1000 + 1000);
    expect((await runMaintenance(app.runtime)).webhookEventsPruned).toBeGreaterThan(0);
    expect(await app.runtime.db.webhookDelivery.count({ where: { status: { not: 'pending' } } })).toBe(0);
  });
});

describe('retries', () => {
  let app: TestApp;
  let receiver: Receiver;
  const mail = capturingTransport();

  beforeAll(async () => {
    receiver = await httpReceiver();
    app = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' }, mailTransport: mail.transport });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('a receiver that answers 500 is tried again on the backoff schedule, then the delivery fails, the endpoint is disabled and admins are mailed; redelivery after enabling succeeds', async () => {
    const admin = await adminSession(app);
    const { endpoint, secret } = await endpointFor(app, admin.auth, `${receiver.url}/failing`, ['webhook.test']);
    receiver.answerWith(receiver.json(500, { error: 'down' }));
    await app.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpoint.id }, admin.auth);
    await dispatched(app);
    expect(receiver.received).toHaveLength(1);

    // The clock runs through a day here, past the admin's access token: the loop reads the row itself.
    const stored = () => app.runtime.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    for (const [index, delay] of retryDelaysMs.entries()) {
      const pending = await stored();
      expect(pending).toMatchObject({ status: 'pending', attempts: index + 1, lastStatusCode: 500 });
      const wait = pending.nextAttemptAt.getTime() - pending.lastAttemptAt!.getTime();
      expect(wait).toBeGreaterThanOrEqual(delay * 0.9);
      expect(wait).toBeLessThanOrEqual(delay * 1.1);
      // Not before it is due...
      app.clock.advance(wait - 1000);
      await dispatched(app);
      expect(receiver.received).toHaveLength(index + 1);
      // ...and then once.
      app.clock.advance(1000);
      await dispatched(app);
      expect(receiver.received).toHaveLength(index + 2);
    }
    const ids = new Set(receiver.received.map((entry) => entry.headers['webhook-id']));
    expect(ids.size).toBe(1);
    // The library refuses a timestamp more than five minutes from the real time: the first attempt is checked with it, the rest are the same body.
    expect(verifiedBodies({ ...receiver, received: receiver.received.slice(0, 1) }, secret)[0]!.type).toBe('webhook.test');
    expect(new Set(receiver.received.map((entry) => entry.body)).size).toBe(1);
    const again = await signIn(app, admin.identity);
    const auth = bearer(again.accessToken);
    const delivery = async () => (await app.gql(deliveriesQuery, { endpointId: endpoint.id }, auth)).data.webhookDeliveries.nodes[0];
    expect(await delivery()).toMatchObject({ status: 'FAILED', attempts: retryDelaysMs.length + 1, nextAttemptAt: null });
    const endpoints = (await app.gql('{ webhookEndpoints { id enabled disabledReason } }', {}, auth)).data.webhookEndpoints;
    expect(endpoints.find((listed: { id: string }) => listed.id === endpoint.id)).toMatchObject({ enabled: false, disabledReason: 'failing' });
    await app.runtime.background.idle();
    expect(mail.mailsTo(admin.identity.email).map((sent) => sent.subject)).toContain('authgraph: a webhook endpoint was disabled');

    // A disabled endpoint's deliveries are not redelivered until it is enabled again.
    const failed = await delivery();
    const refused = await call(app, 'POST', `/v1/webhooks/deliveries/${failed.id}/redeliver`, { headers: auth });
    expect(refused.status).toBe(409);
    expect((await call(app, 'PATCH', `/v1/webhooks/endpoints/${endpoint.id}`, { body: { enabled: true }, headers: auth })).body.enabled).toBe(true);
    receiver.answerWith(receiver.json(204, {}));
    expect((await call(app, 'POST', `/v1/webhooks/deliveries/${failed.id}/redeliver`, { headers: auth })).status).toBe(202);
    await dispatched(app);
    expect(await delivery()).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 204 });
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe([...ids][0]);
  });

  it('a redirect is not followed: it counts as a failed attempt', async () => {
    const admin = await adminSession(app);
    const { endpoint } = await endpointFor(app, admin.auth, `${receiver.url}/moved`, ['webhook.test']);
    receiver.answerWith((_received, response) => response.writeHead(307, { location: `${receiver.url}/elsewhere` }).end());
    const before = receiver.received.length;
    await app.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpoint.id }, admin.auth);
    await dispatched(app);
    expect(receiver.received.slice(before).map((entry) => entry.path)).toEqual(['/moved']);
    expect((await app.gql(deliveriesQuery, { endpointId: endpoint.id }, admin.auth)).data.webhookDeliveries.nodes[0]).toMatchObject({ status: 'PENDING', lastStatusCode: 307, lastError: 'redirect' });
  });
});

describe('outbound address guard (SSRF)', () => {
  let app: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await httpReceiver();
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('refuses loopback, private, link-local and non-http URLs, creating nothing', async () => {
    const admin = await adminSession(app);
    const refused = [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.5/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://localhost/hook',
      'http://100.64.0.1/hook',
      'ftp://example.com/hook',
      'http://user:password@example.com/hook',
      'not a url',
    ];
    for (const url of refused) {
      const answer = await app.gql(createEndpoint, { input: { url, events: ['*'] } }, admin.auth);
      expect(codeOf(answer.body), url).toBe(codes.BAD_USER_INPUT);
      expect(answer.errors![0]!.extensions!.fields[0].field).toBe('url');
    }
    expect(await app.runtime.db.webhookEndpoint.count()).toBe(0);
  });

  it('a name that resolves to a private address is refused when the delivery connects, and nothing is sent', async () => {
    const name = hostname();
    const resolved = await lookup(name, { all: true });
    expect(resolved.some((answer) => !isPublicAddress(answer.address))).toBe(true);
    const admin = await adminSession(app);
    const port = new URL(receiver.url).port;
    const { endpoint } = await endpointFor(app, admin.auth, `http://${name}:${port}/rebound`, ['webhook.test']);
    await app.gql(`mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id: endpoint.id }, admin.auth);
    await dispatched(app);
    expect(receiver.received).toHaveLength(0);
    expect((await app.gql(deliveriesQuery, { endpointId: endpoint.id }, admin.auth)).data.webhookDeliveries.nodes[0]).toMatchObject({ lastStatusCode: null, lastError: 'refused-address' });
  });
});
