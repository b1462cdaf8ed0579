import { z } from '@hono/zod-openapi';
import type { WebhookDelivery as DeliveryRow, WebhookEndpoint as EndpointRow, WebhookEvent as EventRow } from '../generated/sqlite/client.js';
import { deliveryStatuses, listWebhookDeliveries, redeliverWebhook } from '../webhooks/deliveries.js';
import { storedEvents } from '../webhooks/endpoint-rules.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, rollWebhookSecret, sendTestWebhook, updateWebhookEndpoint } from '../webhooks/endpoints.js';
import { clientOf, json, jsonBody, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';

const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({ description: 'failing (deliveries failed for about a day) or admin' }),
    failing_since: z.string().datetime().nullable(),
    previous_secret_expires_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
  })
  .openapi('WebhookEndpoint');
const CreatedEndpoint = z.object({ endpoint: Endpoint, secret: z.string().openapi({ description: 'whsec_...: shown this once' }) }).openapi('CreatedWebhookEndpoint');
const Delivery = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string().openapi({ description: 'The webhook-id header' }),
    event_type: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    next_attempt_at: z.string().datetime().nullable(),
    last_attempt_at: z.string().datetime().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string().datetime(),
  })
  .openapi('WebhookDelivery');

const CreateBody = z.object({ url: z.string().max(2048), events: z.array(z.string()).max(50), description: z.string().max(500).nullish() }).openapi('CreateWebhookEndpointBody');
const UpdateBody = z
  .object({ url: z.string().max(2048).nullish(), events: z.array(z.string()).max(50).nullish(), description: z.string().max(500).nullish(), enabled: z.boolean().nullish() })
  .openapi('UpdateWebhookEndpointBody');
const RollBody = z.object({ overlap_seconds: z.number().int().default(86_400) }).openapi('RollWebhookSecretBody');
const idParams = z.object({ id: z.string().max(64) });

const iso = (at: Date | null) => at?.toISOString() ?? null;

const endpointBody = (endpoint: EndpointRow): z.infer<typeof Endpoint> => ({
  id: endpoint.id,
  url: endpoint.url,
  events: storedEvents(endpoint.events),
  description: endpoint.description,
  enabled: endpoint.disabledAt === null,
  disabled_reason: endpoint.disabledReason,
  failing_since: iso(endpoint.failingSince),
  previous_secret_expires_at: iso(endpoint.previousSecretExpiresAt),
  created_at: endpoint.createdAt.toISOString(),
});

const deliveryBody = (delivery: DeliveryRow & { event: EventRow }): z.infer<typeof Delivery> => ({
  id: delivery.id,
  endpoint_id: delivery.endpointId,
  event_id: delivery.eventId,
  event_type: delivery.event.type,
  status: delivery.status as z.infer<typeof Delivery>['status'],
  attempts: delivery.attempts,
  next_attempt_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  last_attempt_at: iso(delivery.lastAttemptAt),
  last_status_code: delivery.lastStatusCode,
  last_error: delivery.lastError,
  created_at: delivery.createdAt.toISOString(),
});

const docs = { tags: ['Webhooks'] as ['Webhooks'], product: 'authgraph' as const };
/** Changes take an admin's session (as in GraphQL); reading also takes an admin-scoped LIVE key. */
const admin = { admin: true } as const;

/** authgraph's own paths for webhook endpoints and their deliveries (admins; the same services as GraphQL's). */
export function webhookRoutes(api: RestApi, table: RouteTable) {
  const list = restRoute(table, admin, {
    ...docs,
    method: 'get',
    path: '/v1/webhooks/endpoints',
    summary: 'The webhook endpoints (authgraph addition)',
    operationId: 'authgraphListWebhookEndpoints',
    errors: ['FORBIDDEN'],
    responses: { 200: json(z.object({ endpoints: z.array(Endpoint) }).openapi('WebhookEndpointList'), 'Newest first') },
  });
  api.openapi(list, async (c) => c.json({ endpoints: (await listWebhookEndpoints(c.var.runtime)).map(endpointBody) }, 200));

  const create = restRoute(table, admin, {
    ...docs,
    method: 'post',
    path: '/v1/webhooks/endpoints',
    summary: 'Register a webhook endpoint; the answer holds its signing secret, once (authgraph addition)',
    operationId: 'authgraphCreateWebhookEndpoint',
    errors: ['FORBIDDEN'],
    request: jsonBody(CreateBody),
    responses: { 201: json(CreatedEndpoint, 'The endpoint and its secret') },
  });
  api.openapi(create, async (c) => {
    const { endpoint, secret } = await createWebhookEndpoint(c.var.runtime, c.req.valid('json'), sessionOf(c), clientOf(c));
    return c.json({ endpoint: endpointBody(endpoint), secret }, 201);
  });

  const update = restRoute(table, admin, {
    ...docs,
    method: 'patch',
    path: '/v1/webhooks/endpoints/{id}',
    summary: 'Change an endpoint; enabled: true resumes a disabled one (authgraph addition)',
    operationId: 'authgraphUpdateWebhookEndpoint',
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    request: { params: idParams, ...jsonBody(UpdateBody) },
    responses: { 200: json(Endpoint, 'The endpoint') },
  });
  api.openapi(update, async (c) => c.json(endpointBody(await updateWebhookEndpoint(c.var.runtime, c.req.valid('param').id, c.req.valid('json'), sessionOf(c), clientOf(c))), 200));

  const remove = restRoute(table, admin, {
    ...docs,
    method: 'delete',
    path: '/v1/webhooks/endpoints/{id}',
    summary: 'Remove an endpoint and its deliveries (authgraph addition)',
    operationId: 'authgraphDeleteWebhookEndpoint',
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    request: { params: idParams },
    responses: { 204: { description: 'Removed' } },
  });
  api.openapi(remove, async (c) => {
    await deleteWebhookEndpoint(c.var.runtime, c.req.valid('param').id, sessionOf(c), clientOf(c));
    return c.body(null, 204);
  });

  const roll = restRoute(table, admin, {
    ...docs,
    method: 'post',
    path: '/v1/webhooks/endpoints/{id}/roll-secret',
    summary: 'A new signing secret, shown once; the old one also signs for overlap_seconds (authgraph addition)',
    operationId: 'authgraphRollWebhookSecret',
    errors: ['FORBIDDEN', 'NOT_FOUND'],
    request: { params: idParams, ...jsonBody(RollBody) },
    responses: { 200: json(CreatedEndpoint, 'The endpoint and its new secret') },
  });
  api.openapi(roll, async (c) => {
    const { endpoint, secret } = await rollWebhookSecret(c.var.runtime, c.req.valid('param').id, c.req.valid('json').overlap_seconds, sessionOf(c), clientOf(c));
    return c.json({ endpoint: endpointBody(endpoint), secret }, 200);
  });

  const test = restRoute(table, admin, {
    ...docs,
    method: 'post',
    path: '/v1/webhooks/endpoints/{id}/test',
    summary: 'Send a webhook.test event to this endpoint alone (authgraph addition)',
    operationId: 'authgraphSendTestWebhook',
    errors: ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
    request: { params: idParams },
    responses: { 202: json(Delivery, 'The delivery, on its way') },
  });
  api.openapi(test, async (c) => c.json(deliveryBody(await sendTestWebhook(c.var.runtime, c.req.valid('param').id, sessionOf(c))), 202));

  const deliveries = restRoute(table, admin, {
    ...docs,
    method: 'get',
    path: '/v1/webhooks/deliveries',
    summary: 'Deliveries newest first, of one endpoint and/or status (authgraph addition)',
    operationId: 'authgraphListWebhookDeliveries',
    errors: ['FORBIDDEN'],
    request: {
      query: z.object({ endpoint_id: z.string().max(64).optional(), status: z.enum(deliveryStatuses).optional(), limit: z.coerce.number().int().min(1).max(100).optional(), after: z.string().max(200).optional() }),
    },
    responses: { 200: json(z.object({ deliveries: z.array(Delivery), next_cursor: z.string().nullable() }).openapi('WebhookDeliveryList'), 'A page') },
  });
  api.openapi(deliveries, async (c) => {
    const query = c.req.valid('query');
    const page = await listWebhookDeliveries(c.var.runtime, { endpointId: query.endpoint_id, status: query.status }, { first: query.limit, after: query.after });
    return c.json({ deliveries: page.nodes.map(deliveryBody), next_cursor: page.hasNextPage ? (page.cursors.at(-1) ?? null) : null }, 200);
  });

  const redeliver = restRoute(table, admin, {
    ...docs,
    method: 'post',
    path: '/v1/webhooks/deliveries/{id}/redeliver',
    summary: 'Send a delivery again from its first attempt (authgraph addition)',
    operationId: 'authgraphRedeliverWebhook',
    errors: ['FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
    request: { params: idParams },
    responses: { 202: json(Delivery, 'The delivery, pending again') },
  });
  api.openapi(redeliver, async (c) => c.json(deliveryBody(await redeliverWebhook(c.var.runtime, c.req.valid('param').id, sessionOf(c), clientOf(c))), 202));
}
