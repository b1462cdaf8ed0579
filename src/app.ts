import type { RequestListener } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { createYoga } from 'graphql-yoga';
import { resolveCredentials } from './context.js';
import { clientInfo } from './http/cookies.js';
import type { Runtime } from './runtime.js';
import { unexpectedFailure, type NodeBindings, type RestEnv, type RouteTable } from './rest/api.js';
import type { GraphQLContext } from './schema/context.js';
import { maskError } from './schema/errors.js';
import { schema } from './schema/index.js';
import { useKeyUseLog } from './schema/key-use.js';
import { graphiqlOptions, renderGraphiQL } from './schema/graphiql.js';
import { useReleaseRequestCaches } from './schema/request-caches.js';
import { mountRest } from './rest/index.js';
import { mountConsole } from './http/console.js';
import { mountChallengePage } from './http/challenge-page.js';
import { HTTPException } from 'hono/http-exception';
import { errorCodes } from './errors.js';
import { bodySizeLimit, payloadTooLarge, requestTimeout, requestTooSlow, securityHeaders } from './http/security.js';
import { graphqlProtections } from './schema/protections.js';
import { useNulGuard } from './schema/nul-guard.js';
import { useRequestObserver } from './http/graphql-observer.js';
import { useGraphqlHttp, type ServerContext } from './http/graphql-http.js';
import { liveness, readiness } from './http/health.js';
import { metricsEndpoint } from './http/metrics.js';
import { requestLog } from './http/request-log.js';
import { newRequestScope, requestRuntimes } from './http/request-scope.js';

export type App = {
  /** The whole app as a fetch handler (in-process tests). */
  fetch: (request: Request, bindings?: NodeBindings) => Promise<Response>;
  /** The same app as node:http's request listener. */
  listener: RequestListener;
  /** The REST routes with their auth rules (what OPTIONS and the OpenAPI document describe). */
  restRoutes: RouteTable;
};

const maxBodyBytes = 64 * 1024;

/** What yoga answers (`url` with or without its query); the other methods on /graphql fall through to the app's 404. */
function isGraphqlRequest(method: string | undefined, url: string | undefined): boolean {
  if (method !== 'POST' && method !== 'GET' && method !== 'OPTIONS') return false;
  if (!url?.startsWith('/graphql')) return false;
  return url.length === 8 || url[8] === '?';
}

/**
 * Hono serves the REST API, the pages and the probes; /graphql goes straight to
 * yoga, on its own Node adapter when listening: Hono's adapter and middleware
 * chain cost more than executing a small query (see README, Performance).
 */
export function createApp(runtime: Runtime): App {
  const requestRuntime = requestRuntimes(runtime);
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: runtime.config.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    landingPage: false,
    batching: false,
    // useGraphqlHttp limits bodies without wrapping every one in a counting stream.
    maxRequestBodySize: false,
    logging: false,
    maskedErrors: { maskError },
    plugins: [
      useGraphqlHttp(runtime.logger, { maxBodyBytes, timeoutMs: runtime.config.requestTimeoutMs }),
      useNulGuard(),
      ...graphqlProtections(runtime.config),
      useKeyUseLog(),
      useRequestObserver(runtime.logger),
      useReleaseRequestCaches(),
    ],
    context: async ({ request, ip, responseCookies, scope }) => {
      const client = clientInfo(request, ip);
      const scoped = requestRuntime(scope);
      const credentials = await resolveCredentials(scoped, request.headers, client);
      return { runtime: scoped, scope, request, responseCookies, client, credentials };
    },
  });

  const http = new Hono<RestEnv>();
  http.use('*', securityHeaders(), requestLog(runtime.logger, requestRuntime), requestTimeout(runtime.config.requestTimeoutMs));
  http.use(
    '*',
    bodySizeLimit(maxBodyBytes, (c) => c.json({ detail: payloadTooLarge.message, code: payloadTooLarge.code }, payloadTooLarge.status)),
  );
  http.get('/healthz', liveness);
  http.get('/readyz', readiness(runtime));
  http.get('/metrics', metricsEndpoint(runtime));
  http.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(runtime.signingKeys.jwks);
  });
  mountConsole(http, runtime.config);
  const restRoutes = mountRest(http, runtime);
  mountChallengePage(http, runtime);
  http.notFound((c) => c.json({ detail: errorCodes.NOT_FOUND.message, code: 'NOT_FOUND' }, 404));
  http.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ detail: error.message, code: requestTooSlow.code }, error.status);
    return unexpectedFailure(c, error);
  });

  const fetchGraphql = async (request: Request, ip?: string) => {
    const answer = await yoga.fetch(request, { ip, responseCookies: [], scope: newRequestScope(request.headers.get('x-request-id')) });
    return new Response(await answer.text(), { status: answer.status, headers: new Headers(answer.headers) });
  };
  const fetch: App['fetch'] = (request, bindings = {}) => {
    if (isGraphqlRequest(request.method, new URL(request.url).pathname)) return fetchGraphql(request, bindings.ip);
    return Promise.resolve(http.fetch(request, bindings));
  };
  // An HTTP/1 server, so the bindings are node:http's.
  const honoListener = getRequestListener((request, env) => http.fetch(request, { ip: (env as HttpBindings).incoming.socket.remoteAddress }));
  const listener: RequestListener = (incoming, outgoing) => {
    if (!isGraphqlRequest(incoming.method, incoming.url)) return void honoListener(incoming, outgoing);
    const scope = newRequestScope(incoming.headers['x-request-id'] as string | undefined);
    void yoga(incoming, outgoing, { ip: incoming.socket.remoteAddress, responseCookies: [], scope });
  };

  return { fetch, listener, restRoutes };
}
