// /admin/service-accounts: admins create service accounts and mint their keys.
import { gql } from './api.js';
import { details, field, h, table, time } from './dom.js';
import { environmentSelect, errorBox, heading, keyInput, onSubmit, rawKeyPanel, scopesFieldset } from './views.js';

const serviceAccountScopes = ['account:read', 'tokens:read', 'admin'];

export async function serviceAccountsView({ announce, me, rerender }) {
  if (me.role !== 'ADMIN') {
    return [
      heading('Service accounts'),
      h('p', {}, 'Only admins manage service accounts. An operator makes an account admin from the server’s shell with ',
        h('code', {}, 'npm run admin -- grant <username>'), '.'),
    ];
  }
  const { serviceAccounts } = await gql(
    'query ConsoleServiceAccounts { serviceAccounts { id name description role scopes createdAt apiKeys { id name prefix environment createdAt lastUsedAt revokedAt isActive } } }',
  );
  const newKeySlot = h('div');
  const errors = errorBox();
  const create = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Create a service account'),
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' }), 'A program, e.g. "ticketing-bridge".'),
    field('Description (optional)', h('input', { name: 'description', maxlength: 500, autocomplete: 'off' })),
    field('Role', h('select', { name: 'role' }, h('option', { value: 'USER' }, 'User'), h('option', { value: 'ADMIN' }, 'Admin'))),
    scopesFieldset(serviceAccountScopes, 'Scopes', 'The most its keys can hold; admin needs the Admin role.'),
    errors,
    h('button', { type: 'submit' }, 'Create service account'),
  );
  onSubmit(create, errors, async (data) => {
    const description = String(data.get('description')).trim();
    const { createServiceAccount } = await gql(
      'mutation ConsoleCreateServiceAccount($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name } }',
      { input: { name: String(data.get('name')).trim(), role: data.get('role'), scopes: data.getAll('scopes'), ...(description ? { description } : {}) } },
    );
    announce(`Service account "${createServiceAccount.name}" created.`);
    await rerender();
  });

  return [
    heading('Service accounts'),
    h('p', {}, 'Non-human accounts for integrations. Their keys do not expire unless you set a date; revoke one from its page.'),
    newKeySlot,
    serviceAccounts.length === 0 ? h('p', {}, 'No service accounts yet.') : serviceAccounts.map((account) => serviceAccountCard(account, newKeySlot, announce)),
    create,
  ];
}

function serviceAccountCard(account, newKeySlot, announce) {
  const titleId = `sa-${account.id}`;
  const errors = errorBox();
  const keys = h('div');
  const showKeys = (apiKeys) =>
    keys.replaceChildren(
      apiKeys.length === 0
        ? h('p', {}, 'No keys yet.')
        : table(
            `Keys of ${account.name}`,
            ['Name', 'Prefix', 'Environment', 'Created', 'Last used', 'Status'],
            apiKeys.map((key) => [
              h('a', { href: `/console/keys/${encodeURIComponent(key.id)}` }, key.name),
              h('code', {}, key.prefix),
              key.environment.toLowerCase(),
              time(key.createdAt),
              time(key.lastUsedAt),
              key.revokedAt ? 'revoked' : key.isActive ? 'active' : 'expired',
            ]),
          ),
    );
  showKeys(account.apiKeys);
  const form = h(
    'form',
    { method: 'post', class: 'inline' },
    field(`New key name for ${account.name}`, h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' })),
    field('Environment', environmentSelect()),
    field('Expires on (optional)', h('input', { type: 'date', name: 'expiresOn' })),
    errors,
    h('button', { type: 'submit' }, 'Create key'),
  );
  onSubmit(form, errors, async (data) => {
    const { createServiceAccountKey } = await gql(
      'mutation ConsoleCreateServiceAccountKey($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey apiKey { id name prefix environment createdAt lastUsedAt revokedAt isActive } } }',
      { id: account.id, input: keyInput(data) },
    );
    form.reset();
    account.apiKeys.unshift(createServiceAccountKey.apiKey);
    showKeys(account.apiKeys);
    newKeySlot.replaceChildren(rawKeyPanel(createServiceAccountKey.rawKey, announce));
    announce(`Key "${createServiceAccountKey.apiKey.name}" created for ${account.name}.`);
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, account.name),
    details([
      ['Description', account.description ?? '—'],
      ['Role', account.role],
      ['Scopes', account.scopes.join(', ') || 'none'],
      ['Created', time(account.createdAt)],
    ]),
    keys,
    form,
  );
}
