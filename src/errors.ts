/**
 * The one catalogue of error codes a response can carry, each with its default
 * message and HTTP status. REST answers `{ detail, code }` with the status;
 * GraphQL answers `extensions.code` (and the status, where the HTTP layer refuses
 * a request before any resolver runs).
 */
export const errorCodes = {
  UNAUTHENTICATED: { status: 401, message: 'Authentication required: the credential is missing, invalid, expired or revoked.' },
  FORBIDDEN: { status: 403, message: 'This credential is not allowed to do that.' },
  BAD_USER_INPUT: { status: 422, message: 'The input is not valid.' },
  CONFLICT: { status: 409, message: 'That already exists.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  SESSION_MISMATCH: { status: 401, message: 'This refresh token belongs to another client; sign in again.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  NOT_CONFIGURED: { status: 501, message: 'This feature is not configured on this server.' },
  UPSTREAM_UNAVAILABLE: { status: 503, message: 'A service this request depends on could not be reached; retry later.' },
  INTERNAL: { status: 500, message: 'Unexpected error.' },
  // What the HTTP layer refuses before any route or resolver runs, alike on both doors.
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This path does not answer that method.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  TIMEOUT: { status: 503, message: 'The request took too long.' },
  // graphql-js and yoga's own, for a document that does not parse or validate.
  GRAPHQL_PARSE_FAILED: { status: 400, message: 'The GraphQL document does not parse.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, message: 'The GraphQL document does not validate against the schema.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;
export type FieldProblem = { field: string; message: string };

/** Each code by name, for code that compares codes (tests import them from here rather than repeating strings). */
export const codes = Object.fromEntries(Object.keys(errorCodes).map((code) => [code, code])) as { [Code in ErrorCode]: Code };

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(errorCodes, value);

/** The code an HTTP status stands for, for refusals that carry only a status (Hono's and yoga's own). */
export function codeForStatus(status: number): ErrorCode {
  const transport: Record<number, ErrorCode> = { 400: 'BAD_REQUEST', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 503: 'TIMEOUT' };
  return transport[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

/** A failure the caller may see. Anything else is reported as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldProblem[];
  readonly retryAfter?: number;

  constructor(code: ErrorCode, options: { message?: string; fields?: FieldProblem[]; retryAfter?: number } = {}) {
    super(options.message ?? errorCodes[code].message);
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export function badInput(fields: FieldProblem[]): AppError {
  return new AppError('BAD_USER_INPUT', {
    message: `Invalid input: ${fields.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    fields,
  });
}
