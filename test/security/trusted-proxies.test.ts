import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { clientAddressResolver } from '../../src/http/client-address.js';
import { listen } from '../../src/http/listen.js';
import { loadConfig } from '../../src/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginMutation, registerUser } from '../helpers/flows.js';

// Behind a load balancer every client shares its address: per-address limits and
// logged addresses must come from X-Forwarded-For, but only when a trusted proxy wrote it.
const ipCap = '5';

async function listeningApp(env: Record<string, string>) {
  const app = await createTestApp({ env: { RATE_LIMIT_LOGIN_IP_PER_HOUR: ipCap, ...env } });
  const listening = await listen(app.app, 0, '127.0.0.1');
  const graphqlLogin = async (forwardedFor: string, username: string, password: string) => {
    const response = await fetch(`${listening.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: loginMutation, variables: { input: { username, password } } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return body.errors?.[0]?.extensions?.code ?? 'OK';
  };
  const restLogin = async (forwardedFor: string, username: string, password: string) => {
    const response = await fetch(`${listening.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password }),
    });
    return response.status;
  };
  const close = async () => {
    listening.server.close();
    await app.close();
  };
  return { app, graphqlLogin, restLogin, close };
}

describe('TRUSTED_PROXIES=127.0.0.1/32: the client address comes from X-Forwarded-For', () => {
  let proxied: Awaited<ReturnType<typeof listeningApp>>;
  beforeAll(async () => {
    proxied = await listeningApp({ TRUSTED_PROXIES: '127.0.0.1/32' });
  });
  afterAll(() => proxied.close());

  it('six failed logins from one client do not lock out another client behind the same proxy (GraphQL)', async () => {
    const { identity: sprayed } = await registerUser(proxied.app);
    const { identity: victim } = await registerUser(proxied.app);
    const answers = [];
    for (let attempt = 0; attempt < 6; attempt += 1) answers.push(await proxied.graphqlLogin('203.0.113.7', sprayed.username, 'a wrong guess'));
    expect(answers).toEqual([...Array(5).fill(codes.UNAUTHENTICATED), codes.RATE_LIMITED]);
    expect(await proxied.graphqlLogin('203.0.113.8', victim.username, victim.password)).toBe('OK');
  });

  it('and the same over REST; the client address is what the token log records', async () => {
    const { identity: sprayed, user } = await registerUser(proxied.app);
    const { identity: victim } = await registerUser(proxied.app);
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push(await proxied.restLogin('198.51.100.1, 203.0.113.9', sprayed.username, 'a wrong guess'));
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await proxied.restLogin('203.0.113.10', victim.username, victim.password)).toBe(200);
    await proxied.app.runtime.tokenEvents.flush();
    const events = await proxied.app.runtime.db.tokenEvent.findMany({ where: { userId: user.id, action: 'login' } });
    expect(new Set(events.map((event) => event.ip))).toEqual(new Set(['203.0.113.9']));
  });
});

describe('without TRUSTED_PROXIES', () => {
  let direct: Awaited<ReturnType<typeof listeningApp>>;
  beforeAll(async () => {
    direct = await listeningApp({});
  });
  afterAll(() => direct.close());

  it('a spoofed X-Forwarded-For is ignored: the socket address is the one counted', async () => {
    const { identity: sprayed } = await registerUser(direct.app);
    const { identity: victim } = await registerUser(direct.app);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await direct.graphqlLogin(`203.0.113.${attempt}`, sprayed.username, 'a wrong guess')).toBe(codes.UNAUTHENTICATED);
    }
    expect(await direct.graphqlLogin('203.0.113.8', victim.username, victim.password)).toBe(codes.RATE_LIMITED);
    expect(await direct.restLogin('203.0.113.9', victim.username, victim.password)).toBe(429);
  });
});

describe('the client address', () => {
  const resolve = clientAddressResolver(['10.0.0.0/8', '2001:db8::/32']);

  it('is the rightmost hop that is not a trusted proxy', () => {
    expect(resolve('10.1.2.3', '198.51.100.7, 203.0.113.5, 10.9.9.9')).toBe('203.0.113.5');
    expect(resolve('::ffff:10.1.2.3', '2001:db8::1, 2a00:1450::1')).toBe('2a00:1450::1');
    expect(resolve('2001:db8::5', '203.0.113.5')).toBe('203.0.113.5');
  });

  it('is the socket peer when the peer is not trusted, or nothing was forwarded', () => {
    expect(resolve('192.0.2.1', '203.0.113.5')).toBe('192.0.2.1');
    expect(resolve('10.1.2.3', null)).toBe('10.1.2.3');
    expect(clientAddressResolver([])('10.1.2.3', '203.0.113.5')).toBe('10.1.2.3');
  });

  it('stops at a malformed hop, and is the leftmost hop when every hop is trusted', () => {
    expect(resolve('10.1.2.3', '203.0.113.5, not-an-address, 10.2.2.2')).toBe('10.2.2.2');
    expect(resolve('10.1.2.3', '10.3.3.3, 10.2.2.2')).toBe('10.3.3.3');
  });

  it('TRUSTED_PROXIES takes IPv4 and IPv6 ranges and bare addresses, and refuses anything else', () => {
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, ::1, 2001:db8::/32 ' }).trustedProxies).toEqual(['10.0.0.0/8', '::1', '2001:db8::/32']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/', '::1/129']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });
});
