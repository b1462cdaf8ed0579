import type { Prisma } from '../generated/sqlite/client.js';
import { timeOrderedUuid } from '../crypto/random.js';
import type { Runtime } from '../runtime.js';
import { actorOfEvent, type TokenEventInput } from '../token-events/writer.js';
import { enabledEndpoints, endpointWants } from './endpoint-rules.js';
import { webhookTypeOf, type WebhookEventType } from './event-types.js';

/** An activity-log event, with what its webhook carries beyond the ids (never a secret). */
export type ChangeEvent = TokenEventInput & { data?: Record<string, unknown> };

/** What an event is about, as the JSON body's `target` names it. */
function targetOf(type: WebhookEventType, event: ChangeEvent) {
  if (event.apiKeyId) return { type: 'api_key', id: event.apiKeyId };
  if (type.startsWith('session.') && event.sessionId) return { type: 'session', id: event.sessionId };
  if (event.userId) return { type: 'user', id: event.userId };
  if (event.serviceAccountId) return { type: 'service_account', id: event.serviceAccountId };
  return null;
}

/** The `data` of an event's JSON body: who, about what, the ids, why, and the event's own fields. */
export function eventData(type: WebhookEventType, event: ChangeEvent): Record<string, unknown> {
  const ids = { userId: event.userId, sessionId: event.sessionId, apiKeyId: event.apiKeyId, serviceAccountId: event.serviceAccountId };
  const fields = { ...ids, reason: event.operation, detail: event.detail, ...event.data };
  return {
    actor: actorOfEvent(event),
    target: targetOf(type, event),
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)),
  };
}

export const newEventId = (at: Date) => `msg_${timeOrderedUuid(at).replaceAll('-', '')}`;

/**
 * Writes the outbox rows of these events through `tx`, the transaction of the change
 * they describe: committed with it, or rolled back with it. Only the types an enabled
 * endpoint wants are written (read in the same transaction): an event no endpoint
 * wanted when it happened has nothing to deliver, and a sign-in without endpoints costs
 * one small read instead of a row and a fan-out pass. Events no webhook carries (a
 * failed sign-in, a key's use) write nothing.
 */
export async function writeOutbox(tx: Prisma.TransactionClient, runtime: Runtime, events: ChangeEvent[]): Promise<void> {
  const typed = events.flatMap((event) => {
    const type = webhookTypeOf(event);
    return type ? [{ type, event }] : [];
  });
  if (typed.length === 0) return;
  const endpoints = await enabledEndpoints(tx);
  const at = runtime.clock();
  const rows = typed
    .filter(({ type }) => endpoints.some((endpoint) => endpointWants(endpoint.events, type)))
    .map(({ type, event }) => ({ id: newEventId(at), type, at, data: JSON.stringify(eventData(type, event)) }));
  if (rows.length > 0) await tx.webhookEvent.createMany({ data: rows });
}

/** Once the change committed: the activity log records the events, and this instance's dispatcher fans them out. */
export function recordCommitted(runtime: Runtime, events: ChangeEvent[]): void {
  for (const { data: _data, ...event } of events) runtime.tokenEvents.record(event);
  if (events.some((event) => webhookTypeOf(event))) runtime.webhooks.nudge();
}

/**
 * A change and the events it makes, atomically: `change` runs in a transaction that
 * also writes the outbox rows of `eventsOf(result)`; after the commit they go to
 * the activity log. The one way a webhook-carried change is written.
 */
export async function commitWithEvents<T>(
  runtime: Runtime,
  change: (tx: Prisma.TransactionClient) => Promise<T>,
  eventsOf: (result: T) => ChangeEvent[],
): Promise<T> {
  let events: ChangeEvent[] = [];
  const result = await runtime.db.$transaction(async (tx) => {
    const changed = await change(tx);
    events = eventsOf(changed);
    await writeOutbox(tx, runtime, events);
    return changed;
  });
  recordCommitted(runtime, events);
  return result;
}
