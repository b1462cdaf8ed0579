// A key's product permissions (the names this server declares in API_KEY_PERMISSIONS), its own
// rate limit and its usage budget: chosen when the key is made, and changed later on its page.
import { gql } from './api.js';
import { field, h } from './dom.js';
import { errorBox, onSubmit } from './forms.js';

/** The permission names the server declares; empty when it declares none. */
export async function declaredPermissions() {
  const { apiKeyPermissions } = await gql('query ConsoleKeyPermissions { apiKeyPermissions }');
  return apiKeyPermissions;
}

/** Checkboxes for the declared permissions, `checked` ticked; nothing when none are declared. */
export function permissionsFieldset(choices, checked = []) {
  if (choices.length === 0) return null;
  return h(
    'fieldset',
    {},
    h('legend', {}, 'Permissions'),
    choices.map((name) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'permissions', value: name, checked: checked.includes(name) }), ` ${name}`)),
    h('p', { class: 'hint' }, 'What the key may do in the product that checks it (verifyApiKey).'),
  );
}

/** Fields for a rate limit of its own and a usage budget, filled from `key` when it has them. */
export function limitFields(key = {}) {
  return h(
    'div',
    { class: 'inline' },
    field('Requests per window', h('input', { type: 'number', name: 'rateLimit', min: 1, max: 1000000, value: key.rateLimit?.limit ?? '' }), 'Empty: the plan’s rate.'),
    field('Window (seconds)', h('input', { type: 'number', name: 'rateLimitWindow', min: 1, max: 86400, value: key.rateLimit?.windowSeconds ?? 60 })),
    field('Usage budget', h('input', { type: 'number', name: 'usageLimit', min: 1, value: key.usage?.limit ?? '' }), 'Empty: no budget.'),
    field(
      'Budget refills',
      h('select', { name: 'usageRefill' }, ['DAILY', 'MONTHLY'].map((refill) => h('option', { value: refill, selected: key.usage?.refill === refill }, refill.toLowerCase()))),
    ),
  );
}

/** The permissions, rate limit and budget a form describes; empty fields clear them (null). */
export function settingsInput(data, { withPermissions }) {
  const limit = String(data.get('rateLimit') ?? '');
  const usage = String(data.get('usageLimit') ?? '');
  return {
    ...(withPermissions ? { permissions: data.getAll('permissions').map(String) } : {}),
    rateLimit: limit ? { limit: Number(limit), windowSeconds: Number(data.get('rateLimitWindow') || 60) } : null,
    usage: usage ? { limit: Number(usage), refill: String(data.get('usageRefill')) } : null,
  };
}

/** The key page's form: name, permissions, expiry and limits; widening them may ask for a recent sign-in. */
export function keySettingsForm(key, permissionChoices, { announce, rerender }) {
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card' },
    h('h2', {}, 'Change this key'),
    field('Name', h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off', value: key.name })),
    permissionsFieldset(permissionChoices, key.permissions),
    field('Expires on', h('input', { type: 'date', name: 'expiresOn', value: key.expiresAt ? key.expiresAt.slice(0, 10) : '' }), 'Empty: the key does not expire.'),
    limitFields(key),
    errors,
    h('button', { type: 'submit' }, 'Save changes'),
  );
  onSubmit(form, errors, async (data) => {
    const expiry = String(data.get('expiresOn') ?? '');
    await gql('mutation ConsoleUpdateKey($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id } }', {
      id: key.id,
      input: {
        name: String(data.get('name')).trim(),
        expiresAt: expiry ? new Date(`${expiry}T23:59:59`).toISOString() : null,
        ...settingsInput(data, { withPermissions: permissionChoices.length > 0 }),
      },
    });
    announce(`Key "${String(data.get('name')).trim()}" saved.`);
    await rerender();
  });
  return form;
}
