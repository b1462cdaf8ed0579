// Apollo Client and urql, each with its usual auth link, on a server whose access token has
// expired: the link refreshes through @authgraph/client and the query goes through.
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { Client, fetchExchange } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { from, switchMap } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuthClient } from '../../packages/client/src/index.js';
import type { TestApp } from '../helpers/app.js';
import { createClientTestApp, endpoint, inProcessFetch, signedUpClient } from './harness.js';

let app: TestApp;
beforeAll(async () => {
  app = await createClientTestApp();
});
afterAll(() => app.close());

const whoamiQuery = 'query Whoami { whoami { user { username } } }';
const isUnauthenticated = (errors: readonly { extensions?: Record<string, unknown> }[]) =>
  errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED');

/** A signed-in @authgraph/client whose access token the server no longer takes (only the server's clock moved). */
async function clientWithExpiredToken() {
  const { client, identity, operations } = await signedUpClient(app);
  await client.signIn({ username: identity.username, password: identity.password });
  app.clock.advance(app.config.jwt.accessTokenTtl * 1000 + 1000);
  operations.length = 0;
  return { auth: client, identity, authOperations: operations };
}

function apolloClient(auth: AuthClient, fetch: typeof globalThis.fetch) {
  const authLink = new SetContextLink(async ({ headers }) => {
    const token = await auth.accessToken();
    return { headers: { ...headers, ...(token && { authorization: `Bearer ${token}` }) } };
  });
  const refreshLink = new ErrorLink(({ error, operation, forward }) => {
    if (!CombinedGraphQLErrors.is(error) || !isUnauthenticated(error.errors)) return;
    const rejected = String(operation.getContext().headers?.authorization ?? '').replace(/^Bearer /, '');
    // The retry passes authLink again, which now finds the new token.
    return from(auth.refresh(rejected)).pipe(switchMap(() => forward(operation)));
  });
  return new ApolloClient({ cache: new InMemoryCache(), link: ApolloLink.from([refreshLink, authLink, new HttpLink({ uri: endpoint, fetch })]) });
}

function urqlClient(auth: AuthClient, fetch: typeof globalThis.fetch) {
  return new Client({
    url: endpoint,
    fetch,
    preferGetMethod: false,
    exchanges: [
      authExchange(async (utils) => {
        let token = await auth.accessToken();
        return {
          addAuthToOperation: (operation) => (token ? utils.appendHeaders(operation, { authorization: `Bearer ${token}` }) : operation),
          didAuthError: (error) => isUnauthenticated(error.graphQLErrors),
          refreshAuth: async () => {
            token = await auth.refresh(token ?? undefined);
          },
        };
      }),
      fetchExchange,
    ],
  });
}

it('Apollo Client (SetContextLink + ErrorLink) refreshes an expired access token and retries the query', async () => {
  const { auth, identity, authOperations } = await clientWithExpiredToken();
  const { fetch, operations } = inProcessFetch(app);
  const apollo = apolloClient(auth, fetch);
  const { data } = await apollo.query<{ whoami: { user: { username: string } } }>({ query: gql(whoamiQuery), fetchPolicy: 'network-only' });
  expect(data?.whoami.user.username).toBe(identity.username);
  expect(operations).toEqual(['Whoami', 'Whoami']);
  expect(authOperations).toEqual(['Refresh']);
});

it('urql (authExchange with didAuthError and refreshAuth) refreshes an expired access token and retries the query', async () => {
  const { auth, identity, authOperations } = await clientWithExpiredToken();
  const { fetch, operations } = inProcessFetch(app);
  const result = await urqlClient(auth, fetch).query(whoamiQuery, {}).toPromise();
  expect(result.error).toBeUndefined();
  expect(result.data.whoami.user.username).toBe(identity.username);
  expect(operations).toEqual(['Whoami', 'Whoami']);
  expect(authOperations).toEqual(['Refresh']);
});
