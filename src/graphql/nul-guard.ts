import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { AppError, codes } from '../errors.js';
import { refuseUnsafeInput } from '../validation.js';

/**
 * Refuses a document or variables holding a NUL character (BAD_USER_INPUT), or
 * nested too deep (400 BAD_REQUEST, as the same body gets on REST), before anything runs.
 */
export function useNulGuard(): Plugin {
  return {
    onParams({ params }) {
      try {
        refuseUnsafeInput(params.query, params.variables);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== codes.BAD_REQUEST) throw error;
        throw createGraphQLError(error.message, { extensions: { code: error.code, http: { status: error.status } } });
      }
    },
  };
}
