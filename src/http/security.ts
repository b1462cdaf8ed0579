import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { timeout } from 'hono/timeout';
import { HTTPException } from 'hono/http-exception';

/** API answers are JSON: nothing on them may load anything. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The usual security headers on every response; a locked-down CSP unless a page sets its own. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: undefined,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
  });
}

export function defaultContentSecurityPolicy(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', apiPolicy);
  };
}

/** A CSP for an HTML page whose scripts are all inline: each is allowed by its hash, nothing else. */
export function inlinePagePolicy(html: string): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body ?? '').digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Cookie-carried credentials must not be usable from another site: GraphQL POSTs
 * must be JSON (a cross-site form or text/plain post would need a CORS preflight
 * to send it), and the refresh cookie is SameSite=Strict.
 */
export function requireJsonPosts(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'POST') {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'application/graphql-response+json') {
        return c.json({ errors: [{ message: 'GraphQL requests must be application/json.', extensions: { code: 'BAD_REQUEST' } }] }, 415);
      }
    }
    await next();
  };
}

/** Ends a request that runs longer than `ms` with 503 instead of holding the connection. */
export function requestTimeout(ms: number): MiddlewareHandler {
  return timeout(ms, () => new HTTPException(503, { message: 'The request took too long.' }));
}

/** GET and HEAD requests carry no body to read or limit. */
export function carriesBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** Whether Node's parser holds the body to its declared Content-Length (no chunked encoding). */
export function hasDeclaredLength(c: Context): boolean {
  return c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined;
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
    if (!hasDeclaredLength(c)) return readingLimit(c, next);
    if (Number(c.req.header('content-length')) > maxSize) return onError(c);
    return next();
  };
}
