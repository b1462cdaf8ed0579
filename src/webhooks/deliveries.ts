import { z } from 'zod';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type DeliveryFilter = { endpointId?: string | null; status?: DeliveryStatus | null; after?: string | null; first?: number | null };

const filterSchema = z.object({
  endpointId: z.string().max(64).nullish(),
  status: z.enum(deliveryStatuses).nullish(),
  after: z.string().max(64).nullish(),
  first: z.number().int().min(1, 'must be from 1 to 100').max(100, 'must be from 1 to 100').nullish(),
});

/** Deliveries newest first, `first` at a time; `after` is the last id of the previous page. */
export async function listWebhookDeliveries(runtime: Runtime, filter: DeliveryFilter) {
  const { endpointId, status, after, first } = parseOrThrow(filterSchema, filter);
  const take = first ?? 50;
  const rows = await runtime.db.webhookDelivery.findMany({
    where: { ...(endpointId && { endpointId }), ...(status && { status }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: take + 1,
    ...(after && { cursor: { id: after }, skip: 1 }),
    include: { event: true },
  });
  return { deliveries: rows.slice(0, take), hasMore: rows.length > take };
}

/** Sends a delivery again from its first attempt (a failed one, or a succeeded one the receiver lost). */
export async function redeliverWebhook(runtime: Runtime, id: string) {
  const delivery = await runtime.db.webhookDelivery.findUnique({ where: { id }, include: { endpoint: { select: { disabledAt: true } } } });
  if (!delivery) throw new AppError(refusals.noSuchWebhookDelivery);
  if (delivery.endpoint.disabledAt) throw new AppError(refusals.webhookEndpointDisabled);
  const redelivered = await runtime.db.webhookDelivery.update({
    where: { id },
    data: { status: 'pending', attempts: 0, nextAttemptAt: runtime.clock(), leasedUntil: null },
    include: { event: true },
  });
  runtime.webhooks.nudge();
  return redelivered;
}
