// The console's only way to the server: JSON POSTs to the public GraphQL API.
// The access token lives in this module's memory; the refresh token is the
// HttpOnly cookie that login with clientType BROWSER sets, which script never sees.

export class ApiError extends Error {
  constructor(message, code, fields) {
    super(message);
    this.code = code;
    this.fields = fields ?? [];
  }
}

let accessToken = null;
let refreshTimer;
let refreshing = null;
let onSessionEnded = () => {};

/** Called with a reason when the session ends on its own (revoked, expired). */
export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

async function post(query, variables, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => null);
  if (!body) throw new ApiError(`The server answered ${response.status}.`, 'INTERNAL');
  const [error] = body.errors ?? [];
  if (error) throw new ApiError(error.message, error.extensions?.code, error.extensions?.fields);
  return body.data;
}

/** Runs a document as the signed-in user; an access token refused mid-way gets one refresh and one retry. */
export async function gql(query, variables = {}) {
  try {
    return await post(query, variables, accessToken);
  } catch (error) {
    if (error.code !== 'UNAUTHENTICATED' || !accessToken) throw error;
    if (!(await resume())) {
      endSession();
      onSessionEnded('Your session has ended. Sign in again.');
      throw error;
    }
    return post(query, variables, accessToken);
  }
}

function startSession({ accessToken: token, expiresIn }) {
  accessToken = token;
  clearTimeout(refreshTimer);
  // A minute ahead, so a request never leaves with a token about to lapse.
  refreshTimer = setTimeout(async () => {
    if (!(await resume())) {
      endSession();
      onSessionEnded('Your session has ended. Sign in again.');
    }
  }, Math.max(expiresIn - 60, 5) * 1000);
}

function endSession() {
  accessToken = null;
  clearTimeout(refreshTimer);
}

export const isSignedIn = () => accessToken !== null;

/** Trades the refresh cookie for a new access token; false when there is no live session. */
export function resume() {
  refreshing ??= post('mutation ConsoleRefresh { refresh { accessToken expiresIn } }', {})
    .then((data) => {
      startSession(data.refresh);
      return true;
    })
    .catch((error) => {
      if (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_MISMATCH') return false;
      throw error;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function signIn(username, password, rememberMe) {
  const data = await post(
    'mutation ConsoleLogin($input: LoginInput!) { login(input: $input) { accessToken expiresIn } }',
    { input: { username, password, rememberMe, clientType: 'BROWSER' } },
  );
  startSession(data.login);
}

export async function signInWithGoogle(credential) {
  const data = await post(
    'mutation ConsoleGoogleSignIn($credential: String!) { googleSignIn(credential: $credential, clientType: BROWSER) { accessToken expiresIn } }',
    { credential },
  );
  startSession(data.googleSignIn);
}

export async function signOut() {
  try {
    await post('mutation ConsoleLogout { logout }', {}, accessToken);
  } finally {
    endSession();
  }
}
