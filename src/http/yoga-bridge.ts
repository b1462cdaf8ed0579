import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { FetchAPI } from 'graphql-yoga';
import { carriesBody, hasDeclaredLength } from './security.js';

/** What the Node listener passes along with each request: the caller's address and Node's own request. */
export type NodeBindings = { ip?: string; incoming?: IncomingMessage };

/**
 * The request handed to yoga. Over node:http it is yoga's own Request type reading
 * Node's request directly: building undici's Request, its web stream and abort signal
 * cost more than executing a small query. A body without Content-Length (chunked) has
 * been wrapped by the body-size limit, so that request is the one passed on.
 */
export function requestForYoga<E extends { Bindings: NodeBindings }>(c: Context<E>, fetchAPI: FetchAPI): Request {
  const incoming = c.env?.incoming;
  const { method } = c.req;
  const hasBody = carriesBody(method);
  if (!incoming || (hasBody && !hasDeclaredLength(c))) return c.req.raw;
  return new fetchAPI.Request(c.req.url, {
    method,
    headers: incoming.headers as Record<string, string>,
    body: hasBody ? (incoming as unknown as BodyInit) : undefined,
  });
}

/**
 * yoga's answer as a Response of the running platform: under @hono/node-server that is its
 * light Response, which is written out in one go instead of being read back as a stream.
 */
export async function responseFromYoga(answer: Response): Promise<Response> {
  return new Response(await answer.text(), { status: answer.status, headers: new Headers(answer.headers) });
}
