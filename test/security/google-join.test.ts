import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { createKey, keyHeader } from '../helpers/apikeys.js';
import { codeOf, refreshMutation, registerUser, signIn, whoamiQuery } from '../helpers/flows.js';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';

// An attacker registers the victim's address with their own password; the victim
// verifies it from the mail, then signs in with Google into that account. The join
// must leave the attacker nothing: no password, no session, no key.
const clientId = 'authgraph-test.apps.googleusercontent.com';
const mail = capturingTransport();
let provider: OidcTestProvider;
let app: TestApp;
beforeAll(async () => {
  provider = await startOidcProvider({ clientId });
  app = await createTestApp({ mailTransport: mail.transport, env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: clientId } });
});
afterAll(async () => {
  await app.close();
  await provider.close();
});

const googleSignInMutation = `mutation($credential: String!) { googleSignIn(credential: $credential) { accessToken user { id } } }`;
const accountQuery = `{ account { hasPassword googleLinked availableSignInMethods } }`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('Google joining an account by its verified e-mail', () => {
  it("ends the registrant's password, sessions and keys; the address's owner keeps the account", async () => {
    const attacker = newIdentity();
    const { user } = await registerUser(app, attacker);
    await app.runtime.background.idle();
    const verification = challengeIn(mail.mailsTo(attacker.email).at(-1));
    // The owner of the address verifies it from the mail the attacker's registration sent.
    const verified = await app.gql(`mutation($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }`, {
      email: attacker.email,
      code: verification.code,
    });
    expect(verified.errors).toBeUndefined();
    const attackerSession = await signIn(app, attacker);
    const attackerKey = await createKey(app, bearer(attackerSession.accessToken));
    expect((await app.gql(whoamiQuery, {}, keyHeader(attackerKey.rawKey))).errors).toBeUndefined();

    const google = await app.gql(googleSignInMutation, { credential: await provider.mint(provider.claims({ email: attacker.email }), { now: app.clock() }) });
    expect(google.errors).toBeUndefined();
    expect(google.data.googleSignIn.user.id).toBe(user.id);

    await expect(signIn(app, attacker)).rejects.toThrow(/UNAUTHENTICATED/);
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(attackerSession.accessToken)))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(refreshMutation, { refreshToken: attackerSession.refreshToken }))).toBe(codes.UNAUTHENTICATED);
    expect(codeOf(await app.gql(whoamiQuery, {}, keyHeader(attackerKey.rawKey)))).toBe(codes.UNAUTHENTICATED);

    const account = await app.gql(accountQuery, {}, bearer(google.data.googleSignIn.accessToken));
    expect(account.data.account).toEqual({ hasPassword: false, googleLinked: true, availableSignInMethods: ['GOOGLE', 'EMAIL_CODE'] });
    await app.runtime.background.idle();
    expect(mail.mailsTo(attacker.email).at(-1)?.text).toMatch(/forgot password/);
  });

  it('a later sign-in of the same Google account changes nothing: the password the owner set stays', async () => {
    const owner = newIdentity();
    const { user } = await registerUser(app, owner);
    await app.runtime.db.user.update({ where: { id: user.id }, data: { emailVerified: true } });
    const credential = () => provider.mint(provider.claims({ email: owner.email, sub: `sub-${user.id}` }), { now: app.clock() });
    expect((await app.gql(googleSignInMutation, { credential: await credential() })).errors).toBeUndefined();
    const passwordHash = 'set again through forgot password';
    await app.runtime.db.user.update({ where: { id: user.id }, data: { passwordHash } });
    const again = await app.gql(googleSignInMutation, { credential: await credential() });
    expect(again.errors).toBeUndefined();
    expect((await app.runtime.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(passwordHash);
    expect(codeOf(await app.gql(whoamiQuery, {}, bearer(again.data.googleSignIn.accessToken)))).toBeUndefined();
  });
});
