// The parts of a key's forms and panels that the API keys pages and the service accounts page
// share: the secret shown once, scopes, environment, permissions, limits and the grace chooser.
import { gql } from './api.js';
import { t } from './i18n.js';
import { html, useLayoutEffect, useRef } from './preact.js';
import { Field, TickedChoices, Time } from './ui.js';

export const rolledKeyFields = 'id name prefix environment createdAt lastUsedAt revokedAt isActive previousSecretExpiresAt';

/** Revoked, expired or active, in words. */
export const keyStatus = (key) => t(key.revokedAt ? 'key.revoked' : key.isActive ? 'key.active' : 'key.expired');

/** A secret shown once (a key, a webhook signing secret), focused, with a copy button. */
export function SecretPanel({ announce, secret, title, label, what, warning, note = null }) {
  const heading = useRef(null);
  useLayoutEffect(() => heading.current.focus(), [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      heading.current.parentElement.querySelector('input').select();
      document.execCommand('copy');
    }
    announce(t('secret.copied', { what: what[0].toUpperCase() + what.slice(1) }));
  };
  return html`
    <section class="once" aria-label=${t('secret.new', { what })}>
      <h2 tabindex="-1" ref=${heading}>${title}</h2>
      <p class="warning">${warning}</p>
      ${note}
      <${Field} label=${label} type="text" readonly value=${secret} class="mono" spellcheck="false" autocomplete="off" />
      <button type="button" onClick=${copy}>${t('secret.copy', { what })}</button>
    </section>`;
}

/** The whole key, once: a warning, the key in a read-only field, and a copy button. */
export const RawKeyPanel = ({ rawKey, announce, note = null }) => html`
  <${SecretPanel} announce=${announce} secret=${rawKey} title=${t('key.copyNow')} label=${t('key.apiKey')} what=${t('key.what')} warning=${t('key.onlyOnce')} note=${note} />`;

/** Checkboxes for scopes; with `every` (a label), first a choice of every scope the owner holds. */
export const ScopesFieldset = ({ choices, legend, hint, every }) => html`
  <${TickedChoices} legend=${legend} name="scopes" modeName="scopeMode" choices=${choices.map((scope) => [scope])} every=${every} only=${t('scopes.onlyTicked')} hint=${hint} />`;

/** The ticked scopes; an empty choice is refused here rather than minting a key that can do nothing. */
export function chosenScopes(data) {
  if (data.get('scopeMode') === 'every') return undefined;
  const scopes = data.getAll('scopes').map(String);
  if (scopes.length === 0) throw new Error(t('scopes.tickOne'));
  return scopes;
}

/** The end of the day a date field names, as an instant; null when empty. */
export const endOfDay = (day) => (day ? new Date(`${day}T23:59:59`).toISOString() : null);

/** A new key's input; `scopes` undefined: every scope its owner holds. */
export function keyInput(data, scopes) {
  const expiresAt = endOfDay(String(data.get('expiresOn') ?? ''));
  return {
    name: String(data.get('name')).trim(),
    environment: String(data.get('environment') ?? 'LIVE'),
    ...(scopes ? { scopes } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

export const EnvironmentField = ({ hint }) => html`
  <${Field} as="select" label=${t('key.environment')} hint=${hint} name="environment">
    <option value="LIVE">${t('key.live')}</option>
    <option value="TEST">${t('key.test')}</option>
  <//>`;

/** The permission names the server declares; empty when it declares none. */
export async function declaredPermissions() {
  const { apiKeyPermissions } = await gql('query ConsoleKeyPermissions { apiKeyPermissions }');
  return apiKeyPermissions;
}

/** Checkboxes for the declared permissions, `checked` ticked; nothing when none are declared. */
export function PermissionsFieldset({ choices, checked = [] }) {
  if (choices.length === 0) return null;
  return html`
    <fieldset>
      <legend>${t('key.permissions')}</legend>
      ${choices.map((name) => html`<label class="check"><input type="checkbox" name="permissions" value=${name} checked=${checked.includes(name)} /> ${name}</label>`)}
      <p class="hint">${t('key.permissionsHint')}</p>
    </fieldset>`;
}

/** Fields for a rate limit of its own and a usage budget, filled from `key` when it has them. */
export const LimitFields = ({ apiKey = {} }) => html`
  <div class="inline">
    <${Field} label=${t('key.rateLimit')} hint=${t('key.rateLimitHint')} type="number" name="rateLimit" min="1" max="1000000" value=${apiKey.rateLimit?.limit ?? ''} />
    <${Field} label=${t('key.window')} type="number" name="rateLimitWindow" min="1" max="86400" value=${apiKey.rateLimit?.windowSeconds ?? 60} />
    <${Field} label=${t('key.budget')} hint=${t('key.budgetHint')} type="number" name="usageLimit" min="1" value=${apiKey.usage?.limit ?? ''} />
    <${Field} as="select" label=${t('key.refill')} name="usageRefill">
      ${['DAILY', 'MONTHLY'].map((refill) => html`<option value=${refill} selected=${apiKey.usage?.refill === refill}>${t(`key.refill.${refill}`)}</option>`)}
    <//>
  </div>`;

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

// Rolling gives a key a new secret (same id, scopes and log); the old secret keeps working for
// the chosen grace period, so whatever uses the key can be switched over without downtime.

/** How long a rolled key's old secret keeps working, in seconds; 24 hours preselected. */
export const GraceField = () => html`
  <${Field} as="select" label=${t('roll.grace')} name="gracePeriodSeconds">
    ${['0', '3600', '86400', '604800'].map((seconds) => html`<option value=${seconds} selected=${seconds === '86400'}>${t(`roll.grace.${seconds}`)}</option>`)}
  <//>`;

/** Rolls key `id` (asking first when there is no grace); null when the person declines. */
export async function rollKey(id, name, gracePeriodSeconds) {
  if (gracePeriodSeconds === 0 && !confirm(t('roll.noGraceQuestion', { name }))) return null;
  const { rollApiKey } = await gql(
    `mutation ConsoleRollKey($id: ID!, $grace: Int!) { rollApiKey(id: $id, gracePeriodSeconds: $grace) { rawKey apiKey { ${rolledKeyFields} } } }`,
    { id, grace: gracePeriodSeconds },
  );
  return rollApiKey;
}

/** What the new-key panel says of the old secret. */
export const OldSecretNote = ({ rolled }) => html`
  <p class="notice">${rolled.previousSecretExpiresAt
    ? html`${t('roll.oldUntil', { name: rolled.name })} <${Time} iso=${rolled.previousSecretExpiresAt} />${t('roll.oldUntilEnd')}`
    : t('roll.oldRefused', { name: rolled.name })}</p>`;
