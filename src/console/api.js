// The console's only way to the server: @authgraph/client (its browser build beside this file),
// so the console refreshes tokens through the same code as every other client, one tab at a time.
// The access token lives in memory; the refresh token is the HttpOnly cookie that sign-in with
// clientType BROWSER sets, which script never sees.
import { createAuthClient, memoryStorage } from './authgraph-client.js';

const tokens = memoryStorage();
let onSessionEnded = () => {};

const client = createAuthClient({
  url: '/graphql',
  clientType: 'BROWSER',
  storage: tokens,
  // An idle console stays signed in: the client refreshes a minute ahead of expiry.
  keepAlive: true,
  onSessionEnded: () => onSessionEnded('Your session has ended. Sign in again.'),
});

/** Called with a reason when the session ends on its own (revoked, expired, signed out in another tab). */
export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

/** Runs a document as the signed-in user; an access token refused mid-way gets one refresh and one retry. */
export const gql = (query, variables = {}) => client.request(query, variables);

export const isSignedIn = () => tokens.load() !== null;

/** Trades the refresh cookie for a new access token; false when there is no live session. */
export const resume = () => client.resume();

export async function signIn(username, password, rememberMe) {
  const result = await client.signIn({ username, password, rememberMe });
  if (result.kind === 'mfaRequired') {
    throw new Error('This account asks for a second factor, which the console cannot take yet: sign in through the API (signIn, then verifyMfa).');
  }
}

export async function signInWithGoogle(credential) {
  const { googleSignIn } = await client.request(
    'mutation ConsoleGoogleSignIn($credential: String!) { googleSignIn(credential: $credential, clientType: BROWSER) { accessToken expiresIn } }',
    { credential },
  );
  await client.setSession(googleSignIn);
}

export const signOut = () => client.signOut();
