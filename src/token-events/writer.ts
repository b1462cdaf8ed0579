import type { Logger } from 'pino';
import { timeOrderedUuid } from '../crypto/random.js';
import type { Actor } from '../audit/actor.js';
import { isLockBusy, type EventStore, type PendingEvent } from './event-store.js';

/** Credential events, then account and administration events: one log, the single record of what happened. */
export type TokenAction =
  | 'login'
  | 'refresh'
  | 'reuse-detected'
  | 'revoke'
  | 'request'
  | 'create'
  | 'roll'
  | 'update'
  | 'mfa'
  | 'passkey'
  | 'register'
  | 'email-verified'
  | 'email-change-requested'
  | 'email-changed'
  | 'password-changed'
  | 'password-reset'
  | 'password-set'
  | 'profile-updated'
  | 'provider-linked'
  | 'provider-unlinked'
  | 'role-changed'
  | 'plan-changed'
  | 'disabled'
  | 'enabled'
  | 'deletion-scheduled'
  | 'deletion-cancelled'
  | 'deleted'
  | 'exported'
  | 'service-account-created'
  | 'service-account-updated'
  | 'service-account-disabled'
  | 'service-account-enabled'
  | 'service-account-deleted'
  | 'webhook-endpoint';

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
  /** Labels a product attached to a verification of this key (verifyApiKey's tags). */
  tags?: readonly string[];
  /** Who acted; by default the account the event concerns (its user, else its service account). */
  actor?: Actor;
  /** What changed, without personal data. */
  detail?: string | null;
};

/** Who acted: the event's actor, else the account it concerns (its user, else its service account). */
export function actorOfEvent(event: TokenEventInput): Actor | null {
  if (event.actor) return event.actor;
  if (event.userId) return { type: 'user', id: event.userId };
  if (event.serviceAccountId) return { type: 'service-account', id: event.serviceAccountId };
  return null;
}

export const flushIntervalMs = 1000;
/** A write of this many events holds SQLite (synchronous) for a few milliseconds; a second's worth under load would hold it for hundreds. */
export const flushBatchSize = 200;
/** The next try after SQLite's write lock was taken (by a transaction of Prisma's in progress). */
const lockRetryMs = 20;
/** Tries within one flush before the batch goes back to wait for the next (a lock held this long is no short transaction). */
const lockRetriesPerFlush = 100;
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
  /** Uses taken by a flush and not yet committed: still pending to a reader. */
  private keysBeingWritten = new Set<Map<string, Date>>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private waitingForLock = false;

  constructor(
    private readonly store: EventStore,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** The one way an event enters the log, credential and account events alike. */
  record(event: TokenEventInput): void {
    const at = this.clock();
    const actor = actorOfEvent(event);
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
      tags: event.tags?.length ? event.tags.join(' ') : null,
      actorType: actor?.type ?? null,
      actorId: actor?.id ?? null,
      detail: event.detail ?? null,
    });
    if (this.events.length >= flushBatchSize && !this.waitingForLock) void this.flush();
    else this.schedule();
  }

  keyUsed(apiKeyId: string, at: Date): void {
    this.keysLastUsed.set(apiKeyId, at);
    this.schedule();
  }

  /** A use not yet written, so that lastUsedAt reads as fresh as the log is going to be. */
  pendingLastUse(apiKeyId: string): Date | undefined {
    const queued = this.keysLastUsed.get(apiKeyId);
    if (queued) return queued;
    for (const batch of this.keysBeingWritten) if (batch.has(apiKeyId)) return batch.get(apiKeyId);
    return undefined;
  }

  /** Writes everything recorded so far; resolves once it is committed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waitingForLock = false;
    const events = this.events;
    const keysLastUsed = this.keysLastUsed;
    this.events = [];
    this.keysLastUsed = new Map();
    if (keysLastUsed.size > 0) this.keysBeingWritten.add(keysLastUsed);
    this.writing = this.writing.then(() => this.write(events, keysLastUsed)).finally(() => this.keysBeingWritten.delete(keysLastUsed));
    return this.writing;
  }

  /** Writes what is left (trying again while SQLite's lock is taken) and closes the store. */
  async close(): Promise<void> {
    await this.flush();
    for (let attempt = 0; attempt < 50 && this.waitingForLock; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, lockRetryMs));
      await this.flush();
    }
    this.store.close();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flush(), flushIntervalMs).unref();
  }

  private async write(events: PendingEvent[], keysLastUsed: Map<string, Date>): Promise<void> {
    if (events.length === 0 && keysLastUsed.size === 0) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.store.write(events, keysLastUsed);
        return;
      } catch (error) {
        // A transaction of Prisma's holds SQLite's lock for milliseconds: wait it out, so that flush() resolves once written.
        if (isLockBusy(error) && attempt < lockRetriesPerFlush) {
          await new Promise((resolve) => setTimeout(resolve, lockRetryMs));
          continue;
        }
        // Kept for the next try: a database hiccup must not drop the audit trail.
        this.events = [...events, ...this.events];
        for (const [id, at] of keysLastUsed) if (!this.keysLastUsed.has(id)) this.keysLastUsed.set(id, at);
        this.tryAgain(error);
        return;
      }
    }
  }

  private tryAgain(error: unknown): void {
    if (isLockBusy(error)) {
      this.waitingForLock = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), lockRetryMs).unref();
      return;
    }
    this.schedule();
    this.logger.error({ err: { type: (error as Error).name }, pending: this.events.length }, 'token events not written; will retry');
  }
}
