import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { codeOf, loginFrom, registerUser } from '../helpers/flows.js';
import { codes } from '../../src/errors.js';

// The per-address cap on failed logins across accounts (test/security/rate-limits.test.ts
// covers the per-account and account+address limits).
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { RATE_LIMIT_LOGIN_IP_PER_HOUR: '3' } });
});
afterAll(() => app.close());

describe('failed logins per address', () => {
  it('one address spraying many accounts is cut off after RATE_LIMIT_LOGIN_IP_PER_HOUR; others still sign in', async () => {
    const accounts = await Promise.all([1, 2, 3, 4].map(() => registerUser(app)));
    for (const { identity } of accounts.slice(0, 3)) {
      expect(codeOf(await loginFrom(app, '192.0.2.7', identity.username, 'a sprayed guess'))).toBe(codes.UNAUTHENTICATED);
    }
    const sprayed = await loginFrom(app, '192.0.2.7', accounts[3]!.identity.username, 'a sprayed guess');
    expect(codeOf(sprayed)).toBe(codes.RATE_LIMITED);
    expect(sprayed.errors?.[0]?.extensions?.retryAfter).toEqual(expect.any(Number));
    expect((await loginFrom(app, '192.0.2.8', accounts[3]!.identity.username, accounts[3]!.identity.password)).errors).toBeUndefined();
  });
});
