// The console's only way to the server: @authgraph/client (its browser build beside this file),
// so the console refreshes tokens through the same code as every other client, one tab at a time.
// The access token lives in memory; the refresh token is the HttpOnly cookie that sign-in with
// clientType BROWSER sets, which script never sees.
import { createAuthClient, memoryStorage } from './authgraph-client.js';
import { t } from './i18n.js';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from './webauthn.js';

const tokens = memoryStorage();
let onSessionEnded = () => {};

const client = createAuthClient({
  url: '/graphql',
  clientType: 'BROWSER',
  storage: tokens,
  // An idle console stays signed in: the client refreshes a minute ahead of expiry.
  keepAlive: true,
  onSessionEnded: () => onSessionEnded(t('session.ended')),
});

/** Called with a reason when the session ends on its own (revoked, expired, signed out in another tab). */
export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

/** What the server asks for before a sensitive change: a recent sign-in, or the second factor. */
const proofCodes = new Set(['REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED']);
let askForProof = async () => false;

/**
 * Called with a refusal whose code is REAUTHENTICATION_REQUIRED or MFA_REQUIRED; resolves true once
 * the person has given the proof (reauthenticate or stepUp), false when they cancel.
 */
export function whenProofNeeded(callback) {
  askForProof = callback;
}

/**
 * Runs a document as the signed-in user; an access token refused mid-way gets one refresh and one
 * retry, and a sensitive change the server wants proof for is retried once the proof is given.
 */
export async function gql(query, variables = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.request(query, variables);
    } catch (error) {
      if (attempt === 2 || !proofCodes.has(error.code) || !(await askForProof(error))) throw error;
    }
  }
}

export const reauthenticate = (password) =>
  client.request('mutation ConsoleReauthenticate($password: String!) { reauthenticate(password: $password) }', { password });

export const stepUp = (code) => client.request('mutation ConsoleStepUp($code: String!) { stepUpMfa(code: $code) }', { code });

export const isSignedIn = () => tokens.load() !== null;

/** Trades the refresh cookie for a new access token; false when there is no live session. */
export const resume = () => client.resume();

/** Signs in: null when done, or the second-factor challenge ({ challengeId, expiresAt }) to answer with verifyMfa. */
export async function signIn(username, password, rememberMe) {
  const result = await client.signIn({ username, password, rememberMe });
  return result.kind === 'mfaRequired' ? result : null;
}

/** Completes a sign-in with a code from the authenticator app or a recovery code. */
export const verifyMfa = (challengeId, code) => client.verifyMfa(challengeId, code);

/** As signIn, with a Google ID token; an account with a second factor answers MFA_REQUIRED with the challenge. */
export async function signInWithGoogle(credential) {
  try {
    const { googleSignIn } = await client.request(
      'mutation ConsoleGoogleSignIn($credential: String!) { googleSignIn(credential: $credential, clientType: BROWSER) { accessToken expiresIn } }',
      { credential },
    );
    await client.setSession(googleSignIn);
    return null;
  } catch (error) {
    if (error.code === 'MFA_REQUIRED' && error.extensions.mfaChallenge) return error.extensions.mfaChallenge;
    throw error;
  }
}

export const signOut = () => client.signOut();

/** Whether this browser can use passkeys (WebAuthn; it needs https or localhost). */
export const passkeysSupported = () => browserSupportsWebAuthn();

/** The browser's passkey answer to options of `purpose` (SIGN_IN, STEP_UP). */
async function passkeyAssertion(purpose) {
  const { passkeyAuthenticationOptions } = await client.request('mutation ConsolePasskeyOptions($purpose: PasskeyPurpose) { passkeyAuthenticationOptions(purpose: $purpose) }', { purpose });
  return startAuthentication({ optionsJSON: passkeyAuthenticationOptions });
}

/** Completes a sign-in challenge whose methods include passkey, with one of the account's passkeys. */
export async function verifyMfaWithPasskey(challengeId) {
  const { passkeyAuthenticationOptions } = await client.request(
    'mutation ConsolePasskeyChallengeOptions($challengeId: ID) { passkeyAuthenticationOptions(purpose: SECOND_FACTOR, mfaChallengeId: $challengeId) }',
    { challengeId },
  );
  const response = await startAuthentication({ optionsJSON: passkeyAuthenticationOptions });
  const { verifyMfaWithPasskey: session } = await client.request(
    'mutation ConsolePasskeyVerifyMfa($challengeId: ID!, $response: JSONObject!) { verifyMfaWithPasskey(challengeId: $challengeId, response: $response) { accessToken expiresIn } }',
    { challengeId, response },
  );
  await client.setSession(session);
}

/** Signs in with a passkey the browser offers (nothing typed): both factors at once. */
export async function signInWithPasskey(rememberMe) {
  const response = await passkeyAssertion('SIGN_IN');
  const { signInWithPasskey: session } = await client.request(
    'mutation ConsolePasskeySignIn($response: JSONObject!, $rememberMe: Boolean) { signInWithPasskey(response: $response, clientType: BROWSER, rememberMe: $rememberMe) { accessToken expiresIn } }',
    { response, rememberMe },
  );
  await client.setSession(session);
}

/** A passkey as proof in this session: the second factor and a fresh sign-in at once. */
export async function stepUpWithPasskey() {
  const passkey = await passkeyAssertion('STEP_UP');
  await client.request('mutation ConsolePasskeyStepUp($passkey: JSONObject) { stepUpMfa(passkey: $passkey) }', { passkey });
}

/** Creates a passkey on this device (the server wants a recent sign-in first) and keeps it under `name`. */
export async function registerPasskey(name) {
  const { passkeyRegistrationOptions } = await gql('mutation ConsolePasskeyRegistrationOptions { passkeyRegistrationOptions }');
  const response = await startRegistration({ optionsJSON: passkeyRegistrationOptions });
  const { registerPasskey: passkey } = await gql('mutation ConsoleRegisterPasskey($response: JSONObject!, $name: String) { registerPasskey(response: $response, name: $name) { id name } }', {
    response,
    name,
  });
  return passkey;
}

/** Mails a sign-in code (and a link that signs in only this browser: the answer sets its cookie). */
export const requestSignInCode = (email) =>
  client.request('mutation ConsoleRequestSignInCode($email: EmailAddress!) { requestSignInLink(email: $email) }', { email });

/** Signs in with the mailed code: null when done, or the second-factor challenge to answer with verifyMfa. */
export async function signInWithEmailCode(email, code, rememberMe) {
  const { signInWithEmailCode: result } = await client.request(
    `mutation ConsoleEmailCodeSignIn($input: EmailCodeSignInInput!) { signInWithEmailCode(input: $input) {
      __typename ... on AuthPayload { accessToken expiresIn } ... on MfaChallenge { challengeId expiresAt methods } } }`,
    { input: { email, code, rememberMe, clientType: 'BROWSER' } },
  );
  if (result.__typename === 'MfaChallenge') return result;
  await client.setSession(result);
  return null;
}

/** Creates an account (the server mails a verification code), then signs it in on this browser. */
export async function register(input) {
  await client.request('mutation ConsoleRegister($input: RegisterInput!) { register(input: $input) { id } }', { input });
  await client.signIn({ username: input.username, password: input.password, rememberMe: false });
}

/** Mails a recovery code and link; the answer is the same whether or not the address has an account. */
export const requestPasswordReset = (email) =>
  client.request('mutation ConsoleForgotPassword($email: EmailAddress!) { forgotPassword(email: $email) }', { email });

/** The recovery mail's code for a reset token, which setNewPassword takes. */
export async function verifyRecoveryCode(email, code) {
  const { verifyRecoveryCode: result } = await client.request(
    'mutation ConsoleVerifyRecoveryCode($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }',
    { email, code },
  );
  return result.resetToken;
}

/** Sets the new password with a reset token: every session of the account ends. */
export const setNewPassword = (token, newPassword) =>
  client.request('mutation ConsoleResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }', {
    token,
    newPassword,
  });

/** Whether a role may act as an administrator (an owner can do all an admin can). */
export const isAdminRole = (role) => role === 'ADMIN' || role === 'OWNER';
