import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, Principal } from '../principal.js';
import { keysetPage, olderThan, type PageArgs } from '../pagination.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type DeliveryFilter = { endpointId?: string | null; status?: DeliveryStatus | null };

const filterSchema = z.object({ endpointId: z.string().max(64).nullish(), status: z.enum(deliveryStatuses).nullish() });

/** Deliveries newest first, with their events; `after` is the previous page's endCursor. */
export function listWebhookDeliveries(runtime: Runtime, filter: DeliveryFilter, page: PageArgs) {
  const { endpointId, status } = parseOrThrow(filterSchema, filter);
  return keysetPage(
    page,
    (before, take) =>
      runtime.db.webhookDelivery.findMany({
        where: { ...(endpointId && { endpointId }), ...(status && { status }), ...olderThan('createdAt', before) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
        include: { event: true },
      }),
    (delivery) => ({ at: delivery.createdAt, id: delivery.id }),
  );
}

/** Sends a delivery again from its first attempt (a failed one, or a succeeded one the receiver lost). */
export async function redeliverWebhook(runtime: Runtime, id: string, principal: Principal, client?: ClientInfo) {
  const delivery = await runtime.db.webhookDelivery.findUnique({ where: { id }, include: { endpoint: { select: { disabledAt: true } } } });
  if (!delivery) throw new AppError(refusals.noSuchWebhookDelivery);
  if (delivery.endpoint.disabledAt) throw new AppError(refusals.webhookEndpointDisabled);
  const redelivered = await runtime.db.webhookDelivery.update({
    where: { id },
    data: { status: 'pending', attempts: 0, nextAttemptAt: runtime.clock(), leasedUntil: null },
    include: { event: true },
  });
  runtime.tokenEvents.record({ action: 'webhook-endpoint', outcome: 'success', operation: 'redelivered', actor: actorOf(principal), client, detail: delivery.endpointId });
  runtime.webhooks.nudge();
  return redelivered;
}

/** Events older than WEBHOOK_RETENTION with nothing left to deliver go, with their deliveries (the maintenance job). */
export async function pruneWebhookEvents(runtime: Runtime): Promise<number> {
  const before = new Date(runtime.clock().getTime() - runtime.config.webhooks.retentionSeconds * 1000);
  const { count } = await runtime.db.webhookEvent.deleteMany({ where: { at: { lt: before }, fannedOutAt: { not: null }, deliveries: { none: { status: 'pending' } } } });
  return count;
}
