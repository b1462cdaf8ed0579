import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { failures } from '../metrics.js';
import type { GraphQLContext } from './context.js';
import { UnexpectedError } from './errors.js';
import type { ServerContext } from './http.js';
import type { RequestScope } from '../http/request-scope.js';
import { operationLabel } from './key-use.js';
import { traced, tracingEnabled } from '../tracing.js';

/**
 * `mutation login`: the type and first top-level field of a valid operation.
 * Operation names are the client's to choose, so metrics never use them as labels.
 */
function operationMetric(document: DocumentNode, operationName?: string | null): string | undefined {
  const operation = getOperationAST(document, operationName);
  const [first] = operation?.selectionSet.selections ?? [];
  if (!operation || !first) return undefined;
  return `${operation.operation} ${first.kind === 'Field' ? first.name.value : '...'}`;
}

function errorsOf(result: unknown): ExecutionResult['errors'] {
  if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return undefined;
  if (Array.isArray(result)) return result.flatMap((item: ExecutionResult) => item.errors ?? []);
  return (result as ExecutionResult).errors;
}

/** Names the request's operation for the request log and metrics. */
export function nameOperation(scope: RequestScope, document: DocumentNode, operationName?: string | null): void {
  scope.operation = operationLabel(document, operationName);
  scope.operationMetric = operationMetric(document, operationName);
}

/** Runs the execution in a span named after the operation when tracing is on. */
function tracedExecution<T>(scope: RequestScope, execute: () => Promise<T>): Promise<T> {
  const attributes = { 'graphql.operation.name': scope.operation, 'authgraph.request_id': scope.requestId };
  return traced(`GraphQL ${scope.operationMetric ?? 'operation'}`, attributes, execute);
}

/** Counts the answer's GraphQL errors by code, and logs the unexpected ones (type and code only) with the request's id. */
export function observeErrors(logger: Logger, scope: RequestScope, result: unknown): void {
  for (const error of errorsOf(result) ?? []) {
    const extensionCode = error.extensions?.code;
    const code = typeof extensionCode === 'string' ? extensionCode : 'INTERNAL';
    failures.inc({ api: 'graphql', code });
    (scope.errorCodes ??= []).push(code);
    if (error instanceof UnexpectedError) logger.error({ reqId: scope.requestId, err: error.original }, 'unexpected error');
  }
}

/**
 * Names the request's operation for the request log and metrics, counts GraphQL errors
 * by code, and logs the unexpected ones (type and code only) with the request's id.
 */
export function useRequestObserver(logger: Logger): Plugin<GraphQLContext, ServerContext> {
  return {
    onExecute({ args: { contextValue: { scope }, document, operationName }, executeFn, setExecuteFn }) {
      nameOperation(scope, document, operationName);
      if (tracingEnabled()) setExecuteFn((args) => tracedExecution(scope, async () => executeFn(args)));
    },
    onResultProcess({ result, serverContext }) {
      observeErrors(logger, serverContext.scope, result);
    },
  };
}
