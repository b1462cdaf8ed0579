// The signed-in views: account, sessions, API keys, one key, and activity logs.
import { gql } from './api.js';
import { details, field, h, table, time } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';
import { graceField, oldSecretNote, rollKey } from './key-roll.js';
import { declaredPermissions, keySettingsForm, limitFields, permissionsFieldset, settingsInput } from './key-settings.js';
import { html } from './preact.js';
import { ActivityLog } from './sessions.js';
import { mounted } from './ui.js';
import { UsageChart } from './usage-chart.js';

/** Whether a role may act as an administrator (an owner can do all an admin can). */
export const isAdminRole = (role) => role === 'ADMIN' || role === 'OWNER';

/** The whole key, once: a warning, the key in a read-only field, and a copy button. Focus moves to it. */
export function rawKeyPanel(rawKey, announce, note = null) {
  return secretPanel(announce, {
    secret: rawKey,
    title: 'Copy the new key now',
    label: 'API key',
    what: 'key',
    warning: 'This is the only time the whole key is shown. Store it in a secret manager now: the server keeps only a hash of it. If it is lost, revoke it and create another.',
    note,
  });
}

/** A secret shown once (a key, a webhook signing secret), focused, with a copy button. */
export function secretPanel(announce, { secret, title: titleText, label, what, warning, note = null }) {
  const title = h('h2', { tabindex: -1 }, titleText);
  const input = h('input', { type: 'text', readonly: true, value: secret, class: 'mono', spellcheck: 'false', autocomplete: 'off' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      input.select();
      document.execCommand('copy');
    }
    announce(`${what[0].toUpperCase()}${what.slice(1)} copied to the clipboard.`);
  };
  const panel = h(
    'section',
    { class: 'once', 'aria-label': `New ${what}` },
    title,
    h('p', { class: 'warning' }, warning),
    note,
    field(label, input),
    h('button', { type: 'button', onclick: copy }, `Copy ${what}`),
  );
  queueMicrotask(() => title.focus());
  return panel;
}

const scopeChoices = (isAdmin) => ['account:read', 'tokens:read', ...(isAdmin ? ['admin'] : [])];

/**
 * Checkboxes for scopes in a fieldset. With `every` (a label), a choice comes first between
 * every scope the owner holds and only the ticked ones, so that nothing is left to guess.
 */
export function scopesFieldset(choices, legend, hint, every) {
  const boxes = choices.map((scope) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'scopes', value: scope }), ` ${scope}`));
  const modes = every && [
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'scopeMode', value: 'every', checked: true }), ` ${every}`),
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'scopeMode', value: 'chosen' }), ' Only the scopes ticked below'),
  ];
  const fieldset = h('fieldset', {}, h('legend', {}, legend), modes, h('div', { class: 'indent' }, boxes), hint && h('p', { class: 'hint' }, hint));
  // Ticking a scope means "only these".
  if (every) fieldset.addEventListener('change', (event) => event.target.name === 'scopes' && (fieldset.querySelector('input[value=chosen]').checked = true));
  return fieldset;
}

/** The ticked scopes; an empty choice is refused here rather than minting a key that can do nothing. */
export function chosenScopes(data) {
  if (data.get('scopeMode') === 'every') return undefined;
  const scopes = data.getAll('scopes').map(String);
  if (scopes.length === 0) throw new Error('Tick at least one scope: without one, a key cannot call anything.');
  return scopes;
}

/** A new key's input; `scopes` undefined: every scope its owner holds. */
export function keyInput(data, scopes) {
  const expiry = String(data.get('expiresOn') ?? '');
  return {
    name: String(data.get('name')).trim(),
    environment: String(data.get('environment') ?? 'LIVE'),
    ...(scopes ? { scopes } : {}),
    ...(expiry ? { expiresAt: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
  };
}

export function environmentSelect() {
  return h('select', { name: 'environment' }, h('option', { value: 'LIVE' }, 'Live'), h('option', { value: 'TEST' }, 'Test'));
}

const keyStatus = (key) => (key.revokedAt ? 'revoked' : key.isActive ? 'active' : 'expired');

export async function keysView({ announce, me }) {
  const permissionChoices = await declaredPermissions();
  const newKeySlot = h('div');
  const listSlot = h('div');
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Create a key'),
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' }), 'What uses it, e.g. "CI deploy".'),
    field('Environment', environmentSelect(), 'Test keys carry _test_ and never count as admin.'),
    scopesFieldset(scopeChoices(isAdminRole(me.role)), 'Scopes', null, 'Every scope you hold'),
    permissionsFieldset(permissionChoices),
    field('Expires on (optional)', h('input', { type: 'date', name: 'expiresOn' }), 'Without a date the key does not expire.'),
    limitFields(),
    errors,
    h('button', { type: 'submit' }, 'Create key'),
  );
  onSubmit(form, errors, async (data) => {
    const { rateLimit, usage, permissions } = settingsInput(data, { withPermissions: permissionChoices.length > 0 });
    const { createApiKey } = await gql(
      'mutation ConsoleCreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { rawKey apiKey { id name } } }',
      { input: { ...keyInput(data, chosenScopes(data)), ...(permissions?.length ? { permissions } : {}), ...(rateLimit ? { rateLimit } : {}), ...(usage ? { usage } : {}) } },
    );
    form.reset();
    listSlot.replaceChildren(await keyList());
    newKeySlot.replaceChildren(rawKeyPanel(createApiKey.rawKey, announce));
    announce(`Key "${createApiKey.apiKey.name}" created.`);
  });
  listSlot.append(await keyList());
  return [heading('API keys'), newKeySlot, form, listSlot];
}

async function keyList() {
  const nodes = [];
  let after = null;
  const container = h('div');
  const more = h('button', { type: 'button', onclick: () => load() }, 'Show more keys');
  const load = async () => {
    const { apiKeys } = await gql(
      'query ConsoleKeys($after: String) { apiKeys(first: 50, after: $after) { nodes { id name prefix environment scopes createdAt lastUsedAt expiresAt revokedAt isActive } pageInfo { endCursor hasNextPage } } }',
      { after },
    );
    nodes.push(...apiKeys.nodes);
    after = apiKeys.pageInfo.endCursor;
    more.hidden = !apiKeys.pageInfo.hasNextPage;
    container.replaceChildren(
      nodes.length === 0
        ? h('p', {}, 'No keys yet.')
        : table(
            'Your keys, newest first',
            ['Name', 'Prefix', 'Environment', 'Scopes', 'Created', 'Last used', 'Status'],
            nodes.map((key) => [
              h('a', { href: `/console/keys/${encodeURIComponent(key.id)}` }, key.name),
              h('code', {}, key.prefix),
              key.environment.toLowerCase(),
              key.scopes?.join(', ') ?? 'all',
              time(key.createdAt),
              time(key.lastUsedAt),
              keyStatus(key),
            ]),
          ),
      more,
    );
  };
  await load();
  return container;
}

export async function keyView({ announce, rerender }, keyId) {
  const permissionChoices = await declaredPermissions();
  const { apiKey: key } = await gql(
    'query ConsoleKey($id: ID!) { apiKey(id: $id) { id name prefix environment scopes permissions rateLimit { limit windowSeconds } usage { limit refill } createdAt lastUsedAt expiresAt revokedAt isActive previousSecretExpiresAt owner { __typename ... on User { username } ... on ServiceAccount { name } } } }',
    { id: keyId },
  );
  if (!key) return [heading('Key not found'), h('p', {}, h('a', { href: '/console/keys' }, 'Back to API keys'))];
  const errors = errorBox();
  const revoke = async () => {
    if (!confirm(`Revoke "${key.name}"? Anything using it is refused from its next request.`)) return;
    try {
      await gql('mutation ConsoleRevokeKey($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
    } catch (error) {
      return errors.show(error);
    }
    announce(`Key "${key.name}" revoked.`);
    await rerender();
  };
  const owner = key.owner.__typename === 'ServiceAccount' ? `service account ${key.owner.name}` : key.owner.username;
  const newKeySlot = h('div');
  const rollErrors = errorBox();
  const roll = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Roll this key'),
    h('p', { class: 'hint' }, 'Gives the key a new secret; its name, scopes and activity stay. The old secret works for the grace period you choose.'),
    graceField(),
    rollErrors,
    h('button', { type: 'submit' }, 'Roll key'),
  );
  onSubmit(roll, rollErrors, async (data) => {
    const rolled = await rollKey(key.id, key.name, Number(data.get('gracePeriodSeconds')));
    if (!rolled) return;
    newKeySlot.replaceChildren(rawKeyPanel(rolled.rawKey, announce, oldSecretNote(rolled.apiKey)));
    announce(`Key "${key.name}" rolled.`);
  });
  return [
    heading(`Key "${key.name}"`),
    h('p', {}, h('a', { href: key.owner.__typename === 'ServiceAccount' ? '/admin/service-accounts' : '/console/keys' }, 'Back to keys')),
    details([
      ['Prefix', h('code', {}, key.prefix)],
      ['Owner', owner],
      ['Environment', key.environment.toLowerCase()],
      ['Scopes', key.scopes?.join(', ') ?? 'all of its owner’s'],
      ['Permissions', key.permissions.join(', ') || 'none'],
      ['Rate limit', key.rateLimit ? `${key.rateLimit.limit} requests per ${key.rateLimit.windowSeconds} s` : 'the plan’s'],
      ['Usage budget', key.usage ? `${key.usage.limit} per ${key.usage.refill === 'DAILY' ? 'day' : 'month'}` : 'none'],
      ['Status', keyStatus(key)],
      ['Created', time(key.createdAt)],
      ['Last used', time(key.lastUsedAt)],
      ['Expires', key.expiresAt ? time(key.expiresAt) : 'never'],
      ['Revoked', time(key.revokedAt)],
      ...(key.previousSecretExpiresAt && Date.parse(key.previousSecretExpiresAt) > Date.now() ? [['Old secret works until', time(key.previousSecretExpiresAt)]] : []),
    ]),
    newKeySlot,
    errors,
    key.revokedAt ? null : h('button', { type: 'button', class: 'danger', onclick: revoke }, 'Revoke key'),
    key.revokedAt ? null : keySettingsForm(key, permissionChoices, { announce, rerender }),
    key.revokedAt ? null : roll,
    mounted(html`<${UsageChart} keyId=${key.id} />`),
    mounted(html`<${ActivityLog} tokenId=${key.id} />`),
  ];
}
