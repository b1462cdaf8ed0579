import { GraphQLError } from 'graphql';
import { AppError, codeForStatus, errorCodes, isErrorCode } from '../errors.js';

/**
 * An error the client sees as INTERNAL. It keeps only the original's type and code
 * (its message may hold SQL), for the request's log line (see useRequestObserver).
 */
export class UnexpectedError extends GraphQLError {
  constructor(
    location: Pick<GraphQLError, 'nodes' | 'path'> | object,
    readonly original: { type?: string; code?: unknown },
  ) {
    super(errorCodes.INTERNAL.message, { ...location, extensions: { code: 'INTERNAL' } });
  }
}

/**
 * Turns any error into what the client may see: an AppError keeps its code and
 * message; GraphQL's own syntax and validation errors pass; everything else
 * becomes an UnexpectedError.
 */
export function maskError(error: unknown): Error {
  let original: unknown = error;
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
  const location = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
  if (original instanceof AppError) {
    return new GraphQLError(original.message, {
      ...location,
      extensions: {
        code: original.code,
        ...(original.fields && { fields: original.fields }),
        ...(original.retryAfter !== undefined && { retryAfter: original.retryAfter }),
        ...(original.mfaChallenge && { mfaChallenge: { ...original.mfaChallenge, expiresAt: original.mfaChallenge.expiresAt.toISOString() } }),
      },
    });
  }
  if (error instanceof GraphQLError && !error.path && error.message.startsWith('Variable "$')) {
    return invalidVariable(error);
  }
  if (error instanceof GraphQLError && typeof httpStatusOf(error) === 'number' && !isDocumentError(error)) return httpRefusal(error, httpStatusOf(error)!);
  if (error instanceof GraphQLError && (error.extensions.code || !error.originalError)) return error;
  const { name, code } = original as { name?: string; code?: unknown };
  return new UnexpectedError(location, { type: name, code });
}

/**
 * graphql-js reports a bad variable as `Variable "$x" got invalid value <the whole
 * value> at "x.field"; <reason>`. The whole value may hold a password, so the
 * answer keeps only the variable, the field path and the reason.
 */
function invalidVariable(error: GraphQLError): GraphQLError {
  const [, variable = 'input', at] = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; /s.exec(error.message) ?? [];
  const reason = error.message.includes('; ') ? error.message.slice(error.message.lastIndexOf('; ') + 2) : 'is invalid';
  const field = at ?? variable;
  return new GraphQLError(`Invalid input: ${field}: ${reason}`, {
    nodes: error.nodes,
    extensions: { code: 'BAD_USER_INPUT', fields: [{ field, message: reason }] },
  });
}

/** A document that does not parse or validate: graphql-js's own error, answered as GraphQL over HTTP says (200 under application/json). */
const isDocumentError = (error: GraphQLError) => error.extensions.code === 'GRAPHQL_PARSE_FAILED' || error.extensions.code === 'GRAPHQL_VALIDATION_FAILED';

const httpStatusOf = (error: GraphQLError) => (error.extensions.http as { status?: unknown } | undefined)?.status as number | undefined;

/**
 * What yoga refuses at the HTTP level (invalid JSON, a mutation over GET, ...),
 * with the catalogue's code and status, and nothing else: yoga attaches the
 * underlying error, whose message can quote the request body.
 */
function httpRefusal(error: GraphQLError, status: number): GraphQLError {
  const given = error.extensions.code;
  const code = status === 400 && isErrorCode(given) ? given : codeForStatus(status);
  const { headers } = (error.extensions.http ?? {}) as { headers?: Record<string, string> };
  // Without yoga's `spec` flag the status holds for application/json answers too, as the catalogue gives it.
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { code, http: { status: errorCodes[code].status, headers } } });
}
