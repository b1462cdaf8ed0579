/** Exit codes other than 0, documented in the README. */
export const exitCodes = {
  /** The server refused the operation (not found, invalid input, forbidden, ...). */
  failed: 1,
  usage: 2,
  /** Not signed in, wrong password, or the session has ended. */
  unauthenticated: 3,
  /** The server could not be reached or did not answer like an authgraph server. */
  unreachable: 4,
  /** Ctrl-C at a prompt, as shells report SIGINT. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A failure reported to the user as one message and an exit code; `code` is the server's error code, if any. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code?: string,
    readonly fields?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, exitCodes.usage, 'USAGE');
