import type { Send } from './transports.js';

/** GraphQL and REST through one transport (in process, or a listening server), as a client sends them. */
export function wire(send: Send, userAgent = 'lifecycle-test') {
  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const response = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, any> }[] };
    return { status: response.status, data: body.data as T, errors: body.errors, code: body.errors?.[0]?.extensions?.code as string | undefined };
  }
  async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await send(path, {
      method,
      headers: { 'user-agent': userAgent, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, text, body: type.includes('application/json') ? JSON.parse(text) : undefined };
  }
  return { gql, rest };
}
