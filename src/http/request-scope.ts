import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What is known about the request being served, wherever in its call chain the code runs. */
export type RequestScope = {
  requestId: string;
  /** performance.now() when the request arrived. */
  startedAt: number;
  /** The GraphQL operation's name, else its type and top-level fields (for logs). */
  operation?: string;
  /** The operation's type and first field, a label of bounded cardinality (for metrics). */
  operationMetric?: string;
};

export const requestScope = new AsyncLocalStorage<RequestScope>();

const requestIdPattern = /^[\w.:-]{1,128}$/;

/** A request's scope: its id is the caller's X-Request-Id when sane, else a new one. */
export function newRequestScope(incomingId: string | null | undefined): RequestScope {
  return { requestId: incomingId && requestIdPattern.test(incomingId) ? incomingId : randomUUID(), startedAt: performance.now() };
}

/** Log fields of the current request: every line logged while serving it carries its id. */
export function requestLogFields(): { reqId?: string } {
  const scope = requestScope.getStore();
  return scope ? { reqId: scope.requestId } : {};
}
