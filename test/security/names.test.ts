import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createApiKeyMutation, verifiedSession } from '../helpers/apikeys.js';
import { codeOf, registerMutation } from '../helpers/flows.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { call } from '../helpers/rest.js';

const clientId = 'authgraph-test.apps.googleusercontent.com';
let provider: OidcTestProvider;
let app: TestApp;
beforeAll(async () => {
  provider = await startOidcProvider({ clientId });
  app = await createTestApp({ env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId } });
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

const forged = [
  ['CR LF', 'Ada\r\nX-Admin: true'],
  ['LF', 'Ada\nLovelace'],
  ['CR', 'Ada\rLovelace'],
  ['a tab', 'Ada\tLovelace'],
  ['ESC', 'Ada\u001b[31mLovelace'],
  ['DEL', 'Ada\u007f'],
  ['a C1 control', 'Ada\u0085Lovelace'],
  ['a line separator', 'Ada\u2028Lovelace'],
  ['a bidirectional override', 'Ada\u202eecalevoL'],
];

describe('fullName', () => {
  it.each(forged)('with %s is refused on register through GraphQL (BAD_USER_INPUT on fullName)', async (_case, fullName) => {
    const identity = newIdentity();
    const result = await app.gql(registerMutation, { input: { ...identity, fullName } });
    expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
    expect(result.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'fullName' })]);
    expect(await app.runtime.db.user.count({ where: { username: identity.username } })).toBe(0);
  });

  it.each(forged)('with %s is refused on POST /v1/register (422)', async (_case, fullName) => {
    const identity = newIdentity();
    const result = await call(app, 'POST', '/v1/register', { body: { ...identity, full_name: fullName } });
    expect(result.status).toBe(errorCodes.BAD_USER_INPUT.status);
    expect(await app.runtime.db.user.count({ where: { username: identity.username } })).toBe(0);
  });

  it('an ordinary name, accents, apostrophes and emoji included, is kept (trimmed)', async () => {
    const identity = newIdentity();
    const result = await app.gql(registerMutation, { input: { ...identity, fullName: "  Zoë O'Brien-Nguyễn 👩‍💻 " } });
    expect(result.errors).toBeUndefined();
    const user = await app.runtime.db.user.findUniqueOrThrow({ where: { username: identity.username } });
    expect(user.fullName).toBe("Zoë O'Brien-Nguyễn 👩‍💻");
  });

  it('a name from Google with line breaks is kept without them (the sign-in is not refused)', async () => {
    const claims = provider.claims({ name: 'Ada\r\nX-Admin: true\u0000' });
    const result = await app.gql(`mutation($credential: String!) { googleSignIn(credential: $credential) { user { id } } }`, {
      credential: await provider.mint(claims, { now: app.clock() }),
    });
    expect(result.errors).toBeUndefined();
    const user = await app.runtime.db.user.findUniqueOrThrow({ where: { email: claims.email as string } });
    expect(user.fullName).toBe('Ada  X-Admin: true');
  });
});

describe('API key names', () => {
  it.each(forged)('with %s are refused (BAD_USER_INPUT on name)', async (_case, name) => {
    const { auth } = await verifiedSession(app);
    const result = await app.gql(createApiKeyMutation, { input: { name } }, auth);
    expect(codeOf(result)).toBe(codes.BAD_USER_INPUT);
    expect(result.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it('an ordinary name is kept', async () => {
    const { auth } = await verifiedSession(app);
    const result = await app.gql(createApiKeyMutation, { input: { name: ' déploiement CI ' } }, auth);
    expect(result.errors).toBeUndefined();
    expect(result.data.createApiKey.apiKey.name).toBe('déploiement CI');
  });
});
