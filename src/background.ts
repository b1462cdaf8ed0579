import type { Logger } from 'pino';

/**
 * Work a request starts but does not wait for (mail, and the look-ups behind
 * answers that must not depend on whether an account exists). Failures are
 * logged without their message, which may hold SQL or an address; shutdown and
 * tests wait for `idle()`.
 */
export class BackgroundTasks {
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(task: string, work: () => Promise<unknown>): void {
    const running: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => {
          const { name, code } = error as { name?: string; code?: unknown };
          this.logger.error({ task, err: { type: name, code } }, 'background task failed');
        },
      )
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Resolves once no task is running, including tasks started by tasks. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
