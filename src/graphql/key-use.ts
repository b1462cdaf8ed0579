import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { recordKeyUse } from '../apikeys/usage.js';
import { AppError } from '../errors.js';
import type { GraphQLContext } from './context.js';

const operationLabelLimit = 200;

/** The operation's name, else its type and top-level fields, e.g. `query whoami,account`. */
export function operationLabel(document: DocumentNode, operationName?: string | null): string {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 'unknown';
  if (operation.name) return operation.name.value.slice(0, operationLabelLimit);
  const fields = operation.selectionSet.selections.map((selection) => (selection.kind === 'Field' ? selection.name.value : '...'));
  return `${operation.operation} ${[...new Set(fields)].join(',')}`.slice(0, operationLabelLimit);
}

function outcomeOf(errors: readonly GraphQLError[] | undefined): string {
  const [first] = errors ?? [];
  if (!first) return 'success';
  if (first.originalError instanceof AppError) return first.originalError.code;
  return typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL';
}

/**
 * Logs every operation made with an API key, once it has run, with its outcome.
 * A document that fails to parse or validate never gets this far: the
 * credentials are resolved with the execution context, after validation.
 */
export function useKeyUseLog(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      const { principal } = context.credentials;
      if (principal.kind !== 'apiKey') return;
      const operation = operationLabel(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          const errors = Symbol.asyncIterator in result ? undefined : result.errors;
          recordKeyUse(context.runtime, principal, { operation, outcome: outcomeOf(errors), client: context.client });
        },
      };
    },
  };
}
