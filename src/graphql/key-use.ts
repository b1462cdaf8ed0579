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
 * What logs an operation made with an API key once it has run, with its outcome
 * (given the execution's errors before masking); nothing for other credentials.
 */
export function keyUseOf(context: GraphQLContext, document: DocumentNode, operationName?: string | null): ((errors: readonly GraphQLError[] | undefined) => void) | undefined {
  const { principal } = context.credentials;
  if (principal.kind !== 'apiKey') return undefined;
  const operation = operationLabel(document, operationName);
  return (errors) => recordKeyUse(context.runtime, principal, { operation, outcome: outcomeOf(errors), client: context.client });
}

/**
 * Logs every operation made with an API key, once it has run, with its outcome.
 * A document that fails to parse or validate never gets this far: the
 * credentials are resolved with the execution context, after validation.
 */
export function useKeyUseLog(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const recordUse = keyUseOf(args.contextValue, args.document, args.operationName);
      if (!recordUse) return;
      return {
        onExecuteDone({ result }) {
          recordUse(Symbol.asyncIterator in result ? undefined : result.errors);
        },
      };
    },
  };
}
