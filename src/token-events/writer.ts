import { join, raw, sqltag as sql } from '@prisma/client/runtime/client';
import type { Logger } from 'pino';
import { timeOrderedUuid } from '../crypto/random.js';
import type { Database } from '../db.js';

export type TokenAction = 'login' | 'refresh' | 'reuse-detected' | 'revoke' | 'request' | 'create' | 'roll';

/** `success`, or the error code the attempt ended with (UNAUTHENTICATED, FORBIDDEN, ...). */
export type TokenEventOutcome = string;

export type TokenEventInput = {
  action: TokenAction;
  outcome: TokenEventOutcome;
  /** The GraphQL operation or REST path of a request; the reason of a revocation. */
  operation?: string | null;
  client?: { ip?: string; userAgent?: string };
  userId?: string | null;
  serviceAccountId?: string | null;
  sessionId?: string | null;
  apiKeyId?: string | null;
};

type PendingEvent = {
  id: string;
  at: Date;
  action: string;
  outcome: string;
  operation: string | null;
  ip: string | null;
  userAgent: string | null;
  userId: string | null;
  serviceAccountId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
};

const eventColumns = ['id', 'at', 'action', 'outcome', 'operation', 'ip', 'userAgent', 'userId', 'serviceAccountId', 'sessionId', 'apiKeyId'] as const;
const eventColumnList = raw(eventColumns.map((column) => `"${column}"`).join(', '));

export const flushIntervalMs = 1000;
/** A write of this many events holds SQLite (synchronous) for a few milliseconds; a second's worth under load would hold it for hundreds. */
export const flushBatchSize = 200;
const userAgentLimit = 256;

/**
 * Credential events and keys' lastUsedAt, written in batches rather than once
 * per request: recording only touches memory, and a timer writes what piled up
 * about once a second, or sooner once a batch is full. `close()` writes the
 * rest, so a graceful shutdown loses nothing that was acknowledged.
 */
export class TokenEventWriter {
  private events: PendingEvent[] = [];
  private keysLastUsed = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    /** The TokenEvent table as raw SQL names it (see tableName). */
    private readonly table: string,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  record(event: TokenEventInput): void {
    const at = this.clock();
    this.events.push({
      id: timeOrderedUuid(at),
      at,
      action: event.action,
      outcome: event.outcome,
      operation: event.operation ?? null,
      ip: event.client?.ip ?? null,
      userAgent: event.client?.userAgent?.slice(0, userAgentLimit) || null,
      userId: event.userId ?? null,
      serviceAccountId: event.serviceAccountId ?? null,
      sessionId: event.sessionId ?? null,
      apiKeyId: event.apiKeyId ?? null,
    });
    if (this.events.length >= flushBatchSize) void this.flush();
    else this.schedule();
  }

  keyUsed(apiKeyId: string, at: Date): void {
    this.keysLastUsed.set(apiKeyId, at);
    this.schedule();
  }

  /** A use not yet written, so that lastUsedAt reads as fresh as the log is going to be. */
  pendingLastUse(apiKeyId: string): Date | undefined {
    return this.keysLastUsed.get(apiKeyId);
  }

  /** Writes everything recorded so far; resolves once it is committed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.events;
    const keysLastUsed = this.keysLastUsed;
    this.events = [];
    this.keysLastUsed = new Map();
    this.writing = this.writing.then(() => this.write(events, keysLastUsed));
    return this.writing;
  }

  close(): Promise<void> {
    return this.flush();
  }

  /**
   * Multi-row INSERTs of at most a batch each. Prisma's createMany converts every
   * row field by field in JS: a fifth of the CPU of a whoami with an API key.
   */
  private inserts(events: PendingEvent[]) {
    const statements = [];
    for (let start = 0; start < events.length; start += flushBatchSize) {
      const rows = events.slice(start, start + flushBatchSize).map((event) => sql`(${join(eventColumns.map((column) => event[column]))})`);
      statements.push(this.db.$executeRaw`INSERT INTO ${raw(this.table)} (${eventColumnList}) VALUES ${join(rows)}`);
    }
    return statements;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), flushIntervalMs).unref();
  }

  private async write(events: PendingEvent[], keysLastUsed: Map<string, Date>): Promise<void> {
    if (events.length === 0 && keysLastUsed.size === 0) return;
    try {
      await this.db.$transaction([
        ...this.inserts(events),
        ...[...keysLastUsed].map(([id, at]) =>
          this.db.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } }),
        ),
      ]);
    } catch (error) {
      // Keep them for the next flush: a database hiccup must not drop the audit trail.
      this.events = [...events, ...this.events];
      for (const [id, at] of keysLastUsed) if (!this.keysLastUsed.has(id)) this.keysLastUsed.set(id, at);
      this.schedule();
      this.logger.error({ err: { type: (error as Error).name }, pending: this.events.length }, 'token events not written; will retry');
    }
  }
}
