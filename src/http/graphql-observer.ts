import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { failures } from '../metrics.js';
import { operationLabel } from '../schema/key-use.js';
import { requestScope } from './request-scope.js';

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

/** Names the request's operation for the request log and metrics, and counts GraphQL errors by code. */
export function useRequestObserver(): Plugin {
  return {
    onExecute({ args }) {
      const scope = requestScope.getStore();
      if (!scope) return;
      scope.operation = operationLabel(args.document, args.operationName);
      scope.operationMetric = operationMetric(args.document, args.operationName);
    },
    onResultProcess({ result }) {
      for (const error of errorsOf(result) ?? []) {
        const code = error.extensions?.code;
        failures.inc({ api: 'graphql', code: typeof code === 'string' ? code : 'INTERNAL' });
      }
    },
  };
}
