import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { carriesBody, declaredLength } from './security.js';

/** The request's body, whole (its length was declared and checked). */
export function bodyText(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
  });
}

export const mediaTypeOf = (contentType: string | null | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Whether a request's headers announce a JSON body small enough to read whole before any
 * work: a declared length within `maxBytes`, or, when `undeclaredFits` (a body already in
 * memory), no declared length at all. The GraphQL fast path and bufferedBody go by it;
 * anything else (chunked, too large, another media type) takes the framework's own way.
 */
export function isSmallJsonBody(header: (name: string) => string | undefined, maxBytes: number, { undeclaredFits = false } = {}): boolean {
  if (mediaTypeOf(header('content-type')) !== 'application/json') return false;
  const length = declaredLength(header);
  return length === undefined ? undeclaredFits : length > 0 && length <= maxBytes;
}

/**
 * Reads a small JSON body straight from node:http (the `incoming` binding) and hands it to
 * Hono's body cache, so that `c.req.json()` and `text()` answer from it: Hono's Node
 * adapter would build a web Request and a stream over the socket to read it, a third of
 * a small POST's CPU (bench/README.md). Placed after the request's deadline, which
 * covers a body that trickles in.
 */
export function bufferedBody(maxBytes: number): MiddlewareHandler<{ Bindings: { incoming?: IncomingMessage } }> {
  return async (c, next) => {
    const incoming = c.env?.incoming;
    if (incoming && carriesBody(c.req.method) && isSmallJsonBody((name) => c.req.header(name), maxBytes)) {
      const text = await bodyText(incoming);
      // Hono keeps the promise of each body reading there (its type says the value).
      const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
      cache.text = Promise.resolve(text);
      let parsed: Promise<unknown> | undefined;
      Object.defineProperty(cache, 'json', { enumerable: true, get: () => (parsed ??= (async () => JSON.parse(text))()) });
    }
    return next();
  };
}
