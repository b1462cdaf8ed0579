import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { AuthClientError, type FieldProblem } from './errors.js';

/** A typed document (the generated `...Document` constants, or any TypedDocumentString), or plain GraphQL text. */
export type Operation<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> | string;

/** The part of `fetch` the client uses: the global one, or any function that answers the same way. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; credentials: RequestCredentials; body: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

export interface Transport {
  /** The GraphQL endpoint, e.g. `https://auth.example.com/graphql` (or `/graphql` in a page of the same origin). */
  url: string;
  fetch: FetchLike;
  /** `include` sends the refresh cookie across origins; the default, `same-origin`, only to the page's own. */
  credentials: RequestCredentials;
  headers: Record<string, string>;
}

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: { message: string; extensions?: { code?: string; fields?: FieldProblem[] } & Record<string, unknown> }[];
}

/** One POST to the GraphQL endpoint; the first GraphQL error is thrown as an AuthClientError. */
export async function postOperation<TResult, TVariables>(
  transport: Transport,
  operation: Operation<TResult, TVariables>,
  variables: TVariables | undefined,
  bearer: string | null,
): Promise<TResult> {
  const headers: Record<string, string> = { ...transport.headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  // Called without a receiver: a browser's fetch throws "Illegal invocation" as a method of another object.
  const { fetch } = transport;
  const response = await fetch(transport.url, {
    method: 'POST',
    headers,
    credentials: transport.credentials,
    body: JSON.stringify({ query: operation.toString(), variables: variables ?? {} }),
  });
  const body = (await response.json().catch(() => null)) as GraphQLResponse<TResult> | null;
  if (!body) throw new AuthClientError(`The server answered ${response.status}.`, `HTTP_${response.status}`);
  const [error] = body.errors ?? [];
  if (error) {
    const { code = 'INTERNAL', fields, ...extensions } = error.extensions ?? {};
    throw new AuthClientError(error.message, code, fields, extensions);
  }
  if (!body.data) throw new AuthClientError(`The server answered ${response.status} without data.`, `HTTP_${response.status}`);
  return body.data;
}
