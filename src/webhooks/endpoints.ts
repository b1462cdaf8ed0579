import { z } from 'zod';
import { actorOf } from '../audit/actor.js';
import { seal } from '../crypto/sealed-secret.js';
import { AppError, badInput, refusals } from '../errors.js';
import type { ClientInfo, Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { webhookUrlProblem } from './address-guard.js';
import { eventListSchema, newSigningSecret, secretPurpose } from './endpoint-rules.js';
import { newEventId } from './outbox.js';

export type WebhookEndpointInput = { url: string; events: string[]; description?: string | null };
export type WebhookEndpointChanges = { url?: string | null; events?: string[] | null; description?: string | null; enabled?: boolean | null };

const descriptionSchema = z.string().trim().max(500, 'must be at most 500 characters');

function urlSchema(runtime: Runtime) {
  return z.string().superRefine((url, context) => {
    const problem = webhookUrlProblem(url, runtime.config.webhooks.allowPrivate);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}

/** The longest a rolled secret keeps signing beside the new one. */
const maxOverlapSeconds = 7 * 24 * 3600;

async function findEndpoint(runtime: Runtime, id: string) {
  const endpoint = await runtime.db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new AppError(refusals.noSuchWebhookEndpoint);
  return endpoint;
}

function audit(runtime: Runtime, principal: Principal, client: ClientInfo | undefined, operation: string, endpointId: string) {
  runtime.tokenEvents.record({ action: 'webhook-endpoint', outcome: 'success', operation, actor: actorOf(principal), client, detail: endpointId });
}

/** An admin registers where events go; the signing secret is shown in this answer only. */
export async function createWebhookEndpoint(runtime: Runtime, input: WebhookEndpointInput, principal: Principal, client?: ClientInfo) {
  const { url, events, description } = parseOrThrow(z.object({ url: urlSchema(runtime), events: eventListSchema, description: descriptionSchema.nullish() }), input);
  const secret = newSigningSecret();
  const endpoint = await runtime.db.webhookEndpoint.create({
    data: { url, events, description: description || null, secretSealed: seal(runtime.serverSecret, secretPurpose, secret), createdAt: runtime.clock() },
  });
  audit(runtime, principal, client, 'created', endpoint.id);
  return { endpoint, secret };
}

export function listWebhookEndpoints(runtime: Runtime) {
  return runtime.db.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** Changes what is given; `enabled: true` clears a disabling (the dispatcher's or an admin's) and resumes its deliveries. */
export async function updateWebhookEndpoint(runtime: Runtime, id: string, changes: WebhookEndpointChanges, principal: Principal, client?: ClientInfo) {
  const schema = z.object({ url: urlSchema(runtime).nullish(), events: eventListSchema.nullish(), description: descriptionSchema.nullish(), enabled: z.boolean().nullish() });
  const { url, events, description, enabled } = parseOrThrow(schema, changes);
  const current = await findEndpoint(runtime, id);
  const now = runtime.clock();
  const endpoint = await runtime.db.webhookEndpoint.update({
    where: { id },
    data: {
      ...(url && { url }),
      ...(events && { events }),
      ...(description !== undefined && { description: description || null }),
      ...(enabled === true && current.disabledAt && { disabledAt: null, disabledReason: null, failingSince: null }),
      ...(enabled === false && !current.disabledAt && { disabledAt: now, disabledReason: 'admin' }),
    },
  });
  audit(runtime, principal, client, 'updated', id);
  if (enabled === true) runtime.webhooks.nudge();
  return endpoint;
}

/**
 * A new signing secret, shown once; the previous one keeps signing beside it for
 * `overlapSeconds` (each delivery then carries both signatures), so receivers can
 * switch without dropping a delivery.
 */
export async function rollWebhookSecret(runtime: Runtime, id: string, overlapSeconds: number, principal: Principal, client?: ClientInfo) {
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > maxOverlapSeconds) {
    throw badInput([{ field: 'overlapSeconds', message: `must be a whole number of seconds from 0 to ${maxOverlapSeconds}` }]);
  }
  const current = await findEndpoint(runtime, id);
  const secret = newSigningSecret();
  const endpoint = await runtime.db.webhookEndpoint.update({
    where: { id },
    data: {
      secretSealed: seal(runtime.serverSecret, secretPurpose, secret),
      previousSecretSealed: overlapSeconds > 0 ? current.secretSealed : null,
      previousSecretExpiresAt: overlapSeconds > 0 ? new Date(runtime.clock().getTime() + overlapSeconds * 1000) : null,
    },
  });
  audit(runtime, principal, client, 'secret-rolled', id);
  return { endpoint, secret };
}

/** Removes the endpoint and its deliveries. */
export async function deleteWebhookEndpoint(runtime: Runtime, id: string, principal: Principal, client?: ClientInfo): Promise<boolean> {
  await findEndpoint(runtime, id);
  await runtime.db.webhookEndpoint.delete({ where: { id } });
  audit(runtime, principal, client, 'deleted', id);
  return true;
}

/** A `webhook.test` event for this endpoint alone, delivered like any other (retries included). */
export async function sendTestWebhook(runtime: Runtime, id: string, principal: Principal) {
  const endpoint = await findEndpoint(runtime, id);
  if (endpoint.disabledAt) throw new AppError(refusals.webhookEndpointDisabled);
  const now = runtime.clock();
  const actor = actorOf(principal);
  const delivery = await runtime.db.webhookDelivery.create({
    data: {
      endpoint: { connect: { id } },
      event: { create: { id: newEventId(now), type: 'webhook.test', at: now, fannedOutAt: now, data: JSON.stringify({ actor, target: { type: 'webhook_endpoint', id } }) } },
      nextAttemptAt: now,
      createdAt: now,
    },
    include: { event: true },
  });
  runtime.webhooks.nudge();
  return delivery;
}
