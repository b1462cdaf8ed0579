// /admin/service-accounts: admins and owners create service accounts, mint their keys and roll them.
import { gql, isAdminRole } from './api.js';
import { t } from './i18n.js';
import { chosenScopes, EnvironmentField, GraceField, keyInput, OldSecretNote, RawKeyPanel, rolledKeyFields, rollKey, ScopesFieldset } from './key-parts.js';
import { html, useState } from './preact.js';
import { DataTable, Details, ErrorText, Field, Heading, Time, useAction, useLoaded } from './ui.js';

const serviceAccountScopes = ['account:read', 'tokens:read', 'admin'];

export function ServiceAccountsPage({ context, version }) {
  const { announce, me, rerender } = context;
  const allowed = isAdminRole(me.role);
  const { value } = useLoaded(
    () => (allowed ? gql(`query ConsoleServiceAccounts { serviceAccounts { id name description role scopes createdAt apiKeys { ${rolledKeyFields} } } }`) : Promise.resolve(null)),
    [version],
  );
  // The secret just made or rolled, shown once above the cards.
  const [secret, setSecret] = useState(null);
  const isOwner = me.role === 'OWNER';
  const { error, busy, onSubmit } = useAction(async (data) => {
    const description = String(data.get('description')).trim();
    const { createServiceAccount } = await gql(
      'mutation ConsoleCreateServiceAccount($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name } }',
      { input: { name: String(data.get('name')).trim(), role: data.get('role'), scopes: chosenScopes(data), ...(description ? { description } : {}) } },
    );
    setSecret(null);
    announce(t('sa.created', { name: createServiceAccount.name }));
    await rerender();
  });
  if (!allowed) {
    return html`
      <${Heading}>${t('nav.serviceAccounts')}<//>
      <p>${t('sa.onlyAdmins')} <code>setUserRole</code> ${t('sa.onlyAdminsOperator')} <code>${'npm run admin -- grant <username>'}</code>.</p>`;
  }
  if (!value) return html`<p>${t('loading')}</p>`;
  const { serviceAccounts } = value;
  return html`
    <${Heading}>${t('nav.serviceAccounts')}<//>
    <p>${t('sa.intro')}</p>
    ${secret && html`<${RawKeyPanel} rawKey=${secret.rawKey} announce=${announce} note=${secret.rolled && html`<${OldSecretNote} rolled=${secret.rolled} />`} />`}
    ${serviceAccounts.length === 0
      ? html`<p>${t('sa.none')}</p>`
      : serviceAccounts.map((account) => html`<${ServiceAccountCard} key=${account.id} account=${account} announce=${announce} showSecret=${setSecret} />`)}
    <form method="post" class="card" onSubmit=${onSubmit} key=${version}>
      <h2>${t('sa.createTitle')}</h2>
      <${Field} label=${t('field.name')} hint=${t('sa.nameHint')} name="name" required maxlength="100" autocomplete="off" />
      <${Field} label=${t('sa.description')} name="description" maxlength="500" autocomplete="off" />
      <${Field} as="select" label=${t('account.role')} hint=${isOwner ? null : t('sa.onlyOwnerAdmin')} name="role">
        <option value="USER">${t('sa.roleUser')}</option>
        <option value="ADMIN" disabled=${!isOwner}>${t('sa.roleAdmin')}</option>
      <//>
      <${ScopesFieldset} choices=${serviceAccountScopes} legend=${t('key.scopes')} hint=${t('sa.scopesHint')} />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('sa.create')}</button>
    </form>`;
}

const graceIsRunning = (key) => key.previousSecretExpiresAt && new Date(key.previousSecretExpiresAt) > new Date();

function KeyStatus({ apiKey }) {
  if (apiKey.revokedAt) return t('key.revoked');
  if (!apiKey.isActive) return t('key.expired');
  if (!graceIsRunning(apiKey)) return t('key.active');
  return html`${t('key.active')}<br /><span class="hint">${t('sa.oldSecretUntil')} <${Time} iso=${apiKey.previousSecretExpiresAt} /></span>`;
}

function ServiceAccountCard({ account, announce, showSecret }) {
  const [keys, setKeys] = useState(account.apiKeys);
  const titleId = `sa-${account.id}`;
  const create = useAction(async (data, form) => {
    const { createServiceAccountKey } = await gql(
      `mutation ConsoleCreateServiceAccountKey($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey apiKey { ${rolledKeyFields} } } }`,
      { id: account.id, input: keyInput(data) },
    );
    form.reset();
    setKeys((current) => [createServiceAccountKey.apiKey, ...current]);
    showSecret({ rawKey: createServiceAccountKey.rawKey });
    announce(t('sa.keyCreated', { name: createServiceAccountKey.apiKey.name, account: account.name }));
  });
  const roll = useAction(async (data) => {
    const keyId = String(data.get('keyId'));
    const rolled = await rollKey(keyId, keys.find((key) => key.id === keyId)?.name, Number(data.get('gracePeriodSeconds')));
    if (!rolled) return;
    setKeys((current) => current.map((key) => (key.id === rolled.apiKey.id ? rolled.apiKey : key)));
    showSecret({ rawKey: rolled.rawKey, rolled: rolled.apiKey });
    announce(t('key.rolled', { name: rolled.apiKey.name }));
  });
  const active = keys.filter((key) => key.isActive && !key.revokedAt);
  const columns = [t('field.name'), t('key.prefix'), t('key.environment'), t('key.createdColumn'), t('sessions.lastUsed'), t('key.status')];
  return html`
    <section class="card" aria-labelledby=${titleId}>
      <h2 id=${titleId}>${account.name}</h2>
      <${Details} pairs=${[
        [t('sa.descriptionTerm'), account.description ?? '—'],
        [t('account.role'), account.role],
        [t('key.scopes'), account.scopes.join(', ') || t('key.noneValue')],
        [t('key.createdColumn'), html`<${Time} iso=${account.createdAt} />`],
      ]} />
      ${keys.length === 0
        ? html`<p>${t('key.none')}</p>`
        : html`<${DataTable} caption=${t('sa.keysOf', { name: account.name })} columns=${columns} rows=${keys.map((key) => [
            html`<a href=${`/console/keys/${encodeURIComponent(key.id)}`}>${key.name}</a>`,
            html`<code>${key.prefix}</code>`,
            key.environment.toLowerCase(),
            html`<${Time} iso=${key.createdAt} />`,
            html`<${Time} iso=${key.lastUsedAt} />`,
            html`<${KeyStatus} apiKey=${key} />`,
          ])} />`}
      <h3>${t('key.createTitle')}</h3>
      <form method="post" class="inline" onSubmit=${create.onSubmit}>
        <${Field} label=${t('sa.newKeyName', { name: account.name })} name="name" required maxlength="100" autocomplete="off" />
        <${EnvironmentField} />
        <${Field} label=${t('key.expiresOptional')} type="date" name="expiresOn" />
        <${ErrorText} error=${create.error} />
        <button type="submit" disabled=${create.busy}>${t('key.create')}</button>
      </form>
      ${active.length > 0 && html`
        <div>
          <h3>${t('sa.rollTitle')}</h3>
          <p class="hint">${t('roll.what')}</p>
          <form method="post" class="inline" onSubmit=${roll.onSubmit}>
            <${Field} as="select" label=${t('sa.keyToRoll', { name: account.name })} name="keyId" required>
              ${active.map((key) => html`<option value=${key.id}>${key.name} (${key.prefix}…)</option>`)}
            <//>
            <${GraceField} />
            <${ErrorText} error=${roll.error} />
            <button type="submit" disabled=${roll.busy}>${t('roll.submit')}</button>
          </form>
        </div>`}
    </section>`;
}
