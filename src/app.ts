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
import { graphiqlDefaultQuery } from './schema/graphiql.js';
import { mountRest } from './rest/index.js';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.js';

/** What the Node adapter passes along with each request. */
export type ServerContext = { ip?: string; responseCookies: string[] };

export type App = {
  fetch: (request: Request, server?: { ip?: string }) => Promise<Response>;
  /** The REST routes with their auth rules (what OPTIONS and the OpenAPI document describe). */
  restRoutes: RouteTable;
};

export function createApp(runtime: Runtime): App {
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: runtime.config.graphiql ? { title: 'authgraph', defaultQuery: graphiqlDefaultQuery } : false,
    landingPage: false,
    batching: false,
    logging: false,
    maskedErrors: { maskError: maskError(runtime.logger) },
    plugins: [useKeyUseLog()],
    context: async ({ request, ip, responseCookies }) => {
      const client = clientInfo(request, ip);
      return { runtime, request, responseCookies, client, credentials: await resolveCredentials(runtime, request.headers, client) };
    },
  });

  const http = new Hono<RestEnv>();
  http.use(
    '*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json({ detail: 'The request body is too large.', code: 'PAYLOAD_TOO_LARGE' }, 413),
    }),
  );
  http.get('/healthz', (c) => c.json({ status: 'ok' }));
  http.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(runtime.signingKeys.jwks);
  });
  http.on(['GET', 'POST', 'OPTIONS'], '/graphql', async (c) => {
    const responseCookies: string[] = [];
    const response = await yoga.fetch(c.req.raw, { ip: c.env?.ip, responseCookies });
    for (const cookie of responseCookies) response.headers.append('Set-Cookie', cookie);
    if (c.req.method === 'POST') response.headers.set('Cache-Control', 'no-store');
    return response;
  });
  const restRoutes = mountRest(http, runtime);
  http.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'Not found.' } }, 404));

  return { fetch: (request, server) => Promise.resolve(http.fetch(request, server ?? {})), restRoutes };
}
