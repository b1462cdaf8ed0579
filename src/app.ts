import { Hono } from 'hono';
import { createYoga } from 'graphql-yoga';
import { resolveCredentials } from './context.js';
import { clientInfo } from './http/cookies.js';
import type { Runtime } from './runtime.js';
import type { RestEnv, RouteTable } from './rest/api.js';
import type { GraphQLContext } from './schema/context.js';
import { maskError } from './schema/errors.js';
import { schema } from './schema/index.js';
import { useKeyUseLog } from './schema/key-use.js';
import { graphiqlOptions } from './schema/graphiql.js';
import { mountRest } from './rest/index.js';
import { mountConsole } from './http/console.js';
import { mountChallengePage } from './http/challenge-page.js';
import { HTTPException } from 'hono/http-exception';
import { errorCodes } from './errors.js';
import {
  bodySizeLimit,
  defaultContentSecurityPolicy,
  inlinePagePolicy,
  requestTimeout,
  requireJsonPosts,
  securityHeaders,
} from './http/security.js';
import { graphqlProtections } from './schema/protections.js';
import { useNulGuard } from './schema/nul-guard.js';
import { useRequestObserver } from './http/graphql-observer.js';
import { liveness, readiness } from './http/health.js';
import { metricsEndpoint } from './http/metrics.js';
import { requestLog } from './http/request-log.js';
import { requestForYoga, responseFromYoga, type NodeBindings } from './http/yoga-bridge.js';

/** What the Node adapter passes along with each request. */
export type ServerContext = { ip?: string; responseCookies: string[] };

export type App = {
  fetch: (request: Request, server?: NodeBindings) => Promise<Response>;
  /** The REST routes with their auth rules (what OPTIONS and the OpenAPI document describe). */
  restRoutes: RouteTable;
};

export function createApp(runtime: Runtime): App {
  // GraphiQL is bundled (no CDN): about 9 MB of inline script, rendered once, on first use.
  let graphiqlPage: { html: string; policy: string } | undefined;
  const renderGraphiQL = async (options?: object) => {
    if (!graphiqlPage) {
      const { renderGraphiQL: render } = await import('@graphql-yoga/render-graphiql');
      const html = render(options);
      graphiqlPage = { html, policy: inlinePagePolicy(html) };
    }
    return graphiqlPage.html;
  };

  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: runtime.config.graphiql ? graphiqlOptions : false,
    renderGraphiQL,
    landingPage: false,
    batching: false,
    // The app's body limit (below) covers /graphql.
    maxRequestBodySize: false,
    logging: false,
    maskedErrors: { maskError: maskError(runtime.logger) },
    plugins: [useNulGuard(), ...graphqlProtections(runtime.config), useKeyUseLog(), useRequestObserver()],
    context: async ({ request, ip, responseCookies }) => {
      const client = clientInfo(request, ip);
      return { runtime, request, responseCookies, client, credentials: await resolveCredentials(runtime, request.headers, client) };
    },
  });

  const http = new Hono<RestEnv>();
  http.use('*', requestLog(runtime.logger));
  http.use('*', securityHeaders(), defaultContentSecurityPolicy(), requestTimeout(runtime.config.requestTimeoutMs));
  http.use(
    '*',
    bodySizeLimit(64 * 1024, (c) => c.json({ detail: 'The request body is too large.', code: 'PAYLOAD_TOO_LARGE' }, 413)),
  );
  http.get('/healthz', liveness);
  http.get('/readyz', readiness(runtime));
  http.get('/metrics', metricsEndpoint(runtime));
  http.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(runtime.signingKeys.jwks);
  });
  http.on(['GET', 'POST', 'OPTIONS'], '/graphql', requireJsonPosts(), async (c) => {
    const responseCookies: string[] = [];
    const response = await responseFromYoga(await yoga.fetch(requestForYoga(c, yoga.fetchAPI), { ip: c.env?.ip, responseCookies }));
    for (const cookie of responseCookies) response.headers.append('Set-Cookie', cookie);
    if (c.req.method === 'POST') response.headers.set('Cache-Control', 'no-store');
    if (graphiqlPage && response.headers.get('content-type')?.startsWith('text/html')) {
      response.headers.set('Content-Security-Policy', graphiqlPage.policy);
    }
    return response;
  });
  mountConsole(http, runtime.config);
  const restRoutes = mountRest(http, runtime);
  mountChallengePage(http, runtime);
  http.notFound((c) => c.json({ detail: errorCodes.NOT_FOUND.message, code: 'NOT_FOUND' }, 404));
  http.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ detail: error.message, code: 'TIMEOUT' }, error.status);
    const { name, code } = error as { name?: string; code?: unknown };
    runtime.logger.error({ err: { type: name, code }, path: c.req.path }, 'unexpected error');
    return c.json({ detail: errorCodes.INTERNAL.message, code: 'INTERNAL' }, 500);
  });

  return { fetch: (request, server) => Promise.resolve(http.fetch(request, server ?? {})), restRoutes };
}
