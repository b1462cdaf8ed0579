// The API keys pages: create a key (scopes, permissions, expiry, limits), the list, and one
// key's page (details, settings, roll with a grace period, revoke, usage and activity).
import { gql, isAdminRole } from './api.js';
import { t } from './i18n.js';
import {
  chosenScopes, declaredPermissions, endOfDay, EnvironmentField, GraceField, keyInput, keyStatus, LimitFields, OldSecretNote,
  PermissionsFieldset, RawKeyPanel, rollKey, ScopesFieldset, settingsInput,
} from './key-parts.js';
import { html, useState } from './preact.js';
import { ActivityLog } from './sessions.js';
import { DataTable, Details, ErrorText, Field, Heading, Time, useAction, useLoaded } from './ui.js';
import { UsageChart } from './usage-chart.js';

export function KeysPage({ context: { announce, me } }) {
  const [listVersion, setListVersion] = useState(0);
  const [created, setCreated] = useState(null);
  const { value: permissionChoices } = useLoaded(declaredPermissions, []);
  const { error, busy, onSubmit } = useAction(async (data) => {
    const { rateLimit, usage, permissions } = settingsInput(data, { withPermissions: permissionChoices.length > 0 });
    const { createApiKey } = await gql(
      'mutation ConsoleCreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { rawKey apiKey { id name } } }',
      { input: { ...keyInput(data, chosenScopes(data)), ...(permissions?.length ? { permissions } : {}), ...(rateLimit ? { rateLimit } : {}), ...(usage ? { usage } : {}) } },
    );
    setListVersion((count) => count + 1);
    setCreated(createApiKey.rawKey);
    announce(t('key.created', { name: createApiKey.apiKey.name }));
  });
  if (!permissionChoices) return html`<p>${t('loading')}</p>`;
  const scopes = ['account:read', 'tokens:read', ...(isAdminRole(me.role) ? ['admin'] : [])];
  return html`
    <${Heading}>${t('nav.keys')}<//>
    ${created && html`<${RawKeyPanel} rawKey=${created} announce=${announce} />`}
    <form method="post" class="card" onSubmit=${onSubmit} key=${listVersion}>
      <h2>${t('key.createTitle')}</h2>
      <${Field} label=${t('field.name')} hint=${t('key.nameHint')} name="name" required maxlength="100" autocomplete="off" />
      <${EnvironmentField} hint=${t('key.environmentHint')} />
      <${ScopesFieldset} choices=${scopes} legend=${t('key.scopes')} every=${t('scopes.every')} />
      <${PermissionsFieldset} choices=${permissionChoices} />
      <${Field} label=${t('key.expiresOptional')} hint=${t('key.expiresHint')} type="date" name="expiresOn" />
      <${LimitFields} />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('key.create')}</button>
    </form>
    <${KeyList} version=${listVersion} />`;
}

function KeyList({ version }) {
  const [pages, setPages] = useState(1);
  const { value } = useLoaded(async () => {
    const nodes = [];
    let after = null;
    let hasNextPage = false;
    for (let page = 0; page < pages; page++) {
      const { apiKeys } = await gql(
        'query ConsoleKeys($after: String) { apiKeys(first: 50, after: $after) { nodes { id name prefix environment scopes createdAt lastUsedAt expiresAt revokedAt isActive } pageInfo { endCursor hasNextPage } } }',
        { after },
      );
      nodes.push(...apiKeys.nodes);
      ({ endCursor: after, hasNextPage } = apiKeys.pageInfo);
    }
    return { nodes, hasNextPage };
  }, [version, pages]);
  if (!value) return null;
  const columns = [t('field.name'), t('key.prefix'), t('key.environment'), t('key.scopes'), t('key.createdColumn'), t('sessions.lastUsed'), t('key.status')];
  return html`
    ${value.nodes.length === 0
      ? html`<p>${t('key.none')}</p>`
      : html`<${DataTable} caption=${t('key.listCaption')} columns=${columns} rows=${value.nodes.map((key) => [
          html`<a href=${`/console/keys/${encodeURIComponent(key.id)}`}>${key.name}</a>`,
          html`<code>${key.prefix}</code>`,
          key.environment.toLowerCase(),
          key.scopes?.join(', ') ?? t('key.allScopes'),
          html`<${Time} iso=${key.createdAt} />`,
          html`<${Time} iso=${key.lastUsedAt} />`,
          keyStatus(key),
        ])} />`}
    ${value.hasNextPage && html`<button type="button" onClick=${() => setPages((count) => count + 1)}>${t('key.more')}</button>`}`;
}

const keyQuery = 'query ConsoleKey($id: ID!) { apiKey(id: $id) { id name prefix environment scopes permissions rateLimit { limit windowSeconds } usage { limit refill } createdAt lastUsedAt expiresAt revokedAt isActive previousSecretExpiresAt owner { __typename ... on User { username } ... on ServiceAccount { name } } } }';

export function KeyPage({ args: [keyId], context, version }) {
  const { announce, rerender } = context;
  const { value } = useLoaded(async () => ({ permissionChoices: await declaredPermissions(), ...(await gql(keyQuery, { id: keyId })) }), [keyId, version]);
  const [rolled, setRolled] = useState(null);
  const revoking = useAction();
  const rolling = useAction(async (data) => {
    const result = await rollKey(key.id, key.name, Number(data.get('gracePeriodSeconds')));
    if (!result) return;
    setRolled(result);
    announce(t('key.rolled', { name: key.name }));
  });
  if (!value) return html`<p>${t('loading')}</p>`;
  const { apiKey: key, permissionChoices } = value;
  if (!key) return html`<${Heading}>${t('key.notFound')}<//><p><a href="/console/keys">${t('key.backToKeys')}</a></p>`;
  const revoke = () => revoking.run(async () => {
    if (!confirm(t('key.revokeQuestion', { name: key.name }))) return;
    await gql('mutation ConsoleRevokeKey($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
    announce(t('key.revokedMessage', { name: key.name }));
    await rerender();
  });
  const ofServiceAccount = key.owner.__typename === 'ServiceAccount';
  const graceRunning = key.previousSecretExpiresAt && Date.parse(key.previousSecretExpiresAt) > Date.now();
  return html`
    <${Heading}>${t('key.title', { name: key.name })}<//>
    <p><a href=${ofServiceAccount ? '/admin/service-accounts' : '/console/keys'}>${t('key.back')}</a></p>
    <${Details} pairs=${[
      [t('key.prefix'), html`<code>${key.prefix}</code>`],
      [t('key.owner'), ofServiceAccount ? t('key.serviceAccountOwner', { name: key.owner.name }) : key.owner.username],
      [t('key.environment'), key.environment.toLowerCase()],
      [t('key.scopes'), key.scopes?.join(', ') ?? t('key.ownersScopes')],
      [t('key.permissions'), key.permissions.join(', ') || t('key.noneValue')],
      [t('key.rateLimitTerm'), key.rateLimit ? t('key.rateLimitValue', { limit: key.rateLimit.limit, seconds: key.rateLimit.windowSeconds }) : t('key.plansRate')],
      [t('key.budgetTerm'), key.usage ? t(`key.budgetValue.${key.usage.refill}`, { limit: key.usage.limit }) : t('key.noneValue')],
      [t('key.status'), keyStatus(key)],
      [t('key.createdColumn'), html`<${Time} iso=${key.createdAt} />`],
      [t('sessions.lastUsed'), html`<${Time} iso=${key.lastUsedAt} />`],
      [t('sessions.expires'), key.expiresAt ? html`<${Time} iso=${key.expiresAt} />` : t('key.never')],
      [t('key.revokedTerm'), html`<${Time} iso=${key.revokedAt} />`],
      ...(graceRunning ? [[t('key.oldSecretUntil'), html`<${Time} iso=${key.previousSecretExpiresAt} />`]] : []),
    ]} />
    ${rolled && html`<${RawKeyPanel} rawKey=${rolled.rawKey} announce=${announce} note=${html`<${OldSecretNote} rolled=${rolled.apiKey} />`} />`}
    <${ErrorText} error=${revoking.error} />
    ${!key.revokedAt && html`
      <button type="button" class="danger" onClick=${revoke}>${t('key.revoke')}</button>
      <${KeySettings} key=${`${key.id}-${version}`} apiKey=${key} permissionChoices=${permissionChoices} context=${context} />
      <form method="post" class="card" onSubmit=${rolling.onSubmit}>
        <h2>${t('roll.title')}</h2>
        <p class="hint">${t('roll.what')}</p>
        <${GraceField} />
        <${ErrorText} error=${rolling.error} />
        <button type="submit" disabled=${rolling.busy}>${t('roll.submit')}</button>
      </form>`}
    <${UsageChart} keyId=${key.id} />
    <${ActivityLog} tokenId=${key.id} />`;
}

/** The key page's form: name, permissions, expiry and limits; widening them may ask for a recent sign-in. */
function KeySettings({ apiKey, permissionChoices, context: { announce, rerender } }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    const name = String(data.get('name')).trim();
    await gql('mutation ConsoleUpdateKey($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id } }', {
      id: apiKey.id,
      input: { name, expiresAt: endOfDay(String(data.get('expiresOn') ?? '')), ...settingsInput(data, { withPermissions: permissionChoices.length > 0 }) },
    });
    announce(t('key.saved', { name }));
    await rerender();
  });
  return html`
    <form method="post" class="card" onSubmit=${onSubmit}>
      <h2>${t('key.changeTitle')}</h2>
      <${Field} label=${t('field.name')} name="name" required maxlength="100" autocomplete="off" value=${apiKey.name} />
      <${PermissionsFieldset} choices=${permissionChoices} checked=${apiKey.permissions} />
      <${Field} label=${t('key.expiresOn')} hint=${t('key.expiresEmpty')} type="date" name="expiresOn" value=${apiKey.expiresAt ? apiKey.expiresAt.slice(0, 10) : ''} />
      <${LimitFields} apiKey=${apiKey} />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('key.save')}</button>
    </form>`;
}
