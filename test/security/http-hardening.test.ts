import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loginMutation, registerUser } from '../helpers/flows.js';
import { call } from '../helpers/rest.js';
import { request as httpRequest } from 'node:http';
import { createApp } from '../../src/app.js';
import { listen } from '../../src/http/listen.js';
import { codes } from '../../src/errors.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { REQUEST_TIMEOUT: '1' } });
});
afterAll(() => app.close());

describe('headers', () => {
  it.each(['/healthz', '/.well-known/jwks.json', '/openapi.json', '/v1/nothing', '/graphql?query=%7B__typename%7D'])('%s carries the security headers and a locked-down CSP', async (path) => {
    const response = await app.request(path);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  });

  it('every answer of a listening server carries them, errors too, with its request id', async () => {
    const { server, url } = await listen(createApp(app.runtime), 0, '127.0.0.1');
    try {
      const gqlPost = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) };
      const answers = await Promise.all([
        fetch(`${url}/v1/nothing`),
        fetch(`${url}/v1/whoami`),
        fetch(`${url}/healthz`),
        fetch(`${url}/graphql`, gqlPost),
        fetch(`${url}/graphql`, { ...gqlPost, headers: { 'content-type': 'text/plain' } }),
      ]);
      expect(answers.map((response) => response.status)).toEqual([404, 401, 200, 200, 415]);
      for (const response of answers) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
        expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
      // Each answer's request line carries the id it was sent back with.
      const requestLines = app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');
      const graphqlLine = requestLines.find((entry) => entry.reqId === answers[3]!.headers.get('x-request-id'));
      expect(graphqlLine).toMatchObject({ method: 'POST', path: '/graphql', operation: 'query __typename', status: 200 });
      const notFoundLine = requestLines.find((entry) => entry.reqId === answers[0]!.headers.get('x-request-id'));
      expect(notFoundLine).toMatchObject({ method: 'GET', path: '/v1/nothing', status: 404 });
    } finally {
      server.close();
    }
  });

  it('GraphiQL gets a CSP that allows scripts from this server only, no inline script and nothing from elsewhere', async () => {
    const response = await app.request('/graphql', { headers: { accept: 'text/html' } });
    const html = await response.text();
    const policy = response.headers.get('content-security-policy')!;
    expect(html).not.toMatch(/<script>[^<]/);
    expect(policy.split('; ').find((directive) => directive.startsWith('script-src'))).toBe("script-src 'self'");
    expect(policy).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(policy).toContain("connect-src 'self'");
  });

  it('answers that carry credentials are not cached', async () => {
    const { identity } = await registerUser(app);
    const graphql = await app.gql(loginMutation, { input: { username: identity.username, password: identity.password } });
    expect(graphql.headers.get('cache-control')).toBe('no-store');
    const rest = await call(app, 'POST', '/v1/auth/login', { body: { username: identity.username, password: identity.password } });
    expect(rest.headers.get('cache-control')).toBe('no-store');
  });
});

describe('CSRF and request shape', () => {
  it.each([
    ['text/plain', '{"query":"mutation { logout }"}'],
    ['application/x-www-form-urlencoded', 'query=mutation%20%7B%20logout%20%7D'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nmutation { logout }\r\n--x--'],
  ])('a GraphQL POST as %s (what a cross-site form can send) is refused', async (type, body) => {
    const response = await app.request('/graphql', { method: 'POST', headers: { 'content-type': type }, body });
    expect(response.status).toBe(415);
  });

  it('mutations over GET are refused', async () => {
    const response = await app.request(`/graphql?query=${encodeURIComponent('mutation { logout }')}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(405);
  });

  it('an oversized GraphQL body is 413', async () => {
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('a NUL character anywhere in the input is refused as bad input, never a 500 (PostgreSQL text cannot hold one)', async () => {
    const graphql = await app.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: 'x\u0000y' });
    expect(graphql.errors?.[0]?.extensions?.code).toBe(codes.BAD_USER_INPUT);
    expect((await call(app, 'POST', '/v1/auth/login', { body: { username: 'a\u0000b', password: 'whatever password' } })).status).toBe(422);
    expect((await call(app, 'GET', '/v1/admin/tokens/a%00b')).status).toBe(422);
  });

  it('a request that takes longer than REQUEST_TIMEOUT ends with 503', async () => {
    const original = app.runtime.db.user.findFirst;
    app.runtime.db.user.findFirst = ((...args: Parameters<typeof original>) =>
      new Promise((resolve) => setTimeout(resolve, 1500)).then(() => original(...args))) as typeof original;
    try {
      const result = await call(app, 'POST', '/v1/auth/login', { body: { username: 'slowpoke', password: 'whatever password' } });
      expect(result.status).toBe(503);
      expect(result.body).toEqual({ detail: 'The request took too long.', code: codes.TIMEOUT, message: 'The request took too long.' });
      const graphql = await app.gql(loginMutation, { input: { username: 'slowpoke', password: 'whatever password' } });
      expect(graphql.status).toBe(503);
      expect(graphql.errors?.[0]?.extensions?.code).toBe(codes.TIMEOUT);
      expect(graphql.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      app.runtime.db.user.findFirst = original;
    }
  });
});

describe('bodies through a listening server', () => {
  /** Sends with node:http so that the body goes chunked (no Content-Length) or with a declared length. */
  const send = (url: string, path: string, body: string, chunked: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'body-test' };
      if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
      const request = httpRequest(`${url}${path}`, { method: 'POST', headers }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      });
      request.on('error', reject);
      // Two writes: with no Content-Length node sends them as chunks.
      request.write(body.slice(0, 10));
      request.end(body.slice(10));
    });

  it.each([true, false])('GraphQL and REST bodies are read whole under the limit and refused over it (chunked: %s)', async (chunked) => {
    const { server, url } = await listen(createApp(app.runtime), 0, '127.0.0.1');
    try {
      const small = await send(url, '/graphql', JSON.stringify({ query: '{ __typename }' }), chunked);
      expect(small).toEqual({ status: 200, body: '{"data":{"__typename":"Query"}}' });
      const large = await send(url, '/graphql', JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70_000)}` }), chunked);
      expect(large.status).toBe(413);
      const login = await send(url, '/v1/auth/login', JSON.stringify({ username: 'nobody-here', password: 'x'.repeat(70_000) }), chunked);
      expect(login.status).toBe(413);
      const tooLarge = 'The request body is too large.';
      expect(JSON.parse(login.body)).toEqual({ detail: tooLarge, code: codes.PAYLOAD_TOO_LARGE, message: tooLarge });
    } finally {
      server.close();
    }
  });
});
