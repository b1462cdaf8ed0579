import type { Logger } from 'pino';
import type { BackgroundTasks } from '../background.js';
import type { MailMessage, MailTransport } from './transport.js';

export type OutgoingMail = Omit<MailMessage, 'from'> & {
  /** What the mail is for, for the logs: the recipient and the content are never logged. */
  kind: string;
};

/** Waits before the 2nd, 3rd, ... attempt; after the last one the mail is given up (the user can ask again). */
export const defaultRetryDelaysMs = [2_000, 10_000, 60_000, 300_000] as const;

/**
 * Sends mail without making the request that asked for it wait or fail: each
 * message is delivered in the background and retried with growing delays.
 */
export class Mailer {
  readonly #wakeSleepers = new Set<() => void>();
  #closing = false;

  constructor(
    private readonly transport: MailTransport,
    private readonly options: { from: string; logger: Logger; background: BackgroundTasks; retryDelaysMs?: readonly number[] },
  ) {}

  send(mail: OutgoingMail): void {
    this.options.background.run(`mail:${mail.kind}`, () => this.#deliver(mail));
  }

  /** Cuts every retry wait short for one last attempt, waits for the queue, then closes the transport. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const wake of [...this.#wakeSleepers]) wake();
    await this.options.background.idle();
    this.transport.close();
  }

  async #deliver({ kind, ...mail }: OutgoingMail): Promise<void> {
    const { logger } = this.options;
    const retryDelaysMs = this.options.retryDelaysMs ?? defaultRetryDelaysMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const receipt = await this.transport.deliver({ from: this.options.from, ...mail });
        if (receipt.outboxFile) logger.info({ kind, outboxFile: receipt.outboxFile }, 'mail written to the outbox');
        else logger.info({ kind, messageId: receipt.messageId }, 'mail sent');
        return;
      } catch (error) {
        const { name, code, responseCode, permanent } = error as { name?: string; code?: unknown; responseCode?: unknown; permanent?: unknown };
        const delay = retryDelaysMs[attempt - 1];
        const givingUp = delay === undefined || permanent === true || this.#closing;
        logger.error({ kind, attempt, err: { type: name, code, responseCode } }, givingUp ? 'mail not sent; giving up' : 'mail not sent; will retry');
        if (givingUp) return;
        await this.#sleep(delay);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakeSleepers.add(wake);
    });
  }
}
