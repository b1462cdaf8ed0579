import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../../src/errors.js';
import { schema } from '../../src/schema/index.js';
import { startSession } from '../../src/sessions/login.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createKey, verifiedSession } from '../helpers/apikeys.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { rowCounts } from '../helpers/security.js';

// Issue 8, attack 14: random GraphQL variables for every query and mutation, and random
// bodies, headers and credentials for every REST route. Never a 5xx or a masked INTERNAL,
// never a crash, and a refused request changes no table. FUZZ_RUNS sets the cases per
// entry point (GraphQL, REST); FUZZ_TIME_LIMIT caps each, in seconds.
const runs = Number(process.env.FUZZ_RUNS ?? 2000);
const timeLimitMs = Number(process.env.FUZZ_TIME_LIMIT ?? 25) * 1000;

let app: TestApp;
let oidc: OidcTestProvider;
/** Real credentials the generators pick by name; the session is renewed once something ends it. */
const pool: Record<string, string> = {};
let victim: Awaited<ReturnType<typeof verifiedSession>>;

beforeAll(async () => {
  oidc = await startOidcProvider({ clientId: 'fuzz-client' });
  // The pooled key must stay usable for every case, not hit its per-minute limit after sixty; a
  // deleteAccount the fuzzer sends schedules the deletion (the account, and the pool, stay).
  app = await createTestApp({
    env: { OIDC_CLIENT_ID: 'fuzz-client', OIDC_ISSUER: oidc.issuer, API_KEY_RPM_FREE: '1000000', ACCOUNT_DELETION_GRACE: String(30 * 86400) },
  });
  victim = await verifiedSession(app);
  const key = await createKey(app, victim.auth);
  const revoked = await createKey(app, victim.auth, { name: 'revoked' });
  await app.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: revoked.apiKey.id }, victim.auth);
  Object.assign(pool, {
    apiKey: key.rawKey,
    revokedKey: revoked.rawKey,
    googleCredential: await oidc.mint(oidc.claims()),
    username: victim.identity.username,
    email: victim.identity.email,
    password: victim.identity.password,
  });
  await renewSession();
}, 60_000);
afterAll(async () => {
  await app.close();
  await oidc.close();
});

/** A fresh session for the pool, minted by the service directly (no argon2 per renewal). */
async function renewSession() {
  const tokens = await startSession(app.runtime, victim.user.id, { clientType: 'API', rememberMe: false }, { userAgent: 'fuzz' });
  pool.accessToken = tokens.accessToken;
  pool.refreshToken = tokens.refreshToken;
  pool.sessionId = tokens.sessionId;
}

async function keepSessionAlive() {
  const session = await app.runtime.db.session.findUnique({ where: { id: pool.sessionId } });
  if (!session || session.revokedAt) await renewSession();
}

const credentialNames = ['accessToken', 'refreshToken', 'apiKey', 'revokedKey'] as const;
const credential = (name: string) => pool[name] ?? name;

/** Strings worth trying anywhere: pooled secrets by name (resolved at request time), injections, edges. */
const tricky = fc.constantFrom(
  ...credentialNames.map((name) => `@${name}`),
  '@username', '@email', '@password', '@googleCredential',
  "' OR '1'='1", '"; DROP TABLE "User"; --', '{"$ne":null}', '__proto__', 'constructor', '../../etc/passwd',
  '\u0000', '\u202e', '%00', '${7*7}', '<script>alert(1)</script>', 'a'.repeat(300), '0'.repeat(6), '123456',
  'sk_live_' + 'A'.repeat(43), 'rt_' + 'A'.repeat(43), 'eyJhbGciOiJub25lIn0.e30.',
);
const resolveTricky = (value: string) => (value.startsWith('@') ? credential(value.slice(1)) : value);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: tricky.map(resolveTricky) },
  { weight: 1, arbitrary: fc.emailAddress() },
);
const junk = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }),
);

const scalarValues: Record<string, fc.Arbitrary<unknown>> = {
  String: text,
  ID: fc.oneof(text, fc.uuid()),
  Int: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.integer()),
  Boolean: fc.boolean(),
  DateTime: fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), text),
  EmailAddress: fc.oneof(fc.emailAddress(), tricky.map(resolveTricky), text),
};

/** Mostly well-typed values for a GraphQL input type, sometimes anything at all. */
function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const typed = (): fc.Arbitrary<unknown> => {
    if (isNonNullType(type)) return valueFor(type.ofType, depth);
    if (isListType(type)) return fc.array(valueFor(type.ofType, depth + 1), { maxLength: 4 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name));
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((field) => [field.name, valueFor(field.type, depth + 1)])), { requiredKeys: [] });
    }
    return scalarValues[getNamedType(type).name] ?? text;
  };
  const options = [{ weight: 10, arbitrary: typed() }, { weight: 1, arbitrary: junk }];
  if (!isNonNullType(type)) options.push({ weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof(...options);
}

/** One document per root field, every argument a variable. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const args: readonly GraphQLArgument[] = field.args;
  const definitions = args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passing = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const document = `${kind}${definitions ? ` F(${definitions})` : ''} { ${field.name}${passing ? `(${passing})` : ''}${selection} }`;
  const variables = fc.record(Object.fromEntries(args.map((arg) => [arg.name, valueFor(arg.type)])), { requiredKeys: [] });
  return { name: `${kind} ${field.name}`, field: field.name, document, variables };
}

const operations = [
  ...Object.values(schema.getQueryType()!.getFields()).map((field) => operationFor('query', field)),
  ...Object.values(schema.getMutationType()!.getFields()).map((field) => operationFor('mutation', field)),
];

const headerText = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Random credentials: pooled ones by name, broken ones, Basic ones, cookies and User-Agents. */
const headers = fc
  .record(
    {
      authorization: fc.oneof(
        fc.constantFrom(...credentialNames).map((name) => `Bearer @${name}`),
        headerText.map((value) => `Bearer ${value}`),
        headerText,
        fc.tuple(headerText, headerText).map(([user, password]) => basicOf(user, password)),
        fc.constant('Basic @victim'),
      ),
      'x-api-key': fc.oneof(fc.constantFrom('@apiKey', '@revokedKey', '@accessToken'), headerText),
      cookie: fc.oneof(fc.constant('authgraph_refresh=@refreshToken'), headerText),
      'user-agent': fc.oneof(fc.constant('fuzz'), headerText),
    },
    { requiredKeys: [] },
  )
  .map((chosen) => chosen as Record<string, string>);

/** Turns the symbolic credentials into the pool's current values. */
function realHeaders(chosen: Record<string, string>): Record<string, string> {
  const real: Record<string, string> = {};
  for (const [name, value] of Object.entries(chosen)) {
    real[name] =
      value === 'Basic @victim'
        ? basicOf(pool.username!, pool.password!)
        : value.replace(/@(\w+)/, (whole, key: string) => pool[key] ?? whole);
  }
  return real;
}

// Every code a response can carry is in the catalogue, the transport codes and GraphQL's own included.
const knownCodes = new Set<string>(Object.keys(errorCodes));

const totals = { graphql: 0, rest: 0, refused: 0, byEntry: new Map<string, number>() };
const count = (entry: string) => totals.byEntry.set(entry, (totals.byEntry.get(entry) ?? 0) + 1);

afterAll(() => {
  const perEntry = [...totals.byEntry].map(([entry, cases]) => `${entry}=${cases}`).join(' ');
  console.info(`fuzz: ${totals.graphql} GraphQL cases over ${operations.length} fields, ${totals.rest} REST cases over ${app.restRoutes.length} routes, ${totals.refused} refused\n${perEntry}`);
});

describe('fuzzing', () => {
  it(
    'GraphQL: random variables and credentials for every query and mutation',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...operations).chain((operation) => fc.tuple(fc.constant(operation), operation.variables, headers)), async ([operation, variables, chosen]) => {
          await keepSessionAlive();
          const before = await rowCounts(app);
          const response = await app.request('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...realHeaders(chosen) },
            body: JSON.stringify({ query: operation.document, variables }),
          });
          totals.graphql += 1;
          count(operation.name);
          expect(response.status, operation.name).toBeLessThan(500);
          const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
          for (const error of body.errors ?? []) {
            expect(error.extensions?.code, operation.name).not.toBe(codes.INTERNAL);
            expect(knownCodes.has(error.extensions?.code ?? ''), `${operation.name}: ${error.extensions?.code}`).toBe(true);
          }
          if (body.errors && (body.data?.[operation.field] ?? null) === null) {
            totals.refused += 1;
            expect(await rowCounts(app), `${operation.name} was refused yet changed a table`).toEqual(before);
          }
        }),
        { numRuns: runs, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
      );
      expect(totals.graphql).toBeGreaterThan(0);
    },
    timeLimitMs + 30_000,
  );

  it(
    'REST: random bodies, headers and credentials for every route',
    async () => {
      const bodyFields = ['username', 'email', 'password', 'full_name', 'name', 'remember_me', 'client_type', 'uid', 'code', 'token', 'new_password', 'credential', 'scopes', 'expires_at'];
      const body = fc.oneof(
        { weight: 4, arbitrary: fc.record(Object.fromEntries(bodyFields.map((field) => [field, fc.oneof(text, junk)])), { requiredKeys: [] }).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      );
      const segment = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent), tricky.map((value) => encodeURIComponent(resolveTricky(value))));
      const request = fc.record({
        route: fc.constantFrom(...app.restRoutes),
        otherMethod: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), { freq: 5 }),
        segments: fc.array(segment, { minLength: 3, maxLength: 3 }),
        contentType: fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'), { freq: 6 }),
        body,
        headers,
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ route, otherMethod, segments, contentType, body: payload, headers: chosen }) => {
          await keepSessionAlive();
          let index = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => segments[index++ % segments.length]!);
          const method = otherMethod ?? route.method;
          const requestHeaders = realHeaders(chosen);
          if (contentType) requestHeaders['content-type'] = contentType;
          const before = await rowCounts(app);
          const response = await app.request(path, { method, headers: requestHeaders, body: method === 'GET' || method === 'HEAD' ? undefined : payload });
          totals.rest += 1;
          count(`${route.method} ${route.path}`);
          const label = `${method} ${path}`;
          expect(response.status, label).toBeLessThan(500);
          if (response.status >= 400) {
            totals.refused += 1;
            if (method !== 'HEAD') {
              const answer = (await response.json()) as { code?: string };
              expect(knownCodes.has(answer.code ?? ''), `${label}: ${JSON.stringify(answer)}`).toBe(true);
            }
            expect(await rowCounts(app), `${label} was refused yet changed a table`).toEqual(before);
          } else {
            await response.arrayBuffer();
          }
        }),
        { numRuns: runs, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
      );
      expect(totals.rest).toBeGreaterThan(0);
    },
    timeLimitMs + 30_000,
  );

  it('the server still answers and signs people in afterwards', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    await renewSession();
    expect((await app.gql('{ whoami { user { id } } }', {}, { authorization: `Bearer ${pool.accessToken}` })).data.whoami.user.id).toBe(victim.user.id);
  });
});
