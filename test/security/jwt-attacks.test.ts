import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { codeOf, registeredSession, whoamiQuery } from '../helpers/flows.js';
import { bearer, call } from '../helpers/rest.js';
import { codes } from '../../src/errors.js';

// Issue 8, attack 6: forged and misused access tokens are refused before any resolver runs.
let app: TestApp;
let victim: Awaited<ReturnType<typeof registeredSession>>;
let claims: { sub: string; sid: string; jti: string };

beforeAll(async () => {
  app = await createTestApp();
  victim = await registeredSession(app);
  const [, payload] = victim.tokens.accessToken.split('.');
  claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
});
afterAll(() => app.close());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(app.clock().getTime() / 1000);

/** Signs with the server's own key: only the claim under test is wrong. */
function withServerKey(overrides: Record<string, unknown>, omit: string[] = []) {
  const { current } = app.runtime.signingKeys;
  const base: Record<string, unknown> = {
    sub: claims.sub,
    sid: claims.sid,
    jti: 'forged',
    iss: app.config.jwt.issuer,
    aud: app.config.jwt.audience,
    iat: nowSeconds(),
    exp: nowSeconds() + 600,
    ...overrides,
  };
  for (const claim of omit) delete base[claim];
  return new SignJWT(base).setProtectedHeader({ alg: 'EdDSA', kid: current.kid, typ: 'at+jwt' }).sign(current.privateKey);
}

/** Every claim right: only the header or the key under test is wrong. */
const validClaims = () =>
  new SignJWT({ sid: claims.sid, jti: 'x' })
    .setSubject(claims.sub)
    .setIssuer(app.config.jwt.issuer)
    .setAudience(app.config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime('10m');

async function forgedTokens(): Promise<[string, string][]> {
  const [head, , signature] = victim.tokens.accessToken.split('.');
  const publicJwk = app.runtime.signingKeys.jwks.keys[0]!;
  const { privateKey: strangerKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return [
    ['alg: none', `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claims, iss: app.config.jwt.issuer, aud: app.config.jwt.audience, exp: nowSeconds() + 600 })}.`],
    [
      'HS256 signed with the public key (algorithm confusion)',
      await validClaims()
        .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'at+jwt' })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
    ],
    ['an unknown kid', await validClaims().setProtectedHeader({ alg: 'EdDSA', kid: 'not-ours', typ: 'at+jwt' }).sign(strangerKey)],
    ['our kid on a stranger key', await validClaims().setProtectedHeader({ alg: 'EdDSA', kid: publicJwk.kid, typ: 'at+jwt' }).sign(strangerKey)],
    ['a wrong iss', await withServerKey({ iss: 'https://evil.example' })],
    ['a wrong aud', await withServerKey({ aud: 'another-service' })],
    ['a missing aud', await withServerKey({}, ['aud'])],
    ['a missing sid', await withServerKey({}, ['sid'])],
    ['an expired token', await withServerKey({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })],
    ['a future nbf', await withServerKey({ nbf: nowSeconds() + 3600 })],
    ['a tampered payload', `${head}.${b64({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })}.${signature}`],
    ['a refresh token', victim.tokens.refreshToken],
  ];
}

describe('forged access tokens', () => {
  it('each is UNAUTHENTICATED on GraphQL and 401 on REST, and no resolver runs', async () => {
    const forged = await forgedTokens();
    for (const [name, token] of forged) {
      const graphql = await app.gql('mutation { logout }', {}, bearer(token));
      expect(codeOf(graphql), name).toBe(codes.UNAUTHENTICATED);
      expect(graphql.data ?? null, name).toBeNull();
      const rest = await call(app, 'GET', '/v1/whoami', { headers: bearer(token) });
      expect(rest.status, name).toBe(401);
    }
    expect((await app.gql(whoamiQuery, {}, victim.auth)).errors, 'the real session survived every attempt').toBeUndefined();
  });

  it('a token of a deleted user is refused', async () => {
    const doomed = await registeredSession(app);
    await app.runtime.db.user.delete({ where: { id: doomed.user.id } });
    expect(codeOf(await app.gql(whoamiQuery, {}, doomed.auth))).toBe(codes.UNAUTHENTICATED);
    expect((await call(app, 'GET', '/v1/whoami', { headers: doomed.auth })).status).toBe(401);
  });

  it('an access token presented as a refresh token is refused', async () => {
    const result = await app.gql('mutation($t: String) { refresh(refreshToken: $t) { accessToken } }', { t: victim.tokens.accessToken });
    expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
    const rest = await call(app, 'POST', '/api/auth/refresh', { headers: bearer(victim.tokens.accessToken) });
    expect(rest.status).toBe(401);
  });
});

describe('the published JWKS', () => {
  it('holds public parts only', async () => {
    const jwks = await (await app.request('/.well-known/jwks.json')).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  });
});
