import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { errorCodes } from '../errors.js';
import type { RestEnv } from '../rest/api.js';
import { withinDeadline } from './deadline.js';
import { requestScopeOf } from './request-scope.js';

/** API answers are JSON: nothing on them may load anything. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** What every answer carries (helmet's set, with HSTS for a year and no referrer). */
const securityHeaderEntries: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** What sets an answer's headers: a Headers object, or the /graphql fast path's plain one. */
export type HeaderWriter = Pick<Headers, 'get' | 'has' | 'set' | 'append'>;

/** The security headers, and the locked-down CSP unless a page set its own. */
export function applySecurityHeaders(headers: HeaderWriter) {
  for (const [name, value] of securityHeaderEntries) headers.set(name, value);
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', apiPolicy);
}

/**
 * Registered first, so it runs last: @hono/node-server's light Response drops header
 * changes made before it is first read as a whole (the request log reads error bodies).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    applySecurityHeaders(c.res.headers);
  };
}

/** Ends a request that runs longer than `ms` with 503 instead of holding the connection. */
export function requestTimeout(ms: number): MiddlewareHandler<RestEnv> {
  const late = () => Promise.reject(new HTTPException(errorCodes.TIMEOUT.status, { message: errorCodes.TIMEOUT.message }));
  return (c, next) => withinDeadline(next, ms, late, requestScopeOf(c.var.runtime)!);
}

/** GET and HEAD requests carry no body to read or limit. */
export function carriesBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** The body's declared length, when Node's parser holds the body to it (undefined when chunked). */
export function declaredLength(header: (name: string) => string | null | undefined): number | undefined {
  const length = header('content-length');
  return length == null || header('transfer-encoding') != null ? undefined : Number(length);
}

/**
 * Refuses bodies over `maxSize` bytes. A declared length is checked from the header alone
 * (hono's bodyLimit would build the whole web Request just to look); a chunked body is
 * read up to the limit by hono's bodyLimit.
 */
export function bodySizeLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const readingLimit = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (!carriesBody(c.req.method)) return next();
    const length = declaredLength((name) => c.req.header(name));
    if (length === undefined) return readingLimit(c, next);
    return length > maxSize ? onError(c) : next();
  };
}
