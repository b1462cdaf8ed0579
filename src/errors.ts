/** The one map of error codes: each with its default message and HTTP status. */
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
} as const;

export type ErrorCode = keyof typeof errorCodes;
export type FieldProblem = { field: string; message: string };

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
