import type { IncomingMessage, RequestListener } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { createGraphqlServer, isGraphqlRequest } from './graphql/server.js';
import { mountChallengePage } from './http/challenge-page.js';
import { clientAddressResolver } from './http/client-address.js';
import { mountConsole } from './http/console.js';
import { restCors } from './http/cors.js';
import { liveness, readiness } from './http/health.js';
import { metricsEndpoint } from './http/metrics.js';
import { requestLog } from './http/request-log.js';
import { newRequestScope, requestRuntimes } from './http/request-scope.js';
import { bodySizeLimit, requestTimeout, securityHeaders } from './http/security.js';
import { errorAnswer, refusedByHono, unexpectedFailure, type NodeBindings, type RestEnv, type RouteTable } from './rest/api.js';
import { mountRest } from './rest/index.js';
import { mountGraphiqlAssets } from './graphql/graphiql.js';
import { mountSchemaFile } from './graphql/schema-file.js';
import { mountLanding } from './http/landing.js';
import { mountDevMail } from './http/dev-mail.js';
import { discoveryDocument } from './http/discovery.js';
import type { Runtime } from './runtime.js';
export type App = {
  /** The whole app as a fetch handler (in-process tests). */
  fetch: (request: Request, bindings?: NodeBindings) => Promise<Response>;
  /** The same app as node:http's request listener. */
  listener: RequestListener;
  /** The REST routes with their auth rules (what OPTIONS and the OpenAPI document describe). */
  restRoutes: RouteTable;
};

const maxBodyBytes = 64 * 1024;

/**
 * Hono serves the REST API, the pages and the probes; /graphql goes straight to
 * yoga, on its own Node adapter when listening: Hono's adapter and middleware
 * chain cost more than executing a small query (see bench/README.md).
 */
export function createApp(runtime: Runtime): App {
  const requestRuntime = requestRuntimes(runtime);
  const yoga = createGraphqlServer(runtime, { maxBodyBytes });
  // From here on `ip` is the client's address, whatever proxies stand between (TRUSTED_PROXIES).
  const clientAddress = clientAddressResolver(runtime.config.trustedProxies);

  const http = new Hono<RestEnv>();
  // CORS headers and the security headers are set last (see securityHeaders), so they are registered first.
  http.use(
    '*',
    restCors(runtime.config.corsOrigins),
    securityHeaders(),
    requestLog(runtime.logger, requestRuntime),
    requestTimeout(runtime.config.requestTimeoutMs),
  );
  http.use(
    '*',
    bodySizeLimit(maxBodyBytes, (c) => errorAnswer(c, 'PAYLOAD_TOO_LARGE')),
  );
  http.get('/healthz', liveness);
  http.get('/readyz', readiness(runtime));
  http.get('/metrics', metricsEndpoint(runtime));
  http.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(runtime.signingKeys.jwks);
  });
  http.get('/.well-known/openid-configuration', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(discoveryDocument(runtime.config));
  });
  mountLanding(http, runtime.config);
  mountSchemaFile(http, runtime.config);
  // GraphiQL's files: Hono serves them, as yoga answers /graphql alone and uncached.
  mountGraphiqlAssets(http);
  mountDevMail(http, runtime.config);
  mountConsole(http, runtime.config);
  const restRoutes = mountRest(http);
  mountChallengePage(http, runtime);
  http.notFound((c) => errorAnswer(c, 'NOT_FOUND'));
  http.onError((error, c) => (error instanceof HTTPException ? refusedByHono(c, error) : unexpectedFailure(c, error)));

  const fetchGraphql = async (request: Request, ip?: string) => {
    const answer = await yoga.fetch(request, { ip, responseCookies: [], scope: newRequestScope(request.headers.get('x-request-id'), request.headers.get('accept-language')) });
    return new Response(await answer.text(), { status: answer.status, headers: new Headers(answer.headers) });
  };
  const fetch: App['fetch'] = (request, bindings = {}) => {
    const ip = clientAddress(bindings.ip, request.headers.get('x-forwarded-for'));
    if (isGraphqlRequest(request.method, new URL(request.url).pathname)) return fetchGraphql(request, ip);
    return Promise.resolve(http.fetch(request, { ...bindings, ip }));
  };
  // An HTTP/1 server, so the bindings are node:http's.
  const peerAddress = ({ socket, headers }: IncomingMessage) => clientAddress(socket.remoteAddress, [headers['x-forwarded-for'] ?? []].flat().join(','));
  const honoListener = getRequestListener((request, env) => http.fetch(request, { ip: peerAddress((env as HttpBindings).incoming) }));
  const listener: RequestListener = (incoming, outgoing) => {
    if (!isGraphqlRequest(incoming.method, incoming.url)) return void honoListener(incoming, outgoing);
    const scope = newRequestScope(incoming.headers['x-request-id'] as string | undefined, incoming.headers['accept-language']);
    void yoga(incoming, outgoing, { ip: peerAddress(incoming), responseCookies: [], scope });
  };

  return { fetch, listener, restRoutes };
}
