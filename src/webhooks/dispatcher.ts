import { raw, sqltag as sql } from '@prisma/client/runtime/client';
import { unseal } from '../crypto/sealed-secret.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { Runtime } from '../runtime.js';
import { postDelivery, type PostOutcome } from './delivery-request.js';
import { enabledEndpoints, endpointWants, secretPurpose } from './endpoint-rules.js';
import { mailAdminsEndpointDisabled } from './failing-endpoint.js';
import { signedHeaders } from './signed-headers.js';

/**
 * The waits between a failed attempt and the next (each ±10%, so that endpoints that
 * failed together do not all come back at once): nine attempts over about a day,
 * after which the delivery is marked failed.
 */
export const retryDelaysMs = [5_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 8 * 3600_000, 8 * 3600_000];
/** An endpoint whose delivery used up its retries, with no 2xx from it for this long, is disabled. */
export const disableAfterFailingMs = 20 * 3600_000;

const eventsPerPass = 100;
const nudgeDelayMs = 20;
const deliveriesPerPass = 20;

export type DispatcherSettings = {
  provider: 'sqlite' | 'postgresql';
  deliveriesTable: string;
  endpointsTable: string;
  eventsTable: string;
  /** A number in [0, 1) for the jitter; Math.random unless a test pins it. */
  random?: () => number;
};

type ClaimedDelivery = { id: string; attempts: number };
type WaitingEvent = { id: string; type: string };

/**
 * Turns the outbox into deliveries and posts them. Every instance runs one: events are
 * claimed for fan-out and deliveries for posting with row locks that others skip
 * (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite has one writer), so no event is fanned
 * out twice and no delivery posted twice at once. A delivery is leased while its request
 * is in flight; an instance that dies mid-request leaves it to be retried after the lease.
 */
export class WebhookDispatcher {
  #queued: Promise<void> | null = null;
  #tail: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #nudged: NodeJS.Timeout | undefined;
  #closed = false;
  #runtime: Runtime | undefined;
  /** Whether the next pass claims due deliveries even when it fans out no event (a poll's or run()'s pass). */
  #claimAsked = false;

  constructor(private readonly settings: DispatcherSettings) {}

  /** The runtime it serves (which holds it, hence not in the constructor). */
  private get runtime(): Runtime {
    if (!this.#runtime) throw new Error('the webhook dispatcher has not been started');
    return this.#runtime;
  }

  /** Polls every `intervalMs` (retries, and events other instances wrote) and starts with a pass. */
  start(runtime: Runtime, intervalMs: number): void {
    this.#runtime = runtime;
    this.#timer = setInterval(() => this.runtime.background.run('webhooks', () => this.run()), intervalMs);
    this.#timer.unref();
    this.nudge();
  }

  /**
   * A pass shortly, in the background (after a local commit). Nudges within nudgeDelayMs
   * share one pass: under a burst of sign-ins, one fan-out takes many events. A nudged pass
   * that finds no event (no endpoint wanted them) ends there; retries wait for the poll.
   */
  nudge(): void {
    if (!this.#runtime || this.#closed || this.#nudged) return;
    this.#nudged = setTimeout(() => {
      this.#nudged = undefined;
      this.runtime.background.run('webhooks', () => this.queuePass());
    }, nudgeDelayMs);
    this.#nudged.unref();
  }

  /** Fans out what the outbox holds and posts what is due; resolves when that pass is done. */
  run(): Promise<void> {
    this.#claimAsked = true;
    return this.queuePass();
  }

  private queuePass(): Promise<void> {
    this.#queued ??= this.#tail.then(() => {
      this.#queued = null;
      return this.pass();
    });
    const queued = this.#queued;
    this.#tail = queued.catch(() => undefined);
    return queued;
  }

  stop(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#nudged);
  }

  private async pass(): Promise<void> {
    const claimAsked = this.#claimAsked;
    this.#claimAsked = false;
    let fannedOut = 0;
    for (;;) {
      const taken = await this.fanOut();
      fannedOut += taken;
      if (taken < eventsPerPass) break;
    }
    if (!claimAsked && fannedOut === 0) return;
    const claimed = await this.claimDue();
    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    if (claimed.length === deliveriesPerPass) {
      this.#claimAsked = true;
      this.nudge();
    }
  }

  /**
   * Makes the deliveries of up to eventsPerPass outbox events; returns how many it took.
   * PostgreSQL locks the events it takes (other instances skip them); SQLite has one
   * writer, so it reads first and writes in one short transaction, holding the lock for
   * no longer than the writes.
   */
  private async fanOut(): Promise<number> {
    const { db } = this.runtime;
    if (this.settings.provider === 'sqlite') {
      const events = await db.webhookEvent.findMany({ where: { fannedOutAt: null }, orderBy: { at: 'asc' }, take: eventsPerPass, select: { id: true, type: true } });
      if (events.length === 0) return 0;
      const endpoints = await enabledEndpoints(db);
      await db.$transaction(this.fanOutWrites(db, events, endpoints));
      return events.length;
    }
    return db.$transaction(async (tx) => {
      const events = await tx.$queryRaw<WaitingEvent[]>`SELECT "id", "type" FROM ${raw(this.settings.eventsTable)} WHERE "fannedOutAt" IS NULL ORDER BY "at" LIMIT ${eventsPerPass} FOR UPDATE SKIP LOCKED`;
      if (events.length === 0) return 0;
      const endpoints = await enabledEndpoints(tx);
      for (const write of this.fanOutWrites(tx, events, endpoints)) await write;
      return events.length;
    });
  }

  /** One delivery per event and endpoint that wants its type; an event nobody wants is not kept (nothing to deliver or redeliver). */
  private fanOutWrites(db: Prisma.TransactionClient, events: WaitingEvent[], endpoints: { id: string; events: string }[]) {
    const now = this.runtime.clock();
    const deliveries = events.flatMap((event) =>
      endpoints.filter((endpoint) => endpointWants(endpoint.events, event.type)).map((endpoint) => ({ eventId: event.id, endpointId: endpoint.id, nextAttemptAt: now, createdAt: now })),
    );
    const wanted = new Set(deliveries.map((delivery) => delivery.eventId));
    const unwanted = events.filter((event) => !wanted.has(event.id)).map((event) => event.id);
    return [
      db.webhookDelivery.createMany({ data: deliveries }),
      db.webhookEvent.deleteMany({ where: { id: { in: unwanted } } }),
      db.webhookEvent.updateMany({ where: { id: { in: [...wanted] } }, data: { fannedOutAt: now } }),
    ];
  }

  /** Leases the due deliveries of enabled endpoints (counting the attempt) so no other pass posts them meanwhile. */
  private async claimDue(): Promise<ClaimedDelivery[]> {
    const now = this.runtime.clock();
    const leasedUntil = new Date(now.getTime() + this.runtime.config.webhooks.timeoutMs * 2 + 5_000);
    const { deliveriesTable, endpointsTable } = this.settings;
    if (this.settings.provider === 'postgresql') {
      return this.runtime.db.$queryRaw<ClaimedDelivery[]>(sql`
        UPDATE ${raw(deliveriesTable)} SET "leasedUntil" = ${leasedUntil}, "attempts" = "attempts" + 1
        WHERE "id" IN (
          SELECT "id" FROM ${raw(deliveriesTable)}
          WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} AND ("leasedUntil" IS NULL OR "leasedUntil" <= ${now})
            AND "endpointId" IN (SELECT "id" FROM ${raw(endpointsTable)} WHERE "disabledAt" IS NULL)
          ORDER BY "nextAttemptAt" LIMIT ${deliveriesPerPass} FOR UPDATE SKIP LOCKED)
        RETURNING "id", "attempts"`);
    }
    return this.runtime.db.webhookDelivery.updateManyAndReturn({
      where: {
        id: {
          in: (
            await this.runtime.db.webhookDelivery.findMany({
              where: { status: 'pending', nextAttemptAt: { lte: now }, OR: [{ leasedUntil: null }, { leasedUntil: { lte: now } }], endpoint: { disabledAt: null } },
              orderBy: { nextAttemptAt: 'asc' },
              take: deliveriesPerPass,
              select: { id: true },
            })
          ).map((delivery) => delivery.id),
        },
      },
      data: { leasedUntil, attempts: { increment: 1 } },
      select: { id: true, attempts: true },
    });
  }

  private async deliver(claimed: ClaimedDelivery): Promise<void> {
    const { runtime } = this;
    const delivery = await runtime.db.webhookDelivery.findUnique({ where: { id: claimed.id }, include: { event: true, endpoint: true } });
    if (!delivery) return;
    const { event, endpoint } = delivery;
    const attemptAt = runtime.clock();
    const body = JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: JSON.parse(event.data) as unknown });
    const sealed = [endpoint.secretSealed];
    if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > attemptAt) sealed.push(endpoint.previousSecretSealed);
    const secrets = sealed.map((secret) => unseal(runtime.serverSecret, secretPurpose, secret));
    const headers = { ...signedHeaders(secrets, event.id, attemptAt, body), 'user-agent': 'authgraph-webhooks' };
    const { timeoutMs, allowPrivate } = runtime.config.webhooks;
    const outcome = await postDelivery(endpoint.url, headers, body, { timeoutMs, allowPrivate });
    await this.recordAttempt(delivery, claimed.attempts, attemptAt, outcome);
  }

  private async recordAttempt(delivery: { id: string; endpointId: string }, attempts: number, attemptAt: Date, outcome: PostOutcome): Promise<void> {
    const { db } = this.runtime;
    const answered = { lastAttemptAt: attemptAt, lastStatusCode: outcome.status, lastError: outcome.error ?? (outcome.status! >= 300 && outcome.status! < 400 ? 'redirect' : null), leasedUntil: null };
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
      await db.webhookDelivery.update({ where: { id: delivery.id }, data: { ...answered, status: 'succeeded' } });
      await db.webhookEndpoint.updateMany({ where: { id: delivery.endpointId, failingSince: { not: null } }, data: { failingSince: null } });
      return;
    }
    const delay = retryDelaysMs[attempts - 1];
    const random = this.settings.random ?? Math.random;
    const nextAttemptAt = delay === undefined ? attemptAt : new Date(attemptAt.getTime() + Math.round(delay * (0.9 + 0.2 * random())));
    await db.webhookDelivery.update({ where: { id: delivery.id }, data: { ...answered, status: delay === undefined ? 'failed' : 'pending', nextAttemptAt } });
    await db.webhookEndpoint.updateMany({ where: { id: delivery.endpointId, failingSince: null }, data: { failingSince: attemptAt } });
    this.runtime.logger.warn({ webhookDelivery: delivery.id, attempts, status: outcome.status, error: outcome.error }, 'webhook delivery failed');
    if (delay === undefined) await this.disableIfFailing(delivery.endpointId, attemptAt);
  }

  private async disableIfFailing(endpointId: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - disableAfterFailingMs);
    const { count } = await this.runtime.db.webhookEndpoint.updateMany({
      where: { id: endpointId, disabledAt: null, failingSince: { lte: since } },
      data: { disabledAt: now, disabledReason: 'failing' },
    });
    if (count === 1) await mailAdminsEndpointDisabled(this.runtime, endpointId);
  }
}
