import { createGraphQLError, type FetchAPI, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { withinDeadline } from '../http/deadline.js';
import { annotateSpan, traced } from '../tracing.js';
import { requestRecorder, type RequestRecorder } from '../http/request-log.js';
import type { RequestScope } from '../http/request-scope.js';
import { errorCodes, type ErrorCode } from '../errors.js';
import { applySecurityHeaders, declaredLength, type HeaderWriter } from '../http/security.js';
import { mediaTypeOf } from '../http/buffered-body.js';
import { graphiqlPolicy } from './graphiql.js';

/** What each /graphql request carries besides yoga's own: the caller's address, the cookies to set, its scope. */
export type ServerContext = { ip?: string; responseCookies: string[]; scope: RequestScope };

type Limits = { maxBodyBytes: number; timeoutMs: number };

/** A refusal of the HTTP layer, straight from the error catalogue. */
export function errorAnswer(fetchAPI: Pick<FetchAPI, 'Response'>, code: ErrorCode, message: string = errorCodes[code].message): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status: errorCodes[code].status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

const declaredLengthOf = (request: Request) => declaredLength((name) => request.headers.get(name));

/**
 * Cookie-carried credentials must not be usable from another site: GraphQL POSTs
 * must be JSON (a cross-site form or text/plain post would need a CORS preflight
 * to send it), and the refresh cookie is SameSite=Strict.
 */
function isJsonPost(request: Request): boolean {
  const type = mediaTypeOf(request.headers.get('content-type'));
  return type === 'application/json' || type === 'application/graphql-response+json';
}

/**
 * Runs one /graphql request's work under REQUEST_TIMEOUT (then `late()` answers) and
 * turns what came first into the answer (`answer`), in the request's trace span.
 */
export function withinRequestLimits<T, A extends object>(
  method: string,
  scope: RequestScope,
  timeoutMs: number,
  work: () => Promise<T>,
  late: () => Promise<T>,
  answer: (result: T) => A,
): Promise<A> {
  return traced('HTTP POST /graphql', { 'http.request.method': method, 'http.route': '/graphql', 'authgraph.request_id': scope.requestId }, async () => {
    const answered = answer(await withinDeadline(work, timeoutMs, late, scope));
    const { status } = answered as { status?: unknown };
    if (typeof status === 'number') annotateSpan({ 'http.response.status_code': status });
    return answered;
  });
}

/**
 * What every answer of /graphql carries, set last: the security headers (GraphiQL's page
 * its own policy), no caching, the cookies resolvers set, the request's id; and its log line.
 */
export function completeAnswer(record: RequestRecorder, method: string, headers: HeaderWriter, status: number, serverContext: ServerContext): void {
  const policy = graphiqlPolicy();
  if (policy && headers.get('content-type')?.startsWith('text/html')) headers.set('Content-Security-Policy', policy);
  applySecurityHeaders(headers);
  // Queries over GET answer with account data too: no answer of /graphql is for a cache.
  headers.set('Cache-Control', 'no-store');
  for (const cookie of serverContext.responseCookies) headers.append('Set-Cookie', cookie);
  const { scope } = serverContext;
  headers.set('X-Request-Id', scope.requestId);
  record(scope, { method, route: '/graphql', path: '/graphql', status });
}

/** A body sent without a declared length (chunked), read up to the limit. */
async function readUpTo(request: Request, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      const { message, status } = errorCodes.PAYLOAD_TOO_LARGE;
      throw createGraphQLError(message, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status } } });
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * /graphql's side of what the app's HTTP layer does for every other path, as yoga
 * hooks (yoga serves /graphql on its own Node adapter, without Hono): JSON-only
 * POSTs (415), the body limit (413), the time limit (503), the security headers,
 * no caching of any answer, the cookies resolvers set, and the request log.
 */
export function useGraphqlHttp(logger: Logger, { maxBodyBytes, timeoutMs }: Limits): Plugin<object, ServerContext> {
  const record = requestRecorder(logger);
  return {
    onRequest({ request, fetchAPI, endResponse, requestHandler, setRequestHandler }) {
      if (request.method === 'POST') {
        if ((declaredLengthOf(request) ?? 0) > maxBodyBytes) return endResponse(errorAnswer(fetchAPI, 'PAYLOAD_TOO_LARGE'));
        if (!isJsonPost(request)) {
          return endResponse(errorAnswer(fetchAPI, 'UNSUPPORTED_MEDIA_TYPE', 'GraphQL requests must be application/json.'));
        }
      }
      const late = async () => errorAnswer(fetchAPI, 'TIMEOUT');
      setRequestHandler((timedRequest, context) =>
        withinRequestLimits(request.method, context.scope, timeoutMs, async () => requestHandler(timedRequest, context), late, (response) => response),
      );
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      // A declared length was checked in onRequest; asking for `body` first would build its stream.
      if (declaredLengthOf(request) !== undefined || !requestParser || !request.body) return;
      setRequestParser(async (chunked) =>
        requestParser(new fetchAPI.Request(chunked.url, { method: chunked.method, headers: chunked.headers, body: await readUpTo(chunked, maxBodyBytes) })),
      );
    },
    onResponse({ request, response, serverContext }) {
      completeAnswer(record, request.method, response.headers, response.status, serverContext);
    },
  };
}
