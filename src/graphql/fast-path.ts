import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizedExecutor } from '@graphql-tools/executor';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import { processRegularResult, type FetchAPI } from 'graphql-yoga';
import type { Logger } from 'pino';
import { isSmallJsonBody } from '../http/buffered-body.js';
import { requestRecorder } from '../http/request-log.js';
import type { HeaderWriter } from '../http/security.js';
import { tracingEnabled } from '../tracing.js';
import { refuseUnsafeInput } from '../validation.js';
import type { GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { completeAnswer, errorAnswer, withinRequestLimits, type ServerContext } from './http.js';
import { keyUseOf } from './key-use.js';
import type { KnownDocuments } from './known-documents.js';
import { nameOperation, observeErrors } from './observer.js';
import { releaseRequestCaches } from './request-caches.js';
import { hideSuggestionsIn } from './suggestions.js';

type Params = { query: string; variables?: Record<string, unknown>; operationName?: string };
type Known = { params: Params; document: DocumentNode };
/** The answer as yoga would have made it, without a Response: the status, its headers and its JSON. */
type Answer = { status: number; headers: PlainHeaders; body: string };
type Outcome = Answer | { unknown: string };

export type FastPathOptions = {
  schema: GraphQLSchema;
  known: KnownDocuments;
  logger: Logger;
  maxBodyBytes: number;
  timeoutMs: number;
  hideSuggestions: boolean;
  /** The resolvers' context, built as yoga builds it. */
  contextFor: (request: Request, serverContext: ServerContext) => Promise<Omit<GraphQLContext, 'scope'>>;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const expectedParameters = new Set(['query', 'variables', 'operationName']);

/** The body's query, variables and operation name when they are exactly what a plain query sends; else nothing. */
function paramsOf(text: string): Params | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(body) || typeof body.query !== 'string') return undefined;
  for (const key in body) if (!expectedParameters.has(key)) return undefined;
  const { query, variables, operationName } = body;
  if (variables != null && !isRecord(variables)) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  return { query, variables: variables ?? undefined, operationName: operationName ?? undefined };
}

/** The Accept headers yoga answers with `application/json` (none, `*\/*`, `application/json`); others go to yoga. */
const acceptsJsonOnly = (accept: string | undefined) => accept === undefined || accept === '*/*' || accept === 'application/json';

/** An answer's headers as node:http's writeHead takes them (a Headers object validates every name and value it is given). */
class PlainHeaders implements HeaderWriter {
  readonly fields: Record<string, string | string[]> = {};
  get(name: string): string | null {
    const value = this.fields[name.toLowerCase()];
    return value === undefined ? null : [value].flat().join(', ');
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.fields;
  }
  set(name: string, value: string): void {
    this.fields[name.toLowerCase()] = value;
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const present = this.fields[key];
    this.fields[key] = present === undefined ? (key === 'set-cookie' ? [value] : value) : [present, value].flat();
  }
}

/** processRegularResult's Response, kept as its parts. */
class CapturedResponse {
  readonly headers = new PlainHeaders();
  readonly status: number;
  constructor(
    readonly body: string,
    init: { status?: number; headers?: Record<string, string> },
  ) {
    for (const [name, value] of Object.entries(init.headers ?? {})) this.headers.set(name, value);
    this.status = init.status ?? 200;
  }
}
const capturing = { Response: CapturedResponse } as unknown as FetchAPI;

/**
 * /graphql for documents yoga has already accepted (KnownDocuments): a JSON POST of a
 * declared length, without an Origin (CORS stays yoga's), asking for JSON, whose query
 * text yoga has validated before, runs here without yoga's per-request pipeline (its
 * Request and Response objects, its hook chains, its parser and validation cache look-ups):
 * the same context, executor, error masking, key-use log, metrics, request log and
 * headers, each the function yoga's plugin calls. Anything else (another method or media
 * type, a new or invalid document, extensions, NUL characters, a subscription) goes to
 * yoga as it came, and so does everything while tracing is on. whoami's CPU per request: bench/README.md.
 */
export function createFastPath({ schema, known, logger, maxBodyBytes, timeoutMs, hideSuggestions, contextFor }: FastPathOptions) {
  const record = requestRecorder(logger);

  /**
   * What the request's headers alone tell: whether the fast path may read its body. A body
   * arriving on a socket must declare its length; one already in memory (the in-process
   * fetch handler) is measured once read.
   */
  function takes(method: string | undefined, url: string | undefined, header: (name: string) => string | undefined, { inMemory = false } = {}): boolean {
    // With tracing on, yoga serves every request: one HTTP span each, whichever way it went.
    if (method !== 'POST' || url !== '/graphql' || tracingEnabled()) return false;
    if (header('origin') !== undefined || !acceptsJsonOnly(header('accept'))) return false;
    return isSmallJsonBody(header, maxBodyBytes, { undeclaredFits: inMemory });
  }

  function knownOf(text: string): Known | undefined {
    if (text.length > maxBodyBytes / 3 && Buffer.byteLength(text) > maxBodyBytes) return undefined;
    const params = paramsOf(text);
    if (!params) return undefined;
    const document = known.get(params.query);
    if (!document) return undefined;
    const operation = getOperationAST(document, params.operationName);
    if (!operation || operation.operation === 'subscription') return undefined;
    try {
      refuseUnsafeInput(params.query, params.variables);
    } catch {
      return undefined;
    }
    return { params, document };
  }

  /** yoga's processRequest and its plugins' execution hooks, in their order. */
  async function execute(request: Request, { params, document }: Known, serverContext: ServerContext): Promise<ExecutionResult> {
    let contextValue: GraphQLContext;
    try {
      contextValue = Object.assign(serverContext, { request, params }, await contextFor(request, serverContext));
    } catch (error) {
      return { errors: [maskError(error) as GraphQLError] };
    }
    const { scope } = serverContext;
    const { operationName, variables } = params;
    nameOperation(scope, document, operationName);
    const recordUse = keyUseOf(contextValue, document, operationName);
    let result: ExecutionResult;
    try {
      result = (await normalizedExecutor({ schema, document, contextValue, variableValues: variables, operationName })) as ExecutionResult;
    } catch (error) {
      return { errors: [maskError(error) as GraphQLError] };
    }
    recordUse?.(result.errors);
    releaseRequestCaches(contextValue);
    return result.errors ? { ...result, errors: result.errors.map((error) => maskError(error) as GraphQLError) } : result;
  }

  /** yoga's result processing and our onResponse. */
  function answerOf(result: ExecutionResult | CapturedResponse, serverContext: ServerContext): Answer {
    if (!(result instanceof CapturedResponse)) {
      if (hideSuggestions) hideSuggestionsIn(result);
      observeErrors(logger, serverContext.scope, result);
    }
    const { body, status, headers } = result instanceof CapturedResponse ? result : (processRegularResult(result, capturing, 'application/json') as unknown as CapturedResponse);
    completeAnswer(record, 'POST', headers, status, serverContext);
    headers.set('content-length', String(Buffer.byteLength(body)));
    return { status, headers, body };
  }

  /**
   * Reads the body and answers, under the request's time limit; `unknown` with the body
   * read when yoga must answer it. `request` carries the URL and headers (the context reads them).
   */
  async function answer(request: Request, readBody: () => Promise<string>, serverContext: ServerContext): Promise<Outcome> {
    const late = async () => errorAnswer(capturing, 'TIMEOUT') as unknown as CapturedResponse;
    return withinRequestLimits<ExecutionResult | CapturedResponse | { unknown: string }, Outcome>(
      'POST',
      serverContext.scope,
      timeoutMs,
      async () => {
        const text = await readBody();
        const knownRequest = knownOf(text);
        return knownRequest ? execute(request, knownRequest, serverContext) : { unknown: text };
      },
      late,
      (outcome) => ('unknown' in outcome ? outcome : answerOf(outcome, serverContext)),
    );
  }

  return { takes, answer };
}

export type FastPath = ReturnType<typeof createFastPath>;

/** Writes the fast path's answer to node:http, its headers and body in one write. */
export function writeAnswer(outgoing: ServerResponse, { status, headers, body }: Answer): void {
  outgoing.writeHead(status, headers.fields);
  outgoing.end(body);
}

/** Writes yoga's Response (@whatwg-node's, not the global one) to node:http. */
export async function writeResponse(outgoing: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  headers['content-length'] = String(body.byteLength);
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

/** node:http's request headers as the context reads them (`get` only, without copying them into a Headers object). */
export function nodeHeaders(incoming: IncomingMessage): Headers {
  const get = (name: string) => {
    const value = incoming.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { get, has: (name: string) => get(name) !== null } as Headers;
}
