import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { nodeHeaders, writeAnswer, writeResponse } from './graphql/fast-path.js';
import { bodyText, bufferedBody } from './http/buffered-body.js';
import type { ServerContext } from './graphql/http.js';
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
  const { yoga, fastPath } = createGraphqlServer(runtime, { maxBodyBytes });
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
    bufferedBody(maxBodyBytes),
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
    const serverContext = { ip, responseCookies: [], scope: newRequestScope(request.headers.get('x-request-id'), request.headers.get('accept-language')) };
    const url = new URL(request.url);
    let yogaRequest = request;
    if (fastPath.takes(request.method, url.pathname + url.search, (name) => request.headers.get(name) ?? undefined, { inMemory: true })) {
      const outcome = await fastPath.answer(request, () => request.text(), serverContext);
      if (!('unknown' in outcome)) return new Response(outcome.body, { status: outcome.status, headers: Object.entries(outcome.headers.fields).flatMap(([name, value]) => [value].flat().map((one) => [name, one] as [string, string])) });
      yogaRequest = new Request(request.url, { method: request.method, headers: request.headers, body: outcome.unknown });
    }
    const answer = await yoga.fetch(yogaRequest, serverContext);
    return new Response(await answer.text(), { status: answer.status, headers: new Headers(answer.headers) });
  };
  const fetch: App['fetch'] = (request, bindings = {}) => {
    const ip = clientAddress(bindings.ip, request.headers.get('x-forwarded-for'));
    if (isGraphqlRequest(request.method, new URL(request.url).pathname)) return fetchGraphql(request, ip);
    return Promise.resolve(http.fetch(request, { ...bindings, ip }));
  };
  // An HTTP/1 server, so the bindings are node:http's.
  const peerAddress = ({ socket, headers }: IncomingMessage) => clientAddress(socket.remoteAddress, [headers['x-forwarded-for'] ?? []].flat().join(','));
  const honoListener = getRequestListener((request, env) => {
    const { incoming } = env as HttpBindings;
    return http.fetch(request, { ip: peerAddress(incoming), incoming });
  });
  const listener: RequestListener = (incoming, outgoing) => {
    if (!isGraphqlRequest(incoming.method, incoming.url)) return void honoListener(incoming, outgoing);
    const scope = newRequestScope(incoming.headers['x-request-id'] as string | undefined, incoming.headers['accept-language']);
    const serverContext = { ip: peerAddress(incoming), responseCookies: [], scope };
    const header = (name: string) => [incoming.headers[name] ?? []].flat().join(', ') || undefined;
    if (!fastPath.takes(incoming.method, incoming.url, header)) return void yoga(incoming, outgoing, serverContext);
    void answerGraphql(incoming, outgoing, serverContext);
  };
  /** The fast path, or yoga for what it leaves (its body already read). */
  const answerGraphql = async (incoming: IncomingMessage, outgoing: ServerResponse, serverContext: ServerContext) => {
    const url = `${(incoming.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${incoming.headers.host ?? 'localhost'}${incoming.url}`;
    const request = { url, method: 'POST', headers: nodeHeaders(incoming) } as Request;
    try {
      const outcome = await fastPath.answer(request, () => bodyText(incoming), serverContext);
      if (!('unknown' in outcome)) return writeAnswer(outgoing, outcome);
      const headers = Object.entries(incoming.headers).map(([name, value]) => [name, [value ?? []].flat().join(', ')] as [string, string]);
      await writeResponse(outgoing, await yoga.fetch(new Request(url, { method: 'POST', headers, body: outcome.unknown }), serverContext));
    } catch (error) {
      runtime.logger.error({ reqId: serverContext.scope.requestId, err: { type: (error as Error).name } }, 'unexpected error');
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    }
  };

  return { fetch, listener, restRoutes };
}
