import type { TestApp } from './app.js';
import { newIdentity } from './app.js';

export const registerMutation = `mutation Register($input: RegisterInput!) {
  register(input: $input) { id username email fullName createdAt }
}`;

export const loginMutation = `mutation Login($input: LoginInput!) {
  login(input: $input) { accessToken tokenType expiresIn refreshToken refreshExpiresAt user { id username } }
}`;

export const refreshMutation = `mutation Refresh($refreshToken: String) {
  refresh(refreshToken: $refreshToken) { accessToken tokenType expiresIn refreshToken refreshExpiresAt user { username } }
}`;

export const whoamiQuery = `{ whoami { user { id username } credential { kind id name } } }`;

export type Identity = ReturnType<typeof newIdentity>;

export async function registerUser(app: TestApp, identity: Identity = newIdentity()) {
  const result = await app.gql(registerMutation, { input: identity });
  if (result.errors) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
  return { identity, user: result.data.register };
}

export async function signIn(
  app: TestApp,
  identity: Identity,
  options: { clientType?: 'API' | 'BROWSER'; rememberMe?: boolean; userAgent?: string } = {},
) {
  const result = await app.gql(
    loginMutation,
    { input: { username: identity.username, password: identity.password, clientType: options.clientType, rememberMe: options.rememberMe } },
    { 'user-agent': options.userAgent ?? 'vitest' },
  );
  if (result.errors) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return { ...result.data.login, setCookie: result.headers.get('set-cookie') };
}

export async function registeredSession(app: TestApp, options?: Parameters<typeof signIn>[2]) {
  const { identity, user } = await registerUser(app);
  const tokens = await signIn(app, identity, options);
  return { identity, user, tokens, auth: { authorization: `Bearer ${tokens.accessToken}` } };
}

export const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;

/** A GraphQL login as seen from client address `ip`. */
export async function loginFrom(app: TestApp, ip: string, username: string, password: string) {
  const response = await app.app.fetch(
    new Request('http://authgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vitest' },
      body: JSON.stringify({ query: loginMutation, variables: { input: { username, password } } }),
    }),
    { ip },
  );
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, any> }[] };
}
