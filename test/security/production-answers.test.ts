import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registeredSession, whoamiQuery } from '../helpers/flows.js';

let production: TestApp;
let development: TestApp;
beforeAll(async () => {
  [production, development] = await Promise.all([createTestApp({ env: { NODE_ENV: 'production' } }), createTestApp({ env: { NODE_ENV: 'development' } })]);
});
afterAll(() => Promise.all([production.close(), development.close()]));

// Each document or variables would get a "Did you mean ...?" from graphql-js.
const suggestionCases: [string, string, Record<string, unknown>?][] = [
  ['an enum literal', 'mutation { setUserRole(username: "x", role: ADMN) { id } }'],
  ['an enum variable', 'mutation ($role: Role!) { setUserRole(username: "x", role: $role) { id } }', { role: 'ADMN' }],
  ['an enum in an input variable', 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { username: 'x', password: 'y', clientType: 'BROWSR' } }],
  ['an input field in a variable', 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', { input: { usernam: 'x', password: 'y' } }],
  ['an input field literal', 'mutation { login(input: { usernam: "x", password: "y" }) { accessToken } }'],
  ['a field', '{ whoam { user { id } } }'],
  ['an argument', 'mutation { setUserRole(usernam: "x", role: ADMIN) { id } }'],
  ['a type', 'query ($x: Strin) { __typename }'],
];

describe('GraphQL errors in production', () => {
  it.each(suggestionCases)('%s: no "Did you mean" in production (development still suggests)', async (_case, query, variables) => {
    const answer = await production.gql(query, variables);
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer.body)).not.toMatch(/did you mean/i);
    expect(JSON.stringify((await development.gql(query, variables)).body)).toMatch(/did you mean/i);
  });
});

describe('GET /graphql', () => {
  it('an answer with account data is never cached (Cache-Control: no-store)', async () => {
    const { auth, identity } = await registeredSession(production);
    const response = await production.request(`/graphql?query=${encodeURIComponent(whoamiQuery)}`, { headers: { ...auth, accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(identity.username);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('an error answer is not cached either', async () => {
    const response = await production.request(`/graphql?query=${encodeURIComponent('{ whoami { nothing } }')}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
