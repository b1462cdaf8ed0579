/**
 * A start-up failure an operator can act on: main.ts prints its message as one
 * line, naming the setting to look at, and exits 1 (no stack trace).
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
