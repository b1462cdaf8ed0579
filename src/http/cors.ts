import type { MiddlewareHandler } from 'hono';

/**
 * CORS is off unless CORS_ORIGINS lists origins: a page anywhere else, even on the
 * same site (another port, a sibling host), gets no answer it may read. A listed
 * origin may send credentials. One list, one policy for /graphql and REST.
 */
export const corsPolicy = {
  methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
  allowedHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'X-Request-Id'],
  maxAgeSeconds: 600,
};

/** The request's origin when CORS_ORIGINS lists it. */
export function allowedOrigin(origins: readonly string[], headers: Headers): string | null {
  const origin = headers.get('origin');
  return origin !== null && origins.includes(origin) ? origin : null;
}

const isPreflight = (request: Request) => request.method === 'OPTIONS' && request.headers.has('access-control-request-method');

/** REST and the pages: an allowed origin's requests get its CORS headers; its preflights are answered here. */
export function restCors(origins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = allowedOrigin(origins, c.req.raw.headers);
    if (origin === null) return next();
    const headers = { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
    if (isPreflight(c.req.raw)) {
      return c.body(null, 204, {
        ...headers,
        'Access-Control-Allow-Methods': corsPolicy.methods.join(', '),
        'Access-Control-Allow-Headers': corsPolicy.allowedHeaders.join(', '),
        'Access-Control-Max-Age': String(corsPolicy.maxAgeSeconds),
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/** The same policy in graphql-yoga's terms (its `cors` option); false sends no CORS header. */
export function graphqlCors(origins: readonly string[]) {
  return (request: Request) => {
    const origin = allowedOrigin(origins, request.headers);
    if (origin === null) return false as const;
    return {
      origin: [origin],
      credentials: true,
      methods: corsPolicy.methods,
      allowedHeaders: corsPolicy.allowedHeaders,
      maxAge: corsPolicy.maxAgeSeconds,
    };
  };
}
