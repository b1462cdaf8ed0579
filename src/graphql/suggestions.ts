import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FieldProblem } from '../errors.js';

/**
 * graphql-js suggests names close to a wrong one ("Did you mean the enum value
 * "ADMIN"?", "Did you mean "username"?"): with introspection off, that would let
 * the schema be guessed name by name. GraphQL Armor hides field suggestions in
 * validation only; this removes every suggestion from every answer, variable
 * coercion included.
 */
const suggestion = /\s*Did you mean [^?]*\?/gi;

const withoutSuggestion = (message: string) => message.replace(suggestion, '');

function hideSuggestions(error: GraphQLError): void {
  error.message = withoutSuggestion(error.message);
  const { fields } = error.extensions as { fields?: FieldProblem[] };
  if (Array.isArray(fields)) {
    error.extensions.fields = fields.map((problem) => ({ ...problem, message: withoutSuggestion(problem.message) }));
  }
}

export function hideSuggestionsIn(result: unknown): void {
  for (const single of Array.isArray(result) ? result : [result]) {
    const { errors } = single as { errors?: readonly GraphQLError[] };
    if (Array.isArray(errors)) errors.forEach(hideSuggestions);
  }
}

export function useHiddenSuggestions(): Plugin {
  return {
    onResultProcess({ result }) {
      hideSuggestionsIn(result);
    },
  };
}
