import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import { failures, httpRequestDuration, httpRequests } from '../metrics.js';
import { requestScope, type RequestScope } from './request-scope.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** Probes and scrapes arrive every few seconds; they are logged only at debug level. */
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** The pattern of the route that answered (`/v1/admin/tokens/:token`), never the raw path, so metric labels stay few. */
function routeOf(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? (c.res.status === 404 ? 'unmatched' : '*');
}

/** REST errors are `{ detail, code }`. */
async function restErrorCode(response: Response): Promise<string> {
  if (!response.headers.get('content-type')?.includes('json')) return `HTTP_${response.status}`;
  const body = (await response.clone().json().catch(() => null)) as { code?: unknown } | null;
  const code = body?.code;
  return typeof code === 'string' ? code : `HTTP_${response.status}`;
}

/**
 * One JSON line per request: id (the caller's X-Request-Id when sane, else a
 * new one, echoed back), method, path (never the query string, which may hold
 * a code; the route's pattern where the path holds a parameter, which may be a
 * challenge link's secret), GraphQL operation, status and duration; and the
 * request metrics.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  // These fields are all of the line and none can hold a secret: redaction (a walk over
  // every field by path, a tenth of a small request's cost) is left to the other lines.
  const requestLines = logger.child({}, { redact: [] });
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const scope: RequestScope = { requestId: incoming && requestIdPattern.test(incoming) ? incoming : randomUUID() };
    const started = performance.now();
    await requestScope.run(scope, next);
    const seconds = (performance.now() - started) / 1000;
    c.res.headers.set('X-Request-Id', scope.requestId);

    const { method } = c.req;
    const { status } = c.res;
    const route = routeOf(c);
    const path = route.includes(':') ? route : c.req.path;
    const operation = scope.operationMetric ?? '';
    httpRequests.inc({ method, route, operation, status: String(status) });
    httpRequestDuration.observe({ method, route, operation }, seconds);
    if (status >= 400 && path !== '/graphql') failures.inc({ api: 'rest', code: await restErrorCode(c.res) });

    const level = status >= 500 ? 'error' : quietPaths.has(path) ? 'debug' : 'info';
    requestLines[level](
      { reqId: scope.requestId, method, path, operation: scope.operation, status, durationMs: Math.round(seconds * 10_000) / 10 },
      'request',
    );
  };
}
