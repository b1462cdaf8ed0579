// /admin/webhooks: admins register endpoints, see each delivery's status, attempts and answer, send a test event, redeliver.
import { gql, isAdminRole } from './api.js';
import { field, h, table, time } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';
import { SecretPanel } from './key-parts.js';
import { html } from './preact.js';
import { mounted } from './ui.js';

const endpointFields = 'id url events description enabled disabledReason failingSince createdAt';
const deliveryFields = 'id eventType status attempts lastStatusCode lastError lastAttemptAt nextAttemptAt';

export async function webhooksView({ announce, me, rerender }) {
  if (!isAdminRole(me.role)) {
    return [heading('Webhooks'), h('p', {}, 'Only admins and owners manage webhook endpoints.')];
  }
  const { webhookEndpoints, webhookEventTypes } = await gql(`query ConsoleWebhooks { webhookEndpoints { ${endpointFields} } webhookEventTypes { name description } }`);
  const secretSlot = h('div');
  const errors = errorBox();
  const eventBoxes = webhookEventTypes.map((type) =>
    h('label', { class: 'check', title: type.description }, h('input', { type: 'checkbox', name: 'events', value: type.name }), ` ${type.name}`),
  );
  const events = h(
    'fieldset',
    {},
    h('legend', {}, 'Events'),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'eventMode', value: 'every', checked: true }), ' Every event, also types added later'),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'eventMode', value: 'chosen' }), ' Only the events ticked below'),
    h('div', { class: 'indent' }, eventBoxes),
  );
  events.addEventListener('change', (event) => event.target.name === 'events' && (events.querySelector('input[value=chosen]').checked = true));
  const create = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Add an endpoint'),
    field('URL', h('input', { name: 'url', type: 'url', required: true, maxlength: 2048, autocomplete: 'off', placeholder: 'https://' }), 'Where each event is POSTed, signed (Standard Webhooks).'),
    field('Description (optional)', h('input', { name: 'description', maxlength: 500, autocomplete: 'off' })),
    events,
    errors,
    h('button', { type: 'submit' }, 'Add endpoint'),
  );
  onSubmit(create, errors, async (data) => {
    const chosen = data.getAll('events').map(String);
    if (data.get('eventMode') === 'chosen' && chosen.length === 0) throw new Error('Tick at least one event, or choose every event.');
    const description = String(data.get('description')).trim();
    const { createWebhookEndpoint } = await gql(
      `mutation ConsoleCreateWebhookEndpoint($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${endpointFields} } } }`,
      { input: { url: String(data.get('url')).trim(), events: data.get('eventMode') === 'every' ? ['*'] : chosen, ...(description ? { description } : {}) } },
    );
    await rerender();
    announce('Endpoint added.');
    document.querySelector('[data-secret-slot]')?.replaceChildren(signingSecretPanel(createWebhookEndpoint.secret, announce));
  });
  secretSlot.dataset.secretSlot = '';
  return [
    heading('Webhooks'),
    h('p', {}, 'Each event is delivered at least once, signed with the endpoint’s secret; a failed delivery is tried again for about a day. Receivers dedupe on the webhook-id header.'),
    secretSlot,
    webhookEndpoints.length === 0 ? h('p', {}, 'No endpoints yet.') : await Promise.all(webhookEndpoints.map((endpoint) => endpointCard(endpoint, announce, rerender))),
    create,
  ];
}

function signingSecretPanel(secret, announce) {
  return mounted(html`<${SecretPanel}
    announce=${announce}
    secret=${secret}
    title="Copy the signing secret now"
    label="Signing secret"
    what="signing secret"
    warning="This is the only time the secret is shown. Give it to the receiver, which verifies each delivery with it."
  />`);
}

function endpointState(endpoint) {
  if (endpoint.enabled) return endpoint.failingSince ? ['enabled, failing since ', time(endpoint.failingSince)] : 'enabled';
  return endpoint.disabledReason === 'failing' ? 'disabled: every delivery failed for about a day' : 'disabled';
}

function deliveryOutcome(delivery) {
  if (delivery.lastStatusCode) return `HTTP ${delivery.lastStatusCode}`;
  return delivery.lastError ?? '—';
}

async function endpointCard(endpoint, announce, rerender) {
  const { webhookDeliveries } = await gql(
    `query ConsoleWebhookDeliveries($id: ID!) { webhookDeliveries(endpointId: $id, first: 20) { nodes { ${deliveryFields} } } }`,
    { id: endpoint.id },
  );
  const act = (label, run) =>
    h('button', {
      type: 'button',
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          announce(await run());
          await rerender();
        } finally {
          event.target.disabled = false;
        }
      },
    }, label);
  const toggle = act(endpoint.enabled ? 'Disable' : 'Enable', async () => {
    await gql('mutation ConsoleToggleWebhookEndpoint($id: ID!, $enabled: Boolean!) { updateWebhookEndpoint(id: $id, input: { enabled: $enabled }) { id } }', { id: endpoint.id, enabled: !endpoint.enabled });
    return endpoint.enabled ? 'Endpoint disabled: its deliveries wait.' : 'Endpoint enabled.';
  });
  const test = act('Send test event', async () => {
    await gql('mutation ConsoleSendTestWebhook($id: ID!) { sendTestWebhook(endpointId: $id) { id } }', { id: endpoint.id });
    return 'Test event sent.';
  });
  const redeliver = (delivery) =>
    act('Redeliver', async () => {
      await gql('mutation ConsoleRedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id } }', { id: delivery.id });
      return `Delivery of ${delivery.eventType} sent again.`;
    });
  const deliveries = webhookDeliveries.nodes;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `endpoint-${endpoint.id}` },
    h('h2', { id: `endpoint-${endpoint.id}` }, h('code', {}, endpoint.url)),
    endpoint.description && h('p', {}, endpoint.description),
    h('p', {}, 'Events: ', endpoint.events.includes('*') ? 'every event' : endpoint.events.join(', '), '. State: ', endpointState(endpoint), '.'),
    h('p', { class: 'actions' }, test, ' ', toggle),
    deliveries.length === 0
      ? h('p', {}, 'No deliveries yet.')
      : table(
          `Latest deliveries to ${endpoint.url}`,
          ['Event', 'Status', 'Attempts', 'Last answer', 'Last attempt', 'Next attempt', ''],
          deliveries.map((delivery) => [
            delivery.eventType,
            delivery.status.toLowerCase(),
            String(delivery.attempts),
            deliveryOutcome(delivery),
            time(delivery.lastAttemptAt),
            time(delivery.nextAttemptAt),
            endpoint.enabled && delivery.status !== 'PENDING' ? redeliver(delivery) : '',
          ]),
        ),
  );
}
