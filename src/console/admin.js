// /admin/service-accounts: admins and owners create service accounts, mint their keys and roll them.
import { gql } from './api.js';
import { graceField, oldSecretNote, rollKey, rolledKeyFields } from './key-roll.js';
import { details, field, h, table, time } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';
import { chosenScopes, environmentSelect, isAdminRole, keyInput, rawKeyPanel, scopesFieldset } from './views.js';

const serviceAccountScopes = ['account:read', 'tokens:read', 'admin'];

export async function serviceAccountsView({ announce, me, rerender }) {
  if (!isAdminRole(me.role)) {
    return [
      heading('Service accounts'),
      h('p', {}, 'Only admins and owners manage service accounts. An owner makes an account admin with the ',
        h('code', {}, 'setUserRole'), ' mutation; the server’s operator with ',
        h('code', {}, 'npm run admin -- grant <username>'), '.'),
    ];
  }
  const { serviceAccounts } = await gql(
    `query ConsoleServiceAccounts { serviceAccounts { id name description role scopes createdAt apiKeys { ${rolledKeyFields} } } }`,
  );
  const newKeySlot = h('div');
  const errors = errorBox();
  const isOwner = me.role === 'OWNER';
  const create = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Create a service account'),
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' }), 'A program, e.g. "ticketing-bridge".'),
    field('Description (optional)', h('input', { name: 'description', maxlength: 500, autocomplete: 'off' })),
    field(
      'Role',
      h('select', { name: 'role' }, h('option', { value: 'USER' }, 'User'), h('option', { value: 'ADMIN', disabled: !isOwner }, 'Admin')),
      isOwner ? null : 'Only an owner gives the Admin role.',
    ),
    scopesFieldset(serviceAccountScopes, 'Scopes', 'The most its keys can hold (tick at least one); admin needs the Admin role.'),
    errors,
    h('button', { type: 'submit' }, 'Create service account'),
  );
  onSubmit(create, errors, async (data) => {
    const description = String(data.get('description')).trim();
    const { createServiceAccount } = await gql(
      'mutation ConsoleCreateServiceAccount($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name } }',
      { input: { name: String(data.get('name')).trim(), role: data.get('role'), scopes: chosenScopes(data), ...(description ? { description } : {}) } },
    );
    announce(`Service account "${createServiceAccount.name}" created.`);
    await rerender();
  });

  return [
    heading('Service accounts'),
    h('p', {}, 'Non-human accounts for integrations. Their keys do not expire unless you set a date; roll a key to replace its secret, revoke one from its page.'),
    newKeySlot,
    serviceAccounts.length === 0 ? h('p', {}, 'No service accounts yet.') : serviceAccounts.map((account) => serviceAccountCard(account, newKeySlot, announce)),
    create,
  ];
}

const graceIsRunning = (key) => key.previousSecretExpiresAt && new Date(key.previousSecretExpiresAt) > new Date();

function keyStatus(key) {
  if (key.revokedAt) return 'revoked';
  if (!key.isActive) return 'expired';
  return graceIsRunning(key) ? ['active', h('br'), h('span', { class: 'hint' }, 'old secret until ', time(key.previousSecretExpiresAt))] : 'active';
}

function serviceAccountCard(account, newKeySlot, announce) {
  const titleId = `sa-${account.id}`;
  const keys = h('div');
  const keyToRoll = h('select', { name: 'keyId', required: true });
  const roll = rollForm(account, keyToRoll, (rolled, rawKey) => {
    account.apiKeys = account.apiKeys.map((key) => (key.id === rolled.id ? rolled : key));
    showKeys();
    newKeySlot.replaceChildren(rawKeyPanel(rawKey, announce, oldSecretNote(rolled)));
    announce(`Key "${rolled.name}" rolled.`);
  });
  const showKeys = () => {
    const active = account.apiKeys.filter((key) => key.isActive && !key.revokedAt);
    keyToRoll.replaceChildren(...active.map((key) => h('option', { value: key.id }, `${key.name} (${key.prefix}…)`)));
    rolling.hidden = active.length === 0;
    keys.replaceChildren(
      account.apiKeys.length === 0
        ? h('p', {}, 'No keys yet.')
        : table(
            `Keys of ${account.name}`,
            ['Name', 'Prefix', 'Environment', 'Created', 'Last used', 'Status'],
            account.apiKeys.map((key) => [
              h('a', { href: `/console/keys/${encodeURIComponent(key.id)}` }, key.name),
              h('code', {}, key.prefix),
              key.environment.toLowerCase(),
              time(key.createdAt),
              time(key.lastUsedAt),
              keyStatus(key),
            ]),
          ),
    );
  };
  const rolling = h(
    'div',
    {},
    h('h3', {}, 'Roll a key'),
    h('p', { class: 'hint' }, 'Gives the key a new secret; its name, scopes and activity stay. The old secret works for the grace period you choose.'),
    roll,
  );
  showKeys();
  const errors = errorBox();
  const create = h(
    'form',
    { method: 'post', class: 'inline' },
    field(`New key name for ${account.name}`, h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' })),
    field('Environment', environmentSelect()),
    field('Expires on (optional)', h('input', { type: 'date', name: 'expiresOn' })),
    errors,
    h('button', { type: 'submit' }, 'Create key'),
  );
  onSubmit(create, errors, async (data) => {
    const { createServiceAccountKey } = await gql(
      `mutation ConsoleCreateServiceAccountKey($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey apiKey { ${rolledKeyFields} } } }`,
      { id: account.id, input: keyInput(data) },
    );
    create.reset();
    account.apiKeys.unshift(createServiceAccountKey.apiKey);
    showKeys();
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
    h('h3', {}, 'Create a key'),
    create,
    rolling,
  );
}

/** Rolls one of a service account's keys, chosen in `keyToRoll`. */
function rollForm(account, keyToRoll, onRolled) {
  const errors = errorBox();
  const form = h('form', { method: 'post', class: 'inline' }, field(`Key of ${account.name} to roll`, keyToRoll), graceField(), errors, h('button', { type: 'submit' }, 'Roll key'));
  onSubmit(form, errors, async (data) => {
    const keyId = String(data.get('keyId'));
    const name = account.apiKeys.find((key) => key.id === keyId)?.name;
    const rolled = await rollKey(keyId, name, Number(data.get('gracePeriodSeconds')));
    if (rolled) onRolled(rolled.apiKey, rolled.rawKey);
  });
  return form;
}
