/** A field the server refused, with why (validation errors carry a list of them). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A GraphQL error from the server, with its `extensions.code` (e.g. UNAUTHENTICATED), or an answer that was not GraphQL (`HTTP_<status>`). */
export class AuthClientError extends Error {
  override name = 'AuthClientError';
  readonly code: string;
  readonly fields: FieldProblem[];
  /** The error's other extensions, e.g. `mfaChallenge` when googleSignIn answers MFA_REQUIRED. */
  readonly extensions: Record<string, unknown>;

  constructor(message: string, code: string, fields: FieldProblem[] = [], extensions: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.fields = fields;
    this.extensions = extensions;
  }
}

/** Answers to a refresh after which the refresh token (or cookie) will never work again. */
const sessionOverCodes = new Set(['UNAUTHENTICATED', 'SESSION_MISMATCH']);

export const isSessionOver = (error: unknown) => error instanceof AuthClientError && sessionOverCodes.has(error.code);

export const isUnauthenticated = (error: unknown) => error instanceof AuthClientError && error.code === 'UNAUTHENTICATED';
