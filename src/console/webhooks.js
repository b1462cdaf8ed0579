// /admin/webhooks: admins register endpoints, see each delivery's status, attempts and answer, send a test event, redeliver.
import { gql, isAdminRole } from './api.js';
import { t } from './i18n.js';
import { SecretPanel } from './key-parts.js';
import { html, useState } from './preact.js';
import { DataTable, ErrorText, Field, Heading, TickedChoices, Time, useAction, useLoaded } from './ui.js';

const endpointFields = 'id url events description enabled disabledReason failingSince createdAt';
const deliveryFields = 'id eventType status attempts lastStatusCode lastError lastAttemptAt nextAttemptAt';

export function WebhooksPage({ context: { announce, me, rerender }, version }) {
  const allowed = isAdminRole(me.role);
  const { value } = useLoaded(
    () => (allowed ? gql(`query ConsoleWebhooks { webhookEndpoints { ${endpointFields} } webhookEventTypes { name description } }`) : Promise.resolve(null)),
    [version],
  );
  const [secret, setSecret] = useState(null);
  const { error, busy, onSubmit } = useAction(async (data) => {
    const chosen = data.getAll('events').map(String);
    if (data.get('eventMode') === 'chosen' && chosen.length === 0) throw new Error(t('webhooks.tickOne'));
    const description = String(data.get('description')).trim();
    const { createWebhookEndpoint } = await gql(
      `mutation ConsoleCreateWebhookEndpoint($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${endpointFields} } } }`,
      { input: { url: String(data.get('url')).trim(), events: data.get('eventMode') === 'every' ? ['*'] : chosen, ...(description ? { description } : {}) } },
    );
    await rerender();
    announce(t('webhooks.added'));
    setSecret(createWebhookEndpoint.secret);
  });
  if (!allowed) return html`<${Heading}>${t('nav.webhooks')}<//><p>${t('webhooks.onlyAdmins')}</p>`;
  if (!value) return html`<p>${t('loading')}</p>`;
  const { webhookEndpoints, webhookEventTypes } = value;
  return html`
    <${Heading}>${t('nav.webhooks')}<//>
    <p>${t('webhooks.intro')}</p>
    ${secret && html`<${SecretPanel}
      announce=${announce}
      secret=${secret}
      title=${t('webhooks.copyNow')}
      label=${t('webhooks.secret')}
      what=${t('webhooks.secretWhat')}
      warning=${t('webhooks.onlyOnce')}
    />`}
    ${webhookEndpoints.length === 0
      ? html`<p>${t('webhooks.none')}</p>`
      : webhookEndpoints.map((endpoint) => html`<${EndpointCard} key=${`${endpoint.id}-${version}`} endpoint=${endpoint} announce=${announce} rerender=${rerender} />`)}
    <form method="post" class="card" onSubmit=${onSubmit} key=${version}>
      <h2>${t('webhooks.addTitle')}</h2>
      <${Field} label=${t('webhooks.url')} hint=${t('webhooks.urlHint')} name="url" type="url" required maxlength="2048" autocomplete="off" placeholder="https://" />
      <${Field} label=${t('sa.description')} name="description" maxlength="500" autocomplete="off" />
      <${TickedChoices}
        legend=${t('webhooks.events')}
        name="events"
        modeName="eventMode"
        choices=${webhookEventTypes.map((type) => [type.name, type.description])}
        every=${t('webhooks.everyEvent')}
        only=${t('webhooks.onlyTicked')}
      />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('webhooks.add')}</button>
    </form>`;
}

function EndpointState({ endpoint }) {
  if (endpoint.enabled) return endpoint.failingSince ? html`${t('webhooks.failingSince')} <${Time} iso=${endpoint.failingSince} />` : t('webhooks.enabled');
  return t(endpoint.disabledReason === 'failing' ? 'webhooks.disabledFailing' : 'webhooks.disabled');
}

const deliveryOutcome = (delivery) => (delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : delivery.lastError ?? '—');

function EndpointCard({ endpoint, announce, rerender }) {
  const { value } = useLoaded(
    () => gql(`query ConsoleWebhookDeliveries($id: ID!) { webhookDeliveries(endpointId: $id, first: 20) { nodes { ${deliveryFields} } } }`, { id: endpoint.id }),
    [endpoint.id],
  );
  const { busy, run } = useAction();
  const act = (work) => () => run(async () => {
    announce(await work());
    await rerender();
  });
  const toggle = act(async () => {
    await gql('mutation ConsoleToggleWebhookEndpoint($id: ID!, $enabled: Boolean!) { updateWebhookEndpoint(id: $id, input: { enabled: $enabled }) { id } }', { id: endpoint.id, enabled: !endpoint.enabled });
    return t(endpoint.enabled ? 'webhooks.disabledMessage' : 'webhooks.enabledMessage');
  });
  const test = act(async () => {
    await gql('mutation ConsoleSendTestWebhook($id: ID!) { sendTestWebhook(endpointId: $id) { id } }', { id: endpoint.id });
    return t('webhooks.testSent');
  });
  const redeliver = (delivery) => act(async () => {
    await gql('mutation ConsoleRedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id } }', { id: delivery.id });
    return t('webhooks.redelivered', { event: delivery.eventType });
  });
  const deliveries = value?.webhookDeliveries.nodes;
  const titleId = `endpoint-${endpoint.id}`;
  const columns = [t('activity.event'), t('key.status'), t('webhooks.attempts'), t('webhooks.lastAnswer'), t('webhooks.lastAttempt'), t('webhooks.nextAttempt'), ''];
  return html`
    <section class="card" aria-labelledby=${titleId}>
      <h2 id=${titleId}><code>${endpoint.url}</code></h2>
      ${endpoint.description && html`<p>${endpoint.description}</p>`}
      <p>${t('webhooks.eventsAre')} ${endpoint.events.includes('*') ? t('webhooks.everyEventShort') : endpoint.events.join(', ')}. ${t('webhooks.state')} <${EndpointState} endpoint=${endpoint} />.</p>
      <p class="actions">
        <button type="button" disabled=${busy} onClick=${test}>${t('webhooks.sendTest')}</button>${' '}
        <button type="button" disabled=${busy} onClick=${toggle}>${t(endpoint.enabled ? 'webhooks.disable' : 'webhooks.enable')}</button>
      </p>
      ${!deliveries ? html`<p>${t('loading')}</p>` : deliveries.length === 0
        ? html`<p>${t('webhooks.noDeliveries')}</p>`
        : html`<${DataTable} caption=${t('webhooks.latest', { url: endpoint.url })} columns=${columns} rows=${deliveries.map((delivery) => [
            delivery.eventType,
            delivery.status.toLowerCase(),
            String(delivery.attempts),
            deliveryOutcome(delivery),
            html`<${Time} iso=${delivery.lastAttemptAt} />`,
            html`<${Time} iso=${delivery.nextAttemptAt} />`,
            endpoint.enabled && delivery.status !== 'PENDING' ? html`<button type="button" disabled=${busy} onClick=${redeliver(delivery)}>${t('webhooks.redeliver')}</button>` : '',
          ])} />`}
    </section>`;
}
