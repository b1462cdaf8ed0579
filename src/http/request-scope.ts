import { AsyncLocalStorage } from 'node:async_hooks';

/** What is known about the request being served, wherever in its call chain the code runs. */
export type RequestScope = {
  requestId: string;
  /** The GraphQL operation's name, else its type and top-level fields (for logs). */
  operation?: string;
  /** The operation's type and first field, a label of bounded cardinality (for metrics). */
  operationMetric?: string;
};

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** Log fields of the current request: every line logged while serving it carries its id. */
export function requestLogFields(): { reqId?: string } {
  const scope = requestScope.getStore();
  return scope ? { reqId: scope.requestId } : {};
}
