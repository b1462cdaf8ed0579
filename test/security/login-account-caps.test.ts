import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { codeOf, loginFrom, registerUser } from '../helpers/flows.js';

// The per-account login counters count the account: its username and its e-mail
// address spend one budget, and an unknown name is answered exactly alike.
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: '3', RATE_LIMIT_LOGIN_FREE_FAILURES: '1' } });
});
afterAll(() => app.close());

const answer = async (ip: string, login: string, password: string) => codeOf(await loginFrom(app, ip, login, password)) ?? 'OK';

describe('login caps keyed by the account', () => {
  it('failures spent by username leave the e-mail address no fresh budget', async () => {
    const { identity } = await registerUser(app);
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect(await answer(ip, identity.username, 'a wrong guess')).toBe(codes.UNAUTHENTICATED);
    }
    expect(await answer('198.51.100.4', identity.email, 'a wrong guess')).toBe(codes.RATE_LIMITED);
    expect(await answer('198.51.100.5', identity.email.toUpperCase(), identity.password)).toBe(codes.RATE_LIMITED);
  });

  it('the growing delay per account and address is shared by the username and the e-mail address', async () => {
    const { identity } = await registerUser(app);
    expect(await answer('198.51.100.10', identity.email, 'a wrong guess')).toBe(codes.UNAUTHENTICATED);
    expect(await answer('198.51.100.10', identity.username, 'a wrong guess')).toBe(codes.UNAUTHENTICATED);
    expect(await answer('198.51.100.10', identity.username, identity.password)).toBe(codes.RATE_LIMITED);
    expect(await answer('198.51.100.11', identity.username, identity.password)).toBe('OK');
  });

  it('an unknown name gets the same answers, in the same order, as a known one', async () => {
    const { identity: known } = await registerUser(app);
    const unknown = newIdentity();
    const sequence = async (login: string, ipBase: number) => {
      const answers = [];
      for (let attempt = 0; attempt < 5; attempt += 1) answers.push(await answer(`203.0.113.${ipBase + attempt}`, login, 'a wrong guess'));
      return answers;
    };
    const knownAnswers = await sequence(known.username, 10);
    expect(knownAnswers).toEqual([codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.UNAUTHENTICATED, codes.RATE_LIMITED, codes.RATE_LIMITED]);
    expect(await sequence(unknown.username, 20)).toEqual(knownAnswers);
  });
});
