// A key's requests per hour (ApiKey.requestsPerHour), counted from its `request` events in the
// activity log, on the injected clock: what the console's usage chart draws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../src/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey, keyHeader, userWithKey } from './helpers/apikeys.js';
import { codeOf, signIn } from './helpers/flows.js';

const usageQuery = 'query($id: ID!, $days: Int) { apiKey(id: $id) { requestsPerHour(days: $days) { hour requests refused } } }';
const hourMs = 3600 * 1000;

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
});
afterAll(async () => {
  await app.close();
});

const useKey = (rawKey: string, times: number) =>
  Promise.all(Array.from({ length: times }, () => app.gql('{ whoami { user { id } } }', {}, keyHeader(rawKey))));

describe('ApiKey.requestsPerHour', () => {
  it('counts each hour of the window, the current one last', async () => {
    const { identity, key } = await userWithKey(app);
    await useKey(key.rawKey, 3);
    app.clock.advance(2 * hourMs);
    await useKey(key.rawKey, 2);
    // The first session's access token has expired by now.
    const { accessToken } = await signIn(app, identity);
    const { data, errors } = await app.gql(usageQuery, { id: key.apiKey.id, days: 1 }, { authorization: `Bearer ${accessToken}` });
    expect(errors).toBeUndefined();
    const hours = data.apiKey.requestsPerHour as { hour: string; requests: number; refused: number }[];
    expect(hours).toHaveLength(24);
    const currentHour = Math.floor(app.clock().getTime() / hourMs) * hourMs;
    expect(Date.parse(hours.at(-1)!.hour)).toBe(currentHour);
    expect(Date.parse(hours[0]!.hour)).toBe(currentHour - 23 * hourMs);
    expect(hours.at(-1)).toMatchObject({ requests: 2, refused: 0 });
    expect(hours.at(-3)).toMatchObject({ requests: 3, refused: 0 });
    expect(hours.reduce((sum, hour) => sum + hour.requests, 0)).toBe(5);
  });

  it('counts refusals of the key apart', async () => {
    const { auth, key } = await userWithKey(app, { scopes: ['account:read'] });
    await useKey(key.rawKey, 1);
    expect(codeOf(await app.gql('mutation { revokeOtherSessions }', {}, keyHeader(key.rawKey)))).toBe(codes.FORBIDDEN);
    const { data } = await app.gql(usageQuery, { id: key.apiKey.id, days: 1 }, auth);
    expect(data.apiKey.requestsPerHour.at(-1)).toMatchObject({ requests: 2, refused: 1 });
  });

  it('defaults to 7 days and refuses a window outside 1 to 30 days', async () => {
    const { auth, key } = await userWithKey(app);
    const { data } = await app.gql(usageQuery, { id: key.apiKey.id }, auth);
    expect(data.apiKey.requestsPerHour).toHaveLength(7 * 24);
    for (const days of [0, 31, -1]) expect(codeOf(await app.gql(usageQuery, { id: key.apiKey.id, days }, auth))).toBe(codes.BAD_USER_INPUT);
  });

  it('needs tokens:read, as the activity log does', async () => {
    const { auth, key } = await userWithKey(app);
    const { rawKey } = await createKey(app, auth, { name: 'reader', scopes: ['account:read'] });
    expect(codeOf(await app.gql(usageQuery, { id: key.apiKey.id, days: 1 }, keyHeader(rawKey)))).toBe(codes.FORBIDDEN);
  });
});
