import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWebauthnForConsole, consoleWebauthnFile } from '../scripts/build.js';
import { loadConfig } from '../src/config.js';
import { codes, refusals } from '../src/errors.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { verifiedSession } from './helpers/apikeys.js';
import { codeOf } from './helpers/flows.js';
import { confirmedTotp } from './helpers/mfa.js';
import { SoftAuthenticator } from './helpers/passkeys.js';
import { call } from './helpers/rest.js';
import { transportNames, transports } from './helpers/transports.js';
import { wire } from './helpers/wire.js';

// Issue 26: passkeys (WebAuthn) to sign in, as a second factor and for step-up; challenges single use and bound.
let app: TestApp;
const connections = transports();
beforeAll(async () => {
  app = await createTestApp();
  await connections.open(app);
});
afterAll(async () => {
  connections.close();
  await app.close();
});

const optionsMutation = 'mutation { passkeyRegistrationOptions }';
const registerMutation = 'mutation($response: JSONObject!, $name: String) { registerPasskey(response: $response, name: $name) { id name deviceType backedUp } }';
const authOptionsMutation = 'mutation($purpose: PasskeyPurpose, $id: ID) { passkeyAuthenticationOptions(purpose: $purpose, mfaChallengeId: $id) }';
const signInMutation = 'mutation($response: JSONObject!) { signInWithPasskey(response: $response) { accessToken refreshToken user { id } } }';
const stepUpMutation = 'mutation($passkey: JSONObject) { stepUpMfa(passkey: $passkey) }';
const removeMutation = 'mutation($id: ID!) { removePasskey(id: $id) }';

const authenticator = (options: { synced?: boolean } = {}) => new SoftAuthenticator(app.config.webauthn.rpId, app.config.webauthn.origins[0]!, options);

async function registeredPasskey(auth: Record<string, string>, device = authenticator(), name = 'Laptop') {
  const options = await app.gql(optionsMutation, {}, auth);
  expect(options.errors).toBeUndefined();
  const registered = await app.gql(registerMutation, { response: device.create(options.data.passkeyRegistrationOptions), name }, auth);
  expect(registered.errors).toBeUndefined();
  return { device, passkey: registered.data.registerPasskey as { id: string; name: string } };
}

/** A verified user with one passkey. */
async function userWithPasskey(device = authenticator()) {
  const session = await verifiedSession(app);
  return { ...session, ...(await registeredPasskey(session.auth, device)) };
}

async function signInOptions(headers: Record<string, string> = {}) {
  const options = await app.gql(authOptionsMutation, { purpose: 'SIGN_IN' }, headers);
  expect(options.errors).toBeUndefined();
  return options.data.passkeyAuthenticationOptions as { challenge: string; rpId: string; allowCredentials?: unknown[]; userVerification: string };
}

async function claimsOf(accessToken: string) {
  const jwks = createLocalJWKSet((await call(app, 'GET', '/.well-known/jwks.json')).body);
  return (await jwtVerify(accessToken, jwks)).payload;
}

async function passkeyEvents(userId: string) {
  await app.runtime.tokenEvents.flush();
  return app.runtime.db.tokenEvent.findMany({ where: { userId, action: 'passkey' }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
}

describe('registration', () => {
  it('registers a passkey from a signed-in session; the account lists it and can sign in with it', async () => {
    const { auth, user, device } = await userWithPasskey(authenticator({ synced: true }));
    const account = await app.gql('{ account { availableSignInMethods passkeys { name deviceType backedUp lastUsedAt } } }', {}, auth);
    expect(account.data.account).toEqual({
      availableSignInMethods: ['PASSWORD', 'PASSKEY', 'EMAIL_CODE'],
      passkeys: [{ name: 'Laptop', deviceType: 'multiDevice', backedUp: true, lastUsedAt: null }],
    });
    const stored = await app.runtime.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored).toMatchObject({ credentialId: device.id, counter: 0n, deviceType: 'multiDevice', backedUp: true, transports: 'internal' });
    expect((await passkeyEvents(user.id)).map((event) => [event.operation, event.detail])).toEqual([['registered', 'counter=0 deviceType=multiDevice backedUp=true']]);
  });

  it('the options ask for a discoverable credential with user verification, for this RP, excluding passkeys already there', async () => {
    const { auth, device } = await userWithPasskey();
    const options = (await app.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
    expect(options.rp).toEqual({ id: app.config.webauthn.rpId, name: 'authgraph' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.excludeCredentials).toEqual([{ id: device.id, type: 'public-key', transports: ['internal'] }]);
    expect(options.attestation).toBe('none');
  });

  it('needs a recent sign-in', async () => {
    const { auth } = await verifiedSession(app);
    app.clock.advance((app.config.reauthWindow + 1) * 1000);
    expect(codeOf(await app.gql(optionsMutation, {}, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
  });

  it('refuses an answer from another origin, for another RP ID, or without user verification; each challenge once', async () => {
    const { auth } = await verifiedSession(app);
    for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { userVerified: false }]) {
      const options = (await app.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
      const response = authenticator().create(options, overrides);
      const refused = await app.gql(registerMutation, { response }, auth);
      expect(refused.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
      // The challenge is spent: a second try with a good answer is refused too.
      const again = await app.gql(registerMutation, { response: authenticator().create(options) }, auth);
      expect(again.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
    }
    expect((await app.gql('{ account { passkeys { id } } }', {}, auth)).data.account.passkeys).toEqual([]);
  });

  it("a challenge is bound to its session: another session's answer is refused", async () => {
    const first = await verifiedSession(app);
    const second = await verifiedSession(app);
    const options = (await app.gql(optionsMutation, {}, first.auth)).data.passkeyRegistrationOptions;
    const refused = await app.gql(registerMutation, { response: authenticator().create(options) }, second.auth);
    expect(refused.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
  });

  it('a challenge expires after MFA_CHALLENGE_TTL', async () => {
    const { auth, identity } = await verifiedSession(app);
    const options = (await app.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
    app.clock.advance((app.config.mfa.challengeTtl + 1) * 1000);
    expect((await app.gql('mutation($p: String!) { reauthenticate(password: $p) }', { p: identity.password }, auth)).errors).toBeUndefined();
    const refused = await app.gql(registerMutation, { response: authenticator().create(options) }, auth);
    expect(refused.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
  });

  it('the same authenticator twice is refused; only hashes of challenges are kept', async () => {
    const { auth, device } = await userWithPasskey();
    const options = (await app.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
    const stored = await app.runtime.db.webauthnChallenge.findMany();
    expect(JSON.stringify(stored)).not.toContain(options.challenge);
    const again = await app.gql(registerMutation, { response: device.create(options) }, auth);
    expect(again.errors?.[0]?.message).toBe(refusals.passkeyAlreadyRegistered.message);
  });

  it("the account's export lists its passkeys, without their keys", async () => {
    const { auth, device, passkey } = await userWithPasskey();
    const exported = (await app.gql('mutation { exportAccount }', {}, auth)).data.exportAccount;
    expect(exported.passkeys).toEqual([expect.objectContaining({ id: passkey.id, name: 'Laptop', deviceType: 'singleDevice' })]);
    expect(JSON.stringify(exported)).not.toContain(device.id);
  });

  it('renames a passkey; another account cannot', async () => {
    const { auth, passkey } = await userWithPasskey();
    const renamed = await app.gql('mutation($id: ID!) { renamePasskey(id: $id, name: "Phone") { name } }', { id: passkey.id }, auth);
    expect(renamed.data.renamePasskey.name).toBe('Phone');
    const other = await verifiedSession(app);
    const refused = await app.gql('mutation($id: ID!) { renamePasskey(id: $id, name: "Mine") { name } }', { id: passkey.id }, other.auth);
    expect(refused.errors?.[0]?.message).toBe(refusals.noSuchPasskey.message);
  });
});

describe('signing in with a passkey', () => {
  it('no username typed: tokens of aal2 (amr hwk, user), the counter and lastUsedAt stored, the sign-in logged', async () => {
    const { user, device } = await userWithPasskey();
    const options = await signInOptions();
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const signedIn = await app.gql(signInMutation, { response: device.get(options) });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.signInWithPasskey.user.id).toBe(user.id);
    expect(await claimsOf(signedIn.data.signInWithPasskey.accessToken)).toMatchObject({ sub: user.id, amr: ['hwk', 'user'], aal: 'aal2' });
    const stored = await app.runtime.db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    expect(stored.counter).toBe(1n);
    expect(stored.lastUsedAt).toEqual(app.clock());
    // Events of one instant have no order: found by operation.
    expect((await passkeyEvents(user.id)).find((event) => event.operation === 'signed-in')).toMatchObject({
      outcome: 'success',
      detail: 'counter=1 deviceType=singleDevice backedUp=false',
    });
  });

  it('a replayed answer is refused: the challenge is single use', async () => {
    const { device } = await userWithPasskey();
    const response = device.get(await signInOptions());
    expect((await app.gql(signInMutation, { response })).errors).toBeUndefined();
    const replayed = await app.gql(signInMutation, { response });
    expect(replayed.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
  });

  it('refuses another origin and another RP ID', async () => {
    const { device } = await userWithPasskey();
    for (const overrides of [{ origin: 'https://evil.example' }, { origin: 'http://localhost:9999' }, { rpId: 'evil.example' }, { type: 'webauthn.create' }]) {
      const refused = await app.gql(signInMutation, { response: device.get(await signInOptions(), overrides) });
      expect(refused.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
    }
  });

  it('refuses a counter that goes backwards (a cloned authenticator), and logs it', async () => {
    const { user, device } = await userWithPasskey();
    expect((await app.gql(signInMutation, { response: device.get(await signInOptions(), { counter: 5 }) })).errors).toBeUndefined();
    const cloned = await app.gql(signInMutation, { response: device.get(await signInOptions(), { counter: 3 }) });
    expect(cloned.errors?.[0]?.message).toBe(refusals.passkeyCounterWentBack.message);
    const same = await app.gql(signInMutation, { response: device.get(await signInOptions(), { counter: 5 }) });
    expect(same.errors?.[0]?.message).toBe(refusals.passkeyCounterWentBack.message);
    expect((await app.runtime.db.passkey.findFirstOrThrow({ where: { userId: user.id } })).counter).toBe(5n);
    const refusedEvents = (await passkeyEvents(user.id)).filter((event) => event.operation === 'signed-in-failed');
    expect(refusedEvents.map((event) => [event.outcome, event.detail])).toEqual([
      [codes.UNAUTHENTICATED, 'counter=5 deviceType=singleDevice backedUp=false'],
      [codes.UNAUTHENTICATED, 'counter=5 deviceType=singleDevice backedUp=false'],
    ]);
  });

  it('refuses an unknown passkey, a wrong signature and an answer from another client', async () => {
    const { device } = await userWithPasskey();
    const unknown = await app.gql(signInMutation, { response: authenticator().get(await signInOptions()) });
    expect(unknown.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
    const response = device.get(await signInOptions());
    const forged = { ...response, response: { ...response.response, signature: authenticator().get({ challenge: 'x' }).response.signature } };
    expect((await app.gql(signInMutation, { response: forged })).errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
    const elsewhere = await app.gql(signInMutation, { response: device.get(await signInOptions()) }, { 'user-agent': 'another browser' });
    expect(elsewhere.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
  });

  it('a disabled account does not sign in', async () => {
    const { user, device } = await userWithPasskey();
    await app.runtime.db.user.update({ where: { id: user.id }, data: { disabledAt: app.clock() } });
    expect(codeOf(await app.gql(signInMutation, { response: device.get(await signInOptions()) }))).toBe(codes.UNAUTHENTICATED);
  });
});

it('anonymous sign-in options spend the address\'s sign-in budget; a passkey sign-in gives its point back', async () => {
  const limited = await createTestApp({ env: { RATE_LIMIT_LOGIN_IP_PER_HOUR: '3' } });
  try {
    const { auth } = await verifiedSession(limited);
    const device = new SoftAuthenticator(limited.config.webauthn.rpId, limited.config.webauthn.origins[0]!);
    const options = (await limited.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
    expect((await limited.gql(registerMutation, { response: device.create(options) }, auth)).errors).toBeUndefined();
    const ask = () => limited.gql(authOptionsMutation, { purpose: 'SIGN_IN' });
    const first = await ask();
    expect((await ask()).errors).toBeUndefined();
    expect((await ask()).errors).toBeUndefined();
    expect((await limited.gql(signInMutation, { response: device.get(first.data.passkeyAuthenticationOptions) })).errors).toBeUndefined();
    expect((await ask()).errors).toBeUndefined();
    expect(codeOf(await ask())).toBe(codes.RATE_LIMITED);
  } finally {
    await limited.close();
  }
});

describe('a passkey as the second factor, and for step-up', () => {
  it("after a password, the challenge offers the passkey and verifyMfaWithPasskey answers it with the account's passkey", async () => {
    const { auth, identity, device } = await userWithPasskey();
    await confirmedTotp(app, auth);
    const signIn = await app.gql(
      'mutation($input: LoginInput!) { signIn(input: $input) { ... on MfaChallenge { challengeId methods } } }',
      { input: { username: identity.username, password: identity.password } },
    );
    const { challengeId, methods } = signIn.data.signIn;
    expect(methods).toEqual(['totp', 'recovery_code', 'passkey']);
    const options = (await app.gql(authOptionsMutation, { purpose: 'SECOND_FACTOR', id: challengeId })).data.passkeyAuthenticationOptions;
    expect(options.allowCredentials).toEqual([{ id: device.id, type: 'public-key', transports: ['internal'] }]);
    // Another account's passkey does not answer it.
    const stranger = await userWithPasskey();
    const refused = await app.gql('mutation($id: ID!, $r: JSONObject!) { verifyMfaWithPasskey(challengeId: $id, response: $r) { accessToken } }', {
      id: challengeId,
      r: stranger.device.get(options),
    });
    expect(refused.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
    const options2 = (await app.gql(authOptionsMutation, { purpose: 'SECOND_FACTOR', id: challengeId })).data.passkeyAuthenticationOptions;
    const verified = await app.gql('mutation($id: ID!, $r: JSONObject!) { verifyMfaWithPasskey(challengeId: $id, response: $r) { accessToken } }', {
      id: challengeId,
      r: device.get(options2),
    });
    expect(verified.errors).toBeUndefined();
    expect(await claimsOf(verified.data.verifyMfaWithPasskey.accessToken)).toMatchObject({ amr: ['pwd', 'hwk'], aal: 'aal2' });
  });

  it('stepUpMfa takes a passkey: the second factor and a fresh sign-in at once', async () => {
    const { auth, device } = await userWithPasskey();
    await confirmedTotp(app, auth);
    app.clock.advance((Math.max(app.config.mfa.stepUpWindow, app.config.reauthWindow) + 1) * 1000);
    expect(codeOf(await app.gql(optionsMutation, {}, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
    const options = (await app.gql(authOptionsMutation, { purpose: 'STEP_UP' }, auth)).data.passkeyAuthenticationOptions;
    const stepped = await app.gql(stepUpMutation, { passkey: device.get(options) }, auth);
    expect(stepped.errors).toBeUndefined();
    expect((await app.gql(optionsMutation, {}, auth)).errors).toBeUndefined();
    const credential = await app.gql('{ whoami { credential { amr aal } } }', {}, auth);
    expect(credential.data.whoami.credential).toEqual({ amr: ['pwd', 'otp', 'hwk'], aal: 'aal2' });
  });

  it("a step-up challenge is the session's: another session's passkey answer is refused", async () => {
    const first = await userWithPasskey();
    const second = await userWithPasskey();
    const options = (await app.gql(authOptionsMutation, { purpose: 'STEP_UP' }, first.auth)).data.passkeyAuthenticationOptions;
    const refused = await app.gql(stepUpMutation, { passkey: second.device.get(options) }, second.auth);
    expect(refused.errors?.[0]?.message).toBe(refusals.passkeyChallengeInvalid.message);
    expect(codeOf(await app.gql(authOptionsMutation, { purpose: 'STEP_UP' }))).toBe(codes.UNAUTHENTICATED);
  });
});

describe('removing passkeys: the last way to sign in stays', () => {
  it('removes a passkey while a password remains, and mails the owner', async () => {
    const { auth, passkey } = await userWithPasskey();
    expect((await app.gql(removeMutation, { id: passkey.id }, auth)).data.removePasskey).toBe(true);
    expect((await app.gql('{ account { availableSignInMethods passkeys { id } } }', {}, auth)).data.account).toEqual({ availableSignInMethods: ['PASSWORD', 'EMAIL_CODE'], passkeys: [] });
  });

  it('without a password or Google, the last passkey is refused; with two, one goes', async () => {
    const { auth, user, passkey } = await userWithPasskey();
    const second = await registeredPasskey(auth, authenticator(), 'Phone');
    await app.runtime.db.user.update({ where: { id: user.id }, data: { passwordHash: null } });
    expect((await app.gql(removeMutation, { id: passkey.id }, auth)).errors).toBeUndefined();
    const refused = await app.gql(removeMutation, { id: second.passkey.id }, auth);
    expect(refused.errors?.[0]?.message).toBe(refusals.lastSignInMethod.message);
    expect((await app.gql('{ account { availableSignInMethods } }', {}, auth)).data.account.availableSignInMethods).toEqual(['PASSKEY', 'EMAIL_CODE']);
  });

  it('the same rule for Google: a passkey lets Google go without a password, and then the passkey stays', async () => {
    const { auth, user, passkey } = await userWithPasskey();
    await app.runtime.db.user.update({ where: { id: user.id }, data: { passwordHash: null, googleSubject: `google-${user.id}` } });
    expect((await app.gql('{ account { canUnlinkGoogle } }', {}, auth)).data.account.canUnlinkGoogle).toBe(true);
    expect((await app.gql('mutation { unlinkGoogle { googleLinked availableSignInMethods } }', {}, auth)).data.unlinkGoogle).toEqual({
      googleLinked: false,
      availableSignInMethods: ['PASSKEY', 'EMAIL_CODE'],
    });
    expect((await app.gql(removeMutation, { id: passkey.id }, auth)).errors?.[0]?.message).toBe(refusals.lastSignInMethod.message);
  });

  it('needs a recent sign-in; an unknown id is not found', async () => {
    const { auth, passkey } = await userWithPasskey();
    expect(codeOf(await app.gql(removeMutation, { id: 'nope' }, auth))).toBe(codes.NOT_FOUND);
    app.clock.advance((app.config.reauthWindow + 1) * 1000);
    expect(codeOf(await app.gql(removeMutation, { id: passkey.id }, auth))).toBe(codes.REAUTHENTICATION_REQUIRED);
  });
});

describe.each(transportNames)('the whole flow %s', (transport) => {
  it('register, sign in with the passkey, step up with it, remove it', async () => {
    const { gql } = wire(connections.send(transport), 'vitest');
    const { auth, identity } = await verifiedSession(app);
    const device = authenticator();
    const options = (await gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
    const registered = await gql(registerMutation, { response: device.create(options), name: 'Key' }, auth);
    expect(registered.data.registerPasskey.name).toBe('Key');
    const signInOpts = (await gql(authOptionsMutation, {})).data.passkeyAuthenticationOptions;
    const signedIn = await gql(signInMutation, { response: device.get(signInOpts) });
    const passkeyAuth = { authorization: `Bearer ${signedIn.data.signInWithPasskey.accessToken}` };
    expect((await gql('{ whoami { user { username } credential { amr aal } } }', {}, passkeyAuth)).data.whoami).toEqual({
      user: { username: identity.username },
      credential: { amr: ['hwk', 'user'], aal: 'aal2' },
    });
    const stepUpOpts = (await gql(authOptionsMutation, { purpose: 'STEP_UP' }, passkeyAuth)).data.passkeyAuthenticationOptions;
    expect((await gql(stepUpMutation, { passkey: device.get(stepUpOpts) }, passkeyAuth)).errors).toBeUndefined();
    expect((await gql(removeMutation, { id: registered.data.registerPasskey.id }, passkeyAuth)).data.removePasskey).toBe(true);
  });
});

describe.each(transportNames)('REST /v1/auth/passkeys %s', (transport) => {
  it('registers, lists, signs in, answers a sign-in challenge and removes, as GraphQL does', async () => {
    const { rest } = wire(connections.send(transport), 'vitest');
    const { auth, identity } = await verifiedSession(app);
    const device = authenticator();
    const options = await rest('POST', '/v1/auth/passkeys/registration-options', undefined, auth);
    expect(options.status).toBe(200);
    const registered = await rest('POST', '/v1/auth/passkeys', { response: device.create(options.body), name: 'REST key' }, auth);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ name: 'REST key', device_type: 'singleDevice', backed_up: false, last_used_at: null });
    expect((await rest('GET', '/v1/auth/passkeys', undefined, auth)).body).toEqual([registered.body]);

    const signInOpts = await rest('POST', '/v1/auth/passkeys/authentication-options', {});
    const signedIn = await rest('POST', '/v1/auth/passkeys/sign-in', { response: device.get(signInOpts.body) });
    expect(signedIn.status).toBe(200);
    expect(await claimsOf(signedIn.body.access_token)).toMatchObject({ amr: ['hwk', 'user'], aal: 'aal2' });
    const replayed = await rest('POST', '/v1/auth/passkeys/sign-in', { response: device.get(signInOpts.body) });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: codes.UNAUTHENTICATED, detail: refusals.passkeyChallengeInvalid.message });
    const wrongOrigin = await rest('POST', '/v1/auth/passkeys/sign-in', {
      response: device.get((await rest('POST', '/v1/auth/passkeys/authentication-options', {})).body, { origin: 'https://evil.example' }),
    });
    expect(wrongOrigin.body).toMatchObject({ code: codes.UNAUTHENTICATED, detail: refusals.passkeyRejected.message });

    await confirmedTotp(app, auth);
    const login = await rest('POST', '/api/auth/login', { email: identity.email, password: identity.password });
    expect(login.status).toBe(401);
    expect(login.body.mfa.methods).toContain('passkey');
    const challengeOpts = await rest('POST', '/v1/auth/passkeys/authentication-options', { challenge_id: login.body.mfa.challenge_id });
    const verified = await rest('POST', '/v1/auth/passkeys/verify', { challenge_id: login.body.mfa.challenge_id, response: device.get(challengeOpts.body) });
    expect(verified.status).toBe(200);
    expect(await claimsOf(verified.body.access_token)).toMatchObject({ amr: ['pwd', 'hwk'], aal: 'aal2' });

    const passkeyAuth = { authorization: `Bearer ${signedIn.body.access_token}` };
    const renamed = await rest('PATCH', `/v1/auth/passkeys/${registered.body.id}`, { name: 'Renamed' }, passkeyAuth);
    expect(renamed.body).toMatchObject({ id: registered.body.id, name: 'Renamed' });
    expect((await rest('DELETE', `/v1/auth/passkeys/${registered.body.id}`, undefined, passkeyAuth)).status).toBe(204);
    expect((await rest('DELETE', `/v1/auth/passkeys/${registered.body.id}`, undefined, passkeyAuth)).status).toBe(404);
  });
});

it("the console's copy of @simplewebauthn/browser is current (npm run build refreshes it)", async () => {
  expect(readFileSync(consoleWebauthnFile, 'utf8')).toBe(await bundleWebauthnForConsole());
});

describe('settings', () => {
  it("the RP ID and origin are PUBLIC_URL's unless WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS say; malformed ones stop the start", () => {
    expect(loadConfig({ PUBLIC_URL: 'https://auth.example.com:8443/' }).webauthn).toEqual({
      rpId: 'auth.example.com',
      rpName: 'authgraph',
      origins: ['https://auth.example.com:8443'],
    });
    const set = loadConfig({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com, https://auth.example.com' }).webauthn;
    expect(set).toMatchObject({ rpId: 'example.com', origins: ['https://app.example.com', 'https://auth.example.com'] });
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: 'https://app.example.com/login' })).toThrow(/WEBAUTHN_ORIGINS/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: 'https://example.com' })).toThrow(/WEBAUTHN_RP_ID/);
  });

  it('passkeys made for a parent domain work from each listed origin, and from no other', async () => {
    const configured = await createTestApp({ env: { WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://app.example.com,https://auth.example.com' } });
    try {
      const { auth } = await verifiedSession(configured);
      const device = new SoftAuthenticator('example.com', 'https://app.example.com');
      const options = (await configured.gql(optionsMutation, {}, auth)).data.passkeyRegistrationOptions;
      expect(options.rp.id).toBe('example.com');
      expect((await configured.gql(registerMutation, { response: device.create(options) }, auth)).errors).toBeUndefined();
      const ask = async () => (await configured.gql(authOptionsMutation, { purpose: 'SIGN_IN' })).data.passkeyAuthenticationOptions;
      expect((await configured.gql(signInMutation, { response: device.get(await ask(), { origin: 'https://auth.example.com' }) })).errors).toBeUndefined();
      const fromDefault = await configured.gql(signInMutation, { response: device.get(await ask(), { origin: 'http://localhost:4000' }) });
      expect(fromDefault.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
      const subdomainRp = await configured.gql(signInMutation, { response: device.get(await ask(), { rpId: 'app.example.com' }) });
      expect(subdomainRp.errors?.[0]?.message).toBe(refusals.passkeyRejected.message);
    } finally {
      await configured.close();
    }
  });
});
