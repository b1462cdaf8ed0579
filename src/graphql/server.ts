import { createYoga } from 'graphql-yoga';
import { clientInfo, resolveCredentials } from '../context.js';
import { graphqlCors } from '../http/cors.js';
import { requestRuntimes } from '../http/request-scope.js';
import type { Runtime } from '../runtime.js';
import { schema } from '../schema/index.js';
import type { GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { useGraphqlHttp, type ServerContext } from './http.js';
import { useKeyUseLog } from './key-use.js';
import { useNulGuard } from './nul-guard.js';
import { useRequestObserver } from './observer.js';
import { useHiddenSuggestions } from './suggestions.js';
import { graphqlProtections } from './protections.js';
import { useReleaseRequestCaches } from './request-caches.js';
import { createFastPath } from './fast-path.js';
import { KnownDocuments } from './known-documents.js';

export const graphqlPath = '/graphql';

/** What yoga answers (`url` with or without its query); the other methods on /graphql fall through to the app's 404. */
export function isGraphqlRequest(method: string | undefined, url: string | undefined): boolean {
  if (method !== 'POST' && method !== 'GET' && method !== 'OPTIONS') return false;
  if (!url?.startsWith(graphqlPath)) return false;
  return url.length === graphqlPath.length || url[graphqlPath.length] === '?';
}

/** /graphql: the schema, its limits, its HTTP rules, its observers, and the context every resolver gets. */
export function createGraphqlServer(runtime: Runtime, { maxBodyBytes }: { maxBodyBytes: number }) {
  const requestRuntime = requestRuntimes(runtime);
  const contextFor = async (request: Request, { ip, responseCookies, scope }: ServerContext) => {
    const client = clientInfo(request.headers, ip);
    const scoped = requestRuntime(scope);
    const credentials = await resolveCredentials(scoped, request, client);
    const delivery = { cookiePath: graphqlPath, setCookie: (cookie: string) => void responseCookies.push(cookie) };
    return { runtime: scoped, scope, credentials, client, delivery };
  };
  const known = new KnownDocuments();
  const hideSuggestions = !runtime.config.graphql.introspection;
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: graphqlPath,
    graphiql: runtime.config.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    landingPage: false,
    cors: graphqlCors(runtime.config.corsOrigins),
    batching: false,
    // useGraphqlHttp limits bodies without wrapping every one in a counting stream.
    maxRequestBodySize: false,
    logging: false,
    maskedErrors: { maskError },
    plugins: [
      useGraphqlHttp(runtime.logger, { maxBodyBytes, timeoutMs: runtime.config.requestTimeoutMs }),
      useNulGuard(),
      ...graphqlProtections(runtime.config),
      ...(hideSuggestions ? [useHiddenSuggestions()] : []),
      useKeyUseLog(),
      useRequestObserver(runtime.logger),
      useReleaseRequestCaches(),
      known.plugin(),
    ],
    context: ({ request, ip, responseCookies, scope }) => contextFor(request, { ip, responseCookies, scope }),
  });
  const { logger, config } = runtime;
  const fastPath = createFastPath({ schema, known, logger, maxBodyBytes, timeoutMs: config.requestTimeoutMs, hideSuggestions, contextFor });
  return { yoga, fastPath };
}
