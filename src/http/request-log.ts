import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import { annotateSpan, traced } from '../tracing.js';
import { failures, httpRequestDuration, httpRequests } from '../metrics.js';
import type { RestEnv } from '../rest/api.js';
import type { Runtime } from '../runtime.js';
import { newRequestScope, type RequestScope } from './request-scope.js';

/** Probes and scrapes arrive every few seconds; they are logged only at debug level. */
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** The pattern of the route that answered (`/v1/admin/tokens/:token`), never the raw path, so metric labels stay few. */
function routeOf(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== 'ALL');
  const pattern = handlers.at(-1)?.path;
  // `/challenge/:uid/` is the same page as `/challenge/:uid`.
  return pattern?.replace(/(.)\/$/, '$1') ?? (c.res.status === 404 ? 'unmatched' : '*');
}

/**
 * Any path under /challenge/ holds a link's secret, wherever it leads (a typo, an
 * extra segment, another case): it is logged as the link's pattern.
 */
const challengeLink = /^\/+challenge\//i;

function loggedPath(route: string, path: string): string {
  if (route.includes(':')) return route;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape: the raw path is what Hono routed.
  }
  return challengeLink.test(decoded) ? '/challenge/:uid' : path;
}

/** REST errors are `{ detail, code }`. */
async function restErrorCode(response: Response): Promise<string> {
  if (!response.headers.get('content-type')?.includes('json')) return `HTTP_${response.status}`;
  const body = (await response.clone().json().catch(() => null)) as { code?: unknown } | null;
  const code = body?.code;
  return typeof code === 'string' ? code : `HTTP_${response.status}`;
}

/** What a log line may show of a request's path: the route's pattern where it has parameters, never a challenge link's uid. */
export const pathToLog = (c: Context) => loggedPath(routeOf(c), c.req.path);

/** `route` labels the metrics; `path` is what the log line shows. */
export type RequestRecorder = (scope: RequestScope, request: { method: string; route: string; path: string; status: number }) => void;

/**
 * One JSON line per request: id, method, path (never the query string, which may hold
 * a code; the route's pattern where the path holds a parameter, which may be a
 * challenge link's secret), GraphQL operation, status and duration; and the
 * request metrics.
 */
export function requestRecorder(logger: Logger): RequestRecorder {
  // These fields are all of the line and none can hold a secret: redaction (a walk over
  // every field by path, a tenth of a small request's cost) is left to the other lines.
  const lines = logger.child({}, { redact: [] });
  return (scope, { method, route, path, status }) => {
    const seconds = (performance.now() - scope.startedAt) / 1000;
    const operation = scope.operationMetric ?? '';
    httpRequests.inc({ method, route, operation, status: String(status) });
    httpRequestDuration.observe({ method, route, operation }, seconds);
    const level = status >= 500 ? 'error' : quietPaths.has(path) ? 'debug' : 'info';
    const durationMs = Math.round(seconds * 10_000) / 10;
    lines[level]({ reqId: scope.requestId, method, path, operation: scope.operation, status, errors: scope.errorCodes, durationMs }, 'request');
  };
}

/**
 * The request log of the routes Hono serves; the request id is echoed back in
 * X-Request-Id. Handlers find the request's runtime (its logger stamps the id) in
 * `c.var.runtime`.
 */
export function requestLog(logger: Logger, requestRuntime: (scope: RequestScope) => Runtime): MiddlewareHandler<RestEnv> {
  const record = requestRecorder(logger);
  return async (c, next) => {
    const scope = newRequestScope(c.req.header('x-request-id'), c.req.header('accept-language'));
    c.set('runtime', requestRuntime(scope));
    const { method } = c.req;
    await traced(`HTTP ${method}`, { 'http.request.method': method, 'authgraph.request_id': scope.requestId }, async () => {
      await next();
      // The logged path, never the raw one: a challenge link's path is its secret.
      annotateSpan({ 'http.route': routeOf(c), 'url.path': loggedPath(routeOf(c), c.req.path), 'http.response.status_code': c.res.status });
    });
    const { status } = c.res;
    const route = routeOf(c);
    record(scope, { method: c.req.method, route, path: loggedPath(route, c.req.path), status });
    if (status >= 400) failures.inc({ api: 'rest', code: await restErrorCode(c.res) });
    // After the error body was read: see securityHeaders.
    c.res.headers.set('X-Request-Id', scope.requestId);
  };
}
