import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { codeOf, registeredSession } from '../helpers/flows.js';
import { codes } from '../../src/errors.js';

// Issue 8, attack 12: documents over a limit are refused before any database query runs.
let app: TestApp;
let production: TestApp;
beforeAll(async () => {
  // The schema is shallow; a lower depth limit lets an ordinary query cross it (introspection is exempt where allowed).
  app = await createTestApp({ env: { GRAPHQL_MAX_DEPTH: '3' } });
  production = await createTestApp({ env: { NODE_ENV: 'production' } });
});
afterAll(async () => {
  await app.close();
  await production.close();
});

/** Counts the queries Prisma sends while `run` goes. */
async function queriesDuring(target: TestApp, run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const db = target.runtime.db.$extends({ query: { $allOperations: ({ args, query }) => ((count += 1), query(args)) } });
  const original = target.runtime.db;
  target.runtime.db = db as typeof original;
  try {
    await run();
  } finally {
    target.runtime.db = original;
  }
  return count;
}

describe('GraphQL Armor limits', () => {
  const cases: [string, string][] = [
    ['depth', '{ apiKeys { edges { node { id name } } } }'],
    ['aliases', `{ ${Array.from({ length: 30 }, (_, index) => `a${index}: whoami { credential { id } }`).join(' ')} }`],
    ['tokens', `{ whoami { ${Array.from({ length: 1200 }, () => '__typename').join(' ')} } }`],
    ['directives', `{ whoami @include(if: true) ${'@skip(if: false) '.repeat(30)} { credential { id } } }`],
  ];
  const limitMessages: Record<string, RegExp> = {
    depth: /depth limit of 3/i,
    aliases: /aliases limit of 10/i,
    tokens: /token limit of 1000/i,
    directives: /directives limit of 10/i,
    cost: /cost limit of 5000/i,
  };
  // Cost needs many fields but few tokens: one fragment spread many times.
  cases.push([
    'cost',
    `{ whoami { ${'...Everything '.repeat(120)} } } fragment Everything on Whoami { user { id username email fullName createdAt } credential { id kind name } }`,
  ]);

  it.each(cases)('a document over the %s limit is refused without touching the database', async (limit, document) => {
    const { auth } = await registeredSession(app);
    let result: Awaited<ReturnType<TestApp['gql']>> | undefined;
    const queries = await queriesDuring(app, async () => {
      result = await app.gql(document, {}, auth);
    });
    expect(result?.errors?.length).toBeGreaterThan(0);
    expect(result?.data ?? null).toBeNull();
    expect(queries).toBe(0);
    expect(result?.errors?.[0]?.message).toMatch(limitMessages[limit]!);
  });

  it('twenty aliased logins are refused by the alias limit, and no session is created', async () => {
    const sessionsBefore = await app.runtime.db.session.count();
    const document = `mutation { ${Array.from({ length: 20 }, (_, index) => `l${index}: login(input: { username: "victim", password: "guess${index}-password" }) { accessToken }`).join(' ')} }`;
    const result = await app.gql(document);
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(await app.runtime.db.session.count()).toBe(sessionsBefore);
  });

  it('array batching is off', async () => {
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('production mode', () => {
  it('introspection is off', async () => {
    const result = await production.gql('{ __schema { queryType { name } } }');
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('field suggestions are hidden', async () => {
    const result = await production.gql('{ whoam { credential { id } } }');
    expect(result.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const development = await app.gql('{ whoam { credential { id } } }');
    expect(development.errors?.[0]?.message).toMatch(/Did you mean/);
  });

  it('GraphiQL is not served', async () => {
    const response = await production.request('/graphql', { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('<html');
  });
});

describe('errors never leak internals', () => {
  it('an unexpected failure is a masked INTERNAL error, without message or stack in the answer or the log', async () => {
    const original = app.runtime.db.user.findFirst;
    app.runtime.db.user.findFirst = (() => Promise.reject(new Error('SELECT * FROM "User" -- connection to 10.0.0.1 refused'))) as typeof original;
    try {
      const result = await app.gql('mutation { login(input: { username: "someone", password: "whatever password" }) { accessToken } }');
      expect(codeOf(result)).toBe(codes.INTERNAL);
      expect(JSON.stringify(result.body)).not.toMatch(/SELECT|10\.0\.0\.1|at /);
      expect(app.logLines.join('')).not.toMatch(/SELECT|10\.0\.0\.1/);
    } finally {
      app.runtime.db.user.findFirst = original;
    }
  });
});
