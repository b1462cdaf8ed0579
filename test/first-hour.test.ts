import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../src/errors.js';
import { printedSchema } from '../src/schema/index.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { registerUser } from './helpers/flows.js';
import { transportNames, transports } from './helpers/transports.js';

// Issue 21: what a developer meets in the first hour: schema tools read the schema,
// a stale access token does not break sign-in or refresh, GET / says where to go.
const introspection = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});
const json = { 'content-type': 'application/json', 'user-agent': 'first-hour-test' };

describe.each(transportNames)('%s', (transport) => {
  const wire = transports();
  const send = wire.send(transport);
  let app: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    // NODE_ENV=development as `npm start` has it; mail goes to DATA_DIR/outbox.
    app = await createTestApp({ env: { NODE_ENV: 'development', REQUIRE_VERIFIED_EMAIL: 'false' } });
    production = await createTestApp({ env: { NODE_ENV: 'production' } });
    await wire.open(app);
  });
  afterAll(async () => {
    await wire.close();
    await Promise.all([app.close(), production.close()]);
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await send('/graphql', { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
  };

  describe('schema tools', () => {
    it('the standard introspection query (15 deep) is answered in development, and gives the schema the server prints', async () => {
      const result = await gql(introspection);
      expect(result.errors).toBeUndefined();
      const schema = buildClientSchema(result.data as IntrospectionQuery);
      expect(`${printSchema(lexicographicSortSchema(schema))}\n`).toBe(printedSchema());
    });

    it('GET /graphql/schema.graphql is the SDL', async () => {
      const response = await send('/graphql/schema.graphql', {});
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(await response.text()).toBe(printedSchema());
    });

    it('with introspection off (production) neither is offered', async () => {
      const answer = await production.gql(introspection);
      // Refused by the depth limit, which holds for introspection when it is not allowed, or by the introspection ban.
      expect(answer.errors?.[0]?.message).toMatch(/introspection|depth/i);
      expect(answer.data ?? null).toBeNull();
      expect((await production.request('/graphql/schema.graphql')).status).toBe(404);
    });
  });

  describe('a stale access token does not block what needs none', () => {
    async function staleSession() {
      const { identity } = await registerUser(app, newIdentity());
      const login = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }', {
        i: { username: identity.username, password: identity.password },
      });
      const tokens = login.data.login as { accessToken: string; refreshToken: string };
      app.clock.advance((app.runtime.accessTokens.ttlSeconds + 60) * 1000);
      return { identity, tokens, stale: { authorization: `Bearer ${tokens.accessToken}` } };
    }

    it('GraphQL: refresh, login, register and forgotPassword go through; whoami answers UNAUTHENTICATED', async () => {
      const { identity, tokens, stale } = await staleSession();
      expect((await gql('{ whoami { user { id } } }', {}, stale)).errors?.[0]?.extensions?.code).toBe(codes.UNAUTHENTICATED);
      const refreshed = await gql('mutation($t: String) { refresh(refreshToken: $t) { accessToken } }', { t: tokens.refreshToken }, stale);
      expect(refreshed.errors).toBeUndefined();
      const fresh = { authorization: `Bearer ${refreshed.data.refresh.accessToken}` };
      expect((await gql('{ whoami { user { username } } }', {}, fresh)).data.whoami.user.username).toBe(identity.username);
      const login = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { username: identity.username, password: identity.password } }, stale);
      expect(login.errors).toBeUndefined();
      const other = newIdentity();
      expect((await gql('mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: other }, stale)).errors).toBeUndefined();
      expect((await gql('mutation($e: EmailAddress!) { forgotPassword(email: $e) }', { e: identity.email }, stale)).errors).toBeUndefined();
    });

    it('REST: a refresh and a login sent with a stale bearer beside them go through; a protected path answers 401', async () => {
      const { identity, stale } = await staleSession();
      const login = await send('/api/auth/login', { method: 'POST', headers: { ...json, ...stale }, body: JSON.stringify({ email: identity.email, password: identity.password }) });
      expect(login.status).toBe(200);
      const me = await send('/api/v1/service-accounts', { headers: { ...json, ...stale } });
      expect(me.status).toBe(401);
      expect(((await me.json()) as { code: string }).code).toBe(codes.UNAUTHENTICATED);
    });
  });

  describe('/dev/mail', () => {
    it('shows the outbox decoded, newest first, its links clickable; not served in production', async () => {
      const identity = newIdentity();
      await gql('mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity });
      await app.runtime.background.idle();
      const listed = async () => ((await (await send('/dev/mail', {})).json()) as { mail: { to: string; subject: string; text: string }[] }).mail;
      await expect.poll(async () => (await listed())[0]?.to).toBe(identity.email);
      const [latest] = await listed();
      const link = /https?:\/\/\S+/.exec(latest!.text)![0];
      const html = await (await send('/dev/mail', { headers: { accept: 'text/html' } })).text();
      expect(html).toContain(`<a href="${link.replaceAll('&', '&#38;')}">`);
      expect(html).toContain(latest!.subject.replaceAll('&', '&#38;'));
      expect((await production.request('/dev/mail')).status).toBe(404);
    });
  });

  describe('GET /', () => {
    it('links to GraphiQL, the console, the docs and the probes: a page for a browser, JSON otherwise', async () => {
      const page = await send('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      for (const href of ['/graphql', '/console', '/docs', '/healthz', '/graphql/schema.graphql']) expect(html).toContain(`href="${href}"`);
      const links = (await (await send('/', {})).json()) as { links: { rel: string; href: string }[] };
      expect(links.links.map((link) => link.rel)).toEqual(expect.arrayContaining(['graphiql', 'console', 'docs', 'health', 'ready']));
      const offline = (await (await production.request('/')).json()) as { links: { rel: string }[] };
      expect(offline.links.map((link) => link.rel)).not.toContain('graphiql');
      expect(offline.links.map((link) => link.rel)).not.toContain('schema');
    });
  });
});
