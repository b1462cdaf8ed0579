import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes, refusals } from '../src/errors.js';
import { listen } from '../src/http/listen.js';
import { createLogger } from '../src/logger.js';
import { usernameFromEmail } from '../src/oidc/google-account.js';
import { acceptedIssuers, createOidcProvider } from '../src/oidc/provider.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { codeOf, registeredSession, registerUser, signIn, whoamiQuery } from './helpers/flows.js';
import { signingKey, startOidcProvider, type OidcTestProvider } from './helpers/oidc-provider.js';

const clientId = 'authgraph-test.apps.googleusercontent.com';

const googleSignInMutation = `mutation GoogleSignIn($credential: String!, $clientType: ClientType, $rememberMe: Boolean) {
  googleSignIn(credential: $credential, clientType: $clientType, rememberMe: $rememberMe) {
    accessToken tokenType expiresIn refreshToken refreshExpiresAt user { id username email fullName }
  }
}`;
const accountFields = 'username email emailVerified hasPassword googleLinked canUnlinkGoogle availableSignInMethods';
const accountQuery = `{ account { ${accountFields} } }`;
const linkGoogleMutation = `mutation LinkGoogle($credential: String!) { linkGoogle(credential: $credential) { ${accountFields} } }`;
const unlinkGoogleMutation = `mutation { unlinkGoogle { ${accountFields} } }`;

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

/** An ID token valid at the app's clock, with these claims changed. */
const idToken = (overrides: Parameters<OidcTestProvider['claims']>[0] = {}) =>
  provider.mint(provider.claims(overrides), { now: app.clock() });

async function googleSignIn(credential: string, options: { clientType?: 'API' | 'BROWSER'; rememberMe?: boolean } = {}) {
  return app.gql(googleSignInMutation, { credential, ...options });
}

async function signedUpWithGoogle(overrides: Parameters<OidcTestProvider['claims']>[0] = {}) {
  const claims = provider.claims(overrides);
  const result = await googleSignIn(await provider.mint(claims, { now: app.clock() }));
  if (result.errors) throw new Error(`googleSignIn failed: ${JSON.stringify(result.errors)}`);
  const signedIn = result.data.googleSignIn;
  return { claims, user: signedIn.user, auth: { authorization: `Bearer ${signedIn.accessToken}` } };
}

async function markEmailVerified(userId: string) {
  await app.runtime.db.user.update({ where: { id: userId }, data: { emailVerified: true } });
}

const tag = () => Math.random().toString(36).slice(2, 8);

describe('googleSignIn: first sign-in', () => {
  it('creates an account: username from the e-mail, no password, e-mail verified, Google linked', async () => {
    const local = tag();
    const result = await googleSignIn(await idToken({ email: `Zoe.Doe-${local}+news@Example.com`, name: 'Zoë Doe' }));
    expect(result.errors).toBeUndefined();
    const { user, tokenType, refreshToken } = result.data.googleSignIn;
    expect(user).toMatchObject({ username: `zoe.doe-${local}`, email: `zoe.doe-${local}+news@example.com`, fullName: 'Zoë Doe' });
    expect(tokenType).toBe('bearer');
    expect(refreshToken).toMatch(/^rt_/);
    const stored = await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toBeNull();
    const account = await app.gql(accountQuery, {}, { authorization: `Bearer ${result.data.googleSignIn.accessToken}` });
    expect(account.data.account).toMatchObject({
      emailVerified: true,
      hasPassword: false,
      googleLinked: true,
      canUnlinkGoogle: false,
      availableSignInMethods: ['GOOGLE', 'EMAIL_CODE'],
    });
  });

  it('makes a taken username unique with a suffix', async () => {
    const { identity } = await registerUser(app);
    const { user } = await signedUpWithGoogle({ email: `${identity.username}@elsewhere.example` });
    expect(user.username).toMatch(new RegExp(`^${identity.username}-[a-z0-9]{4}$`));
  });

  it('returns a session that whoami accepts', async () => {
    const { user, auth } = await signedUpWithGoogle();
    const whoami = await app.gql(whoamiQuery, {}, auth);
    expect(whoami.data.whoami).toMatchObject({ user: { id: user.id }, credential: { kind: 'SESSION' } });
  });

  it('sends a BROWSER client its refresh token as an HttpOnly cookie, and honours rememberMe', async () => {
    const result = await googleSignIn(await idToken(), { clientType: 'BROWSER', rememberMe: true });
    expect(result.data.googleSignIn.refreshToken).toBeNull();
    expect(result.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const lifetime = new Date(result.data.googleSignIn.refreshExpiresAt).getTime() - app.clock().getTime();
    expect(lifetime).toBe(app.config.refresh.rememberTtl * 1000);
  });
});

describe('usernameFromEmail', () => {
  it.each([
    ['Ada.Lovelace@example.com', 'ada.lovelace'],
    ['ada+newsletter@example.com', 'ada'],
    ['José_Núñez-1@example.com', 'jose_nunez-1'],
    ['a@example.com', 'usera'],
    ['李@example.com', 'user'],
    [`${'x'.repeat(40)}@example.com`, 'x'.repeat(32)],
  ])('%s gives %s', (email, username) => {
    expect(usernameFromEmail(email)).toBe(username);
    expect(username).toMatch(/^[a-z0-9_.-]{3,32}$/);
  });
});

describe('googleSignIn: a known subject', () => {
  it('signs in to the same account, even after the e-mail changed at the provider', async () => {
    const { claims, user } = await signedUpWithGoogle();
    const users = await app.runtime.db.user.count();
    const again = await googleSignIn(await provider.mint({ ...claims, email: `renamed.${tag()}@example.com` }, { now: app.clock() }));
    expect(again.errors).toBeUndefined();
    expect(again.data.googleSignIn.user.id).toBe(user.id);
    expect(await app.runtime.db.user.count()).toBe(users);
  });

  it('creates one account when the first sign-in is sent twice at once', async () => {
    const claims = provider.claims();
    const users = await app.runtime.db.user.count();
    const results = await Promise.all([1, 2, 3].map(async () => googleSignIn(await provider.mint(claims, { now: app.clock() }))));
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined, undefined]);
    expect(new Set(results.map((result) => result.data.googleSignIn.user.id)).size).toBe(1);
    expect(await app.runtime.db.user.count()).toBe(users + 1);
  });

  it('is refused when the account is disabled', async () => {
    const { claims, user } = await signedUpWithGoogle();
    await app.runtime.db.user.update({ where: { id: user.id }, data: { disabledAt: app.clock() } });
    const result = await googleSignIn(await provider.mint(claims, { now: app.clock() }));
    expect(codeOf(result)).toBe(codes.FORBIDDEN);
    expect(result.errors?.[0]?.message).toBe(refusals.accountDisabled.message);
  });
});

describe('googleSignIn: an e-mail that an account already has', () => {
  it('joins a password account that has verified the address, and takes it over: the password is cleared (test/security/google-join.test.ts)', async () => {
    const { identity, user } = await registerUser(app);
    await markEmailVerified(user.id);
    const result = await googleSignIn(await idToken({ email: identity.email.toUpperCase() }));
    expect(result.errors).toBeUndefined();
    expect(result.data.googleSignIn.user.id).toBe(user.id);
    const account = await app.gql(accountQuery, {}, { authorization: `Bearer ${result.data.googleSignIn.accessToken}` });
    expect(account.data.account).toMatchObject({
      hasPassword: false,
      googleLinked: true,
      canUnlinkGoogle: false,
      availableSignInMethods: ['GOOGLE', 'EMAIL_CODE'],
    });
    await expect(signIn(app, identity)).rejects.toThrow(/UNAUTHENTICATED/);
  });

  it('refuses to join an account that has not verified the address, says how to link, and changes nothing', async () => {
    const { identity, user } = await registerUser(app);
    const users = await app.runtime.db.user.count();
    const result = await googleSignIn(await idToken({ email: identity.email }));
    expect(codeOf(result)).toBe(codes.CONFLICT);
    expect(result.errors?.[0]?.message).toBe(refusals.linkWithPasswordFirst.message);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).googleSubject).toBeNull();
    expect(await app.runtime.db.user.count()).toBe(users);
  });

  it('refuses when that account is linked to another Google account', async () => {
    const { claims } = await signedUpWithGoogle();
    const result = await googleSignIn(await idToken({ email: claims.email as string }));
    expect(codeOf(result)).toBe(codes.CONFLICT);
    expect(result.errors?.[0]?.message).toBe(refusals.emailLinkedElsewhere.message);
  });

  it('refuses when that account is disabled', async () => {
    const { identity, user } = await registerUser(app);
    await app.runtime.db.user.update({ where: { id: user.id }, data: { emailVerified: true, disabledAt: app.clock() } });
    const result = await googleSignIn(await idToken({ email: identity.email }));
    expect(codeOf(result)).toBe(codes.FORBIDDEN);
  });
});

describe('linkGoogle', () => {
  it('links the signed-in account whatever its e-mail; Google then signs in to it', async () => {
    const { user, auth } = await registeredSession(app);
    const claims = provider.claims();
    const linked = await app.gql(linkGoogleMutation, { credential: await provider.mint(claims, { now: app.clock() }) }, auth);
    expect(linked.errors).toBeUndefined();
    expect(linked.data.linkGoogle).toMatchObject({ googleLinked: true, hasPassword: true, emailVerified: false, canUnlinkGoogle: true });
    const viaGoogle = await googleSignIn(await provider.mint(claims, { now: app.clock() }));
    expect(viaGoogle.data.googleSignIn.user.id).toBe(user.id);
  });

  it('is idempotent for the same Google account', async () => {
    const { auth } = await registeredSession(app);
    const claims = provider.claims();
    for (let round = 0; round < 2; round += 1) {
      const linked = await app.gql(linkGoogleMutation, { credential: await provider.mint(claims, { now: app.clock() }) }, auth);
      expect(linked.data.linkGoogle.googleLinked).toBe(true);
    }
  });

  it('refuses a Google account linked to another account', async () => {
    const { claims } = await signedUpWithGoogle();
    const { auth, user } = await registeredSession(app);
    const result = await app.gql(linkGoogleMutation, { credential: await provider.mint(claims, { now: app.clock() }) }, auth);
    expect(codeOf(result)).toBe(codes.CONFLICT);
    expect(result.errors?.[0]?.message).toBe(refusals.googleLinkedElsewhere.message);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).googleSubject).toBeNull();
  });

  it('refuses a second Google account while one is linked', async () => {
    const { auth } = await registeredSession(app);
    await app.gql(linkGoogleMutation, { credential: await idToken() }, auth);
    const result = await app.gql(linkGoogleMutation, { credential: await idToken() }, auth);
    expect(codeOf(result)).toBe(codes.CONFLICT);
    expect(result.errors?.[0]?.message).toBe(refusals.accountLinkedElsewhere.message);
  });

  it('needs a session', async () => {
    expect(codeOf(await app.gql(linkGoogleMutation, { credential: await idToken() }))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('unlinkGoogle', () => {
  it('unlinks when the account has a password', async () => {
    const { auth, user } = await registeredSession(app);
    await app.gql(linkGoogleMutation, { credential: await idToken() }, auth);
    const result = await app.gql(unlinkGoogleMutation, {}, auth);
    expect(result.errors).toBeUndefined();
    expect(result.data.unlinkGoogle).toMatchObject({
      hasPassword: true,
      googleLinked: false,
      canUnlinkGoogle: false,
      availableSignInMethods: ['PASSWORD', 'EMAIL_CODE'],
    });
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).googleSubject).toBeNull();
  });

  it('refuses with FORBIDDEN when Google is the only way to sign in, saying to set a password first', async () => {
    const { auth, user } = await signedUpWithGoogle();
    const result = await app.gql(unlinkGoogleMutation, {}, auth);
    expect(codeOf(result)).toBe(codes.FORBIDDEN);
    expect(result.errors?.[0]?.message).toBe(refusals.setPasswordBeforeUnlinking.message);
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).googleSubject).not.toBeNull();
  });

  it('answers NOT_FOUND when Google is not linked', async () => {
    const { auth } = await registeredSession(app);
    const result = await app.gql(unlinkGoogleMutation, {}, auth);
    expect(codeOf(result)).toBe(codes.NOT_FOUND);
    expect(result.errors?.[0]?.message).toBe(refusals.googleNotLinked.message);
  });

  it('needs a session', async () => {
    expect(codeOf(await app.gql(unlinkGoogleMutation))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('googleSignIn refuses an ID token', () => {
  const now = () => Math.floor(app.clock().getTime() / 1000);
  const refusals: [string, () => Promise<{ credential: string; subject: string }>][] = [
    ['with a bad signature', async () => {
      const claims = provider.claims();
      return { credential: await provider.mint(claims, { key: await signingKey('impostor'), kid: 'key-1', now: app.clock() }), subject: claims.sub! };
    }],
    ['whose payload was altered after signing', async () => {
      const claims = provider.claims();
      const [header, , signature] = (await provider.mint(claims, { now: app.clock() })).split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, email: 'victim@example.com', iat: now(), exp: now() + 600 })).toString('base64url');
      return { credential: `${header}.${forged}.${signature}`, subject: claims.sub! };
    }],
    ['for another audience', async () => {
      const claims = provider.claims({ aud: 'someone-else.apps.googleusercontent.com' });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['for several audiences without azp naming this client', async () => {
      const claims = provider.claims({ aud: [clientId, 'other-client'] });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['from another issuer', async () => {
      const claims = provider.claims({ iss: 'https://evil.example' });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['that has expired', async () => {
      const claims = provider.claims({ iat: now() - 7200, exp: now() - 3600 });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['issued in the future', async () => {
      const claims = provider.claims({ iat: now() + 3600, exp: now() + 7200 });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['issued more than an hour ago, however late it expires', async () => {
      const claims = provider.claims({ iat: now() - 7200, exp: now() + 3600 });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['without exp', async () => {
      const claims = provider.claims({ exp: undefined });
      return { credential: await provider.mint(claims, { now: app.clock() }), subject: claims.sub! };
    }],
    ['with alg none', async () => {
      const claims = provider.claims();
      return { credential: provider.unsigned(claims, app.clock()), subject: claims.sub! };
    }],
    ['signed with HS256 using the client id as the secret', async () => {
      const claims = provider.claims();
      const credential = await new SignJWT({ ...claims, iat: now(), exp: now() + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
        .sign(new TextEncoder().encode(clientId));
      return { credential, subject: claims.sub! };
    }],
    ['signed by a key the provider does not publish (unknown kid)', async () => {
      const claims = provider.claims();
      return { credential: await provider.mint(claims, { key: await signingKey('not-published'), now: app.clock() }), subject: claims.sub! };
    }],
    ['that is not a JWT', async () => ({ credential: 'not-a-token', subject: 'none' })],
  ];

  it.each(refusals)('%s, with UNAUTHENTICATED, creating nothing', async (_name, make) => {
    const { credential, subject } = await make();
    const users = await app.runtime.db.user.count();
    const result = await googleSignIn(credential);
    expect(codeOf(result)).toBe(codes.UNAUTHENTICATED);
    expect(result.errors?.[0]?.message).toBe('The ID token is invalid or expired.');
    expect(result.data).toBeNull();
    expect(await app.runtime.db.user.count()).toBe(users);
    expect(await app.runtime.db.user.findUnique({ where: { googleSubject: subject } })).toBeNull();
  });

  it.each([
    ['email_verified false', { email_verified: false }],
    ['email_verified as the string "true"', { email_verified: 'true' }],
    ['no e-mail address', { email: undefined }],
  ])('with %s, with FORBIDDEN', async (_name, overrides) => {
    const result = await googleSignIn(await idToken(overrides));
    expect(codeOf(result)).toBe(codes.FORBIDDEN);
    expect(result.errors?.[0]?.message).toMatch(/not verified an e-mail address/);
  });

  it('but accepts several audiences when azp names this client', async () => {
    const result = await googleSignIn(await idToken({ aud: [clientId, 'other-client'], azp: clientId }));
    expect(result.errors).toBeUndefined();
  });

  it('and never logs the credential', async () => {
    const credential = provider.unsigned(provider.claims(), app.clock());
    await googleSignIn(credential);
    expect(app.logLines.join('')).not.toContain(credential.split('.')[1]);
  });
});

describe('without OIDC_CLIENT_ID', () => {
  let unconfigured: TestApp;
  beforeAll(async () => {
    unconfigured = await createTestApp();
  });
  afterAll(() => unconfigured.close());

  it('googleSignIn and linkGoogle answer NOT_CONFIGURED: Google sign-in is not configured', async () => {
    const credential = await idToken();
    const result = await unconfigured.gql(googleSignInMutation, { credential });
    expect(codeOf(result)).toBe(codes.NOT_CONFIGURED);
    expect(result.errors?.[0]?.message).toBe(refusals.googleNotConfigured.message);
    expect(errorCodes.NOT_CONFIGURED.status).toBe(501);
    const identity = newIdentity();
    await registerUser(unconfigured, identity);
    const { accessToken } = await signIn(unconfigured, identity);
    const linked = await unconfigured.gql(linkGoogleMutation, { credential }, { authorization: `Bearer ${accessToken}` });
    expect(codeOf(linked)).toBe(codes.NOT_CONFIGURED);
  });
});

describe('the provider (discovery and key set)', () => {
  const logger = createLogger('silent');
  const settings = (issuer: string, jwksCooldownSeconds = 30) => ({ issuer, clientId, jwksCooldownSeconds });

  it('fetches the discovery document and the key set once for many tokens', async () => {
    const local = await startOidcProvider({ clientId });
    const oidc = createOidcProvider(settings(local.issuer), { logger })!;
    for (let round = 0; round < 3; round += 1) {
      const claims = local.claims();
      expect((await oidc.verifyIdToken(await local.mint(claims), new Date())).subject).toBe(claims.sub);
    }
    expect(local.hits).toEqual({ discovery: 1, jwks: 1 });
    await local.close();
  });

  it('refetches the key set for an unknown kid once the cooldown has passed, so a rotated key is accepted', async () => {
    const local = await startOidcProvider({ clientId });
    const oidc = createOidcProvider(settings(local.issuer, 0), { logger })!;
    await oidc.verifyIdToken(await local.mint(local.claims()), new Date());
    const rotated = await signingKey('key-2');
    local.publish(rotated);
    const claims = local.claims();
    expect((await oidc.verifyIdToken(await local.mint(claims, { key: rotated }), new Date())).subject).toBe(claims.sub);
    expect(local.hits.jwks).toBe(2);
    await local.close();
  });

  it('does not refetch the key set for an unknown kid within the cooldown', async () => {
    const local = await startOidcProvider({ clientId });
    const oidc = createOidcProvider(settings(local.issuer), { logger })!;
    await oidc.verifyIdToken(await local.mint(local.claims()), new Date());
    const unknown = await local.mint(local.claims(), { key: await signingKey('key-x') });
    await expect(oidc.verifyIdToken(unknown, new Date())).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
    expect(local.hits.jwks).toBe(1);
    await local.close();
  });

  it('accepts the asymmetric algorithms the discovery document lists, and never HS256', async () => {
    const local = await startOidcProvider({ clientId, algorithms: ['ES256', 'HS256', 'none'] });
    const ecKey = await signingKey('ec-1', 'ES256');
    local.publish(ecKey);
    const oidc = createOidcProvider(settings(local.issuer), { logger })!;
    const claims = local.claims();
    expect((await oidc.verifyIdToken(await local.mint(claims, { key: ecKey }), new Date())).subject).toBe(claims.sub);
    const hs256 = await new SignJWT({ ...local.claims(), iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(clientId));
    await expect(oidc.verifyIdToken(hs256, new Date())).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
    await expect(oidc.verifyIdToken(local.unsigned(local.claims()), new Date())).rejects.toMatchObject({ code: codes.UNAUTHENTICATED });
    await local.close();
  });

  it('answers UPSTREAM_UNAVAILABLE when the discovery document names another issuer, then retries', async () => {
    const local = await startOidcProvider({ clientId });
    local.declareIssuer('https://impostor.example');
    const oidc = createOidcProvider(settings(local.issuer), { logger })!;
    const credential = await local.mint(local.claims());
    await expect(oidc.verifyIdToken(credential, new Date())).rejects.toMatchObject({ code: codes.UPSTREAM_UNAVAILABLE });
    local.declareIssuer(local.issuer);
    await expect(oidc.verifyIdToken(credential, new Date())).resolves.toBeTruthy();
    expect(local.hits.discovery).toBe(2);
    await local.close();
  });

  it('answers UPSTREAM_UNAVAILABLE when the provider cannot be reached', async () => {
    const local = await startOidcProvider({ clientId });
    const credential = await local.mint(local.claims());
    await local.close();
    const oidc = createOidcProvider(settings(local.issuer), { logger })!;
    await expect(oidc.verifyIdToken(credential, new Date())).rejects.toMatchObject({ code: codes.UPSTREAM_UNAVAILABLE });
  });

  it("accepts Google's bare issuer alias only for Google", () => {
    expect(acceptedIssuers('https://accounts.google.com')).toEqual(['https://accounts.google.com', 'accounts.google.com']);
    expect(acceptedIssuers('https://login.example.com')).toEqual(['https://login.example.com']);
  });

  it('is off without a client id', () => {
    expect(createOidcProvider({ issuer: 'https://accounts.google.com', jwksCooldownSeconds: 30 }, { logger })).toBeNull();
  });
});

describe('over a listening server', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await listen(app.app, 0, '127.0.0.1'));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs up with Google and reads the account over HTTP', async () => {
    const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data: any };
    };
    const signedIn = await post(googleSignInMutation, { credential: await idToken() });
    const auth = { authorization: `Bearer ${signedIn.data.googleSignIn.accessToken}` };
    expect((await post(accountQuery, {}, auth)).data.account).toMatchObject({ googleLinked: true, availableSignInMethods: ['GOOGLE', 'EMAIL_CODE'] });
  });
});
