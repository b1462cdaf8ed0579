import type { WebhookDelivery as DeliveryRow, WebhookEndpoint as EndpointRow, WebhookEvent as EventRow } from '../generated/sqlite/client.js';
import { deliveryStatuses, listWebhookDeliveries, redeliverWebhook } from '../webhooks/deliveries.js';
import { storedEvents } from '../webhooks/endpoint-rules.js';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, rollWebhookSecret, sendTestWebhook, updateWebhookEndpoint } from '../webhooks/endpoints.js';
import { webhookEventTypes } from '../webhooks/event-types.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';

export const WebhookEndpoint = builder.objectRef<EndpointRow>('WebhookEndpoint').implement({
  description: 'Where events are delivered, signed with the endpoint\'s secret (Standard Webhooks).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.stringList({ description: 'The event types it receives; ["*"]: every type.', resolve: (endpoint) => storedEvents(endpoint.events) }),
    description: t.exposeString('description', { nullable: true }),
    enabled: t.boolean({ resolve: (endpoint) => endpoint.disabledAt === null }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'failing (deliveries failed for about a day) or admin.' }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true, description: 'The first failed attempt since its last success.' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true, description: 'After a roll: until then, deliveries carry the old secret\'s signature too.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreatedWebhookEndpoint = builder.objectRef<{ endpoint: EndpointRow; secret: string }>('CreatedWebhookEndpoint').implement({
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpoint, resolve: (created) => created.endpoint }),
    secret: t.exposeString('secret', { description: 'The signing secret (whsec_...): shown this once; verify deliveries with it.' }),
  }),
});

const DeliveryStatus = builder.enumType('WebhookDeliveryStatus', { values: deliveryStatuses.map((status) => status.toUpperCase()) });

type DeliveryWithEvent = DeliveryRow & { event: EventRow };

export const WebhookDelivery = builder.objectRef<DeliveryWithEvent>('WebhookDelivery').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    endpointId: t.exposeID('endpointId'),
    eventId: t.id({ description: 'The webhook-id header: the same on every attempt and redelivery.', resolve: (delivery) => delivery.eventId }),
    eventType: t.string({ resolve: (delivery) => delivery.event.type }),
    eventAt: t.field({ type: 'DateTime', resolve: (delivery) => delivery.event.at }),
    payload: t.field({ type: 'JSONObject', description: 'The JSON body sent: type, timestamp, data.', resolve: (delivery) => ({ type: delivery.event.type, timestamp: delivery.event.at.toISOString(), data: JSON.parse(delivery.event.data) as object }) }),
    status: t.field({ type: DeliveryStatus, resolve: (delivery) => delivery.status.toUpperCase() }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (delivery) => (delivery.status === 'pending' ? delivery.nextAttemptAt : null) }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true, description: "The receiver's HTTP status at the last attempt." }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'timeout, unreachable, refused-address or redirect.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const WebhookDeliveryConnection = connectionOf('WebhookDelivery', WebhookDelivery);

const WebhookEventType = builder.objectRef<{ name: string; description: string }>('WebhookEventType').implement({
  fields: (t) => ({ name: t.exposeString('name'), description: t.exposeString('description') }),
});

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http(s); private and loopback addresses only with WEBHOOK_ALLOW_PRIVATE.' }),
    events: t.stringList({ required: true, description: 'Event types (webhookEventTypes), or ["*"] for all.' }),
    description: t.string(),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string(),
    events: t.stringList(),
    description: t.string({ description: 'An empty string clears it.' }),
    enabled: t.boolean({ description: 'true resumes a disabled endpoint\'s deliveries; false pauses them.' }),
  }),
});

const adminSession = { $all: { session: true, admin: true } } as const;

builder.queryFields((t) => ({
  webhookEventTypes: t.field({
    type: [WebhookEventType],
    description: 'Every event type an endpoint may ask for.',
    resolve: () => Object.entries(webhookEventTypes).map(([name, description]) => ({ name, description })),
  }),
  webhookEndpoints: t.field({
    type: [WebhookEndpoint],
    description: 'Admins only: a session, or a LIVE key with the admin scope.',
    authScopes: { admin: true },
    resolve: (_root, _args, { runtime }) => listWebhookEndpoints(runtime),
  }),
  webhookDeliveries: t.field({
    type: WebhookDeliveryConnection,
    description: 'Admins only: deliveries newest first, of one endpoint and/or one status.',
    authScopes: { admin: true },
    args: { endpointId: t.arg.id(), status: t.arg({ type: DeliveryStatus }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { endpointId, status, ...page }, { runtime }) =>
      listWebhookDeliveries(runtime, { endpointId: endpointId ? String(endpointId) : null, status: status ? (status.toLowerCase() as (typeof deliveryStatuses)[number]) : null }, page),
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreatedWebhookEndpoint,
    description: 'Admins only, with a session. The answer holds the signing secret, once.',
    authScopes: adminSession,
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: (_root, { input }, context) => createWebhookEndpoint(context.runtime, input, context.credentials.principal, context.client),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpoint,
    description: 'Admins only, with a session.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: (_root, { id, input }, context) => updateWebhookEndpoint(context.runtime, String(id), input, context.credentials.principal, context.client),
  }),
  rollWebhookSecret: t.field({
    type: CreatedWebhookEndpoint,
    description: 'Admins only, with a session: a new secret, shown once; the old one also signs for overlapSeconds (default a day).',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }), overlapSeconds: t.arg.int({ defaultValue: 86_400 }) },
    resolve: (_root, { id, overlapSeconds }, context) => rollWebhookSecret(context.runtime, String(id), overlapSeconds ?? 86_400, context.credentials.principal, context.client),
  }),
  deleteWebhookEndpoint: t.boolean({
    description: 'Admins only, with a session: the endpoint and its deliveries go.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => deleteWebhookEndpoint(context.runtime, String(id), context.credentials.principal, context.client),
  }),
  sendTestWebhook: t.field({
    type: WebhookDelivery,
    description: 'Admins only, with a session: a webhook.test event to this endpoint alone.',
    authScopes: adminSession,
    args: { endpointId: t.arg.id({ required: true }) },
    resolve: (_root, { endpointId }, context) => sendTestWebhook(context.runtime, String(endpointId), context.credentials.principal),
  }),
  redeliverWebhook: t.field({
    type: WebhookDelivery,
    description: 'Admins only, with a session: the delivery starts over from its first attempt.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => redeliverWebhook(context.runtime, String(id), context.credentials.principal, context.client),
  }),
}));
