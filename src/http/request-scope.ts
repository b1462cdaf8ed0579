import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Runtime } from '../runtime.js';

/** What is known about the request being served; it travels with the request's context. */
export type RequestScope = {
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** The GraphQL operation's name, else its type and top-level fields (for logs). */
  operation?: string;
  /** The operation's type and first field, a label of bounded cardinality (for metrics). */
  operationMetric?: string;
  /** The codes of the GraphQL errors answered (a failed login answers 200 like a successful one). */
  errorCodes?: string[];
  /** The request's Accept-Language, read only if a mail is written. */
  acceptLanguage?: string;
  /** Set when the client was answered TIMEOUT while the request's work goes on (see withinDeadline). */
  answeredLate?: boolean;
};

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A request's scope: its id is the caller's X-Request-Id when sane, else a new one. */
export function newRequestScope(incomingId: string | null | undefined, acceptLanguage?: string | null): RequestScope {
  const requestId = incomingId && requestIdPattern.test(incomingId) ? incomingId : randomUUID();
  return { requestId, startedAt: performance.now(), ...(acceptLanguage ? { acceptLanguage } : {}) };
}

const scopeOf = Symbol('request scope');
const loggerOf = Symbol('request logger');
type RequestRuntime = Runtime & { [scopeOf]: RequestScope; [loggerOf]?: Logger };

/** The scope of the request `runtime` serves; none outside a request (background work, the admin CLI). */
export const requestScopeOf = (runtime: Runtime): RequestScope | undefined => (runtime as Partial<RequestRuntime>)[scopeOf];

/** The Accept-Language of the request `runtime` serves; none outside a request. */
export const acceptLanguageOf = (runtime: Runtime): string | undefined => requestScopeOf(runtime)?.acceptLanguage;

/**
 * The runtime as one request's resolvers and handlers see it: the same services, with
 * a logger that stamps the request's id on every line (made when first used). Passed
 * along explicitly rather than found through AsyncLocalStorage, whose promise hook
 * cost a tenth of a small request (bench/README.md).
 */
export function requestRuntimes(runtime: Runtime): (scope: RequestScope) => Runtime {
  const shared = Object.create(runtime, {
    logger: {
      get(this: RequestRuntime) {
        return (this[loggerOf] ??= runtime.logger.child({ reqId: this[scopeOf].requestId }));
      },
    },
  }) as Runtime;
  return (scope) => {
    const scoped = Object.create(shared) as RequestRuntime;
    scoped[scopeOf] = scope;
    return scoped;
  };
}
