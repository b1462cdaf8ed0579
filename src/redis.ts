import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { StartupError } from './startup-error.js';

/**
 * The Redis that instances share (REDIS_URL) for limits and revocations. Losing
 * it degrades this instance, never stops it: limits fall back to this process's
 * memory (limits/limits.ts), revocations are reloaded from the database when it
 * returns (sessions/revocations.ts), /readyz says "degraded". One log line when
 * it goes, one when it is back; ioredis retries in between, quietly.
 */
export class SharedRedis {
  private reachable = true;

  private constructor(
    readonly client: Redis,
    readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {}

  static async connect(url: string, keyPrefix: string, logger: Logger): Promise<SharedRedis> {
    // No offline queue and a command deadline: while Redis is away a command fails at once and the fallback answers.
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2_000 });
    const shared = new SharedRedis(client, keyPrefix, logger);
    let lastError: unknown;
    client.on('error', (error) => (lastError = error));
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      const { hostname, port } = new URL(url);
      throw new StartupError(`Cannot reach Redis at ${hostname}:${port || 6379} (REDIS_URL): ${reasonOf(lastError ?? error)}.`);
    }
    client.on('close', () => shared.changed(false));
    client.on('ready', () => shared.changed(true));
    return shared;
  }

  get available(): boolean {
    return this.reachable;
  }

  /** Another connection to the same Redis (a subscriber needs its own), as quiet about errors as this one. */
  async duplicate(): Promise<Redis> {
    const connection = this.client.duplicate();
    quietErrors(connection);
    await connection.connect();
    return connection;
  }

  async quit(): Promise<void> {
    this.client.removeAllListeners('close');
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private changed(reachable: boolean): void {
    if (reachable === this.reachable) return;
    this.reachable = reachable;
    if (reachable) this.logger.info({ event: 'redis-restored' }, 'Redis is back: limits are shared again, missed revocations reloaded');
    else {
      this.logger.error(
        { event: 'redis-unavailable' },
        'Redis unreachable: limits count in this instance only and revocations reach other instances when it returns',
      );
    }
  }
}

/** Without an 'error' listener ioredis prints every failed reconnection to stderr, outside the JSON log. */
function quietErrors(connection: Redis): void {
  connection.on('error', () => undefined);
}

function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'unknown host';
  if (code) return code;
  // ioredis's own messages (authentication, timeouts) name no secret.
  return message?.split('\n')[0]?.replace(/\.$/, '') ?? 'unknown error';
}
