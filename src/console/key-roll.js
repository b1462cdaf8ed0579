// Rolling gives a key a new secret (same id, scopes and log); the old secret keeps working for
// the chosen grace period, so whatever uses the key can be switched over without downtime.
// Used on a key's own page and for service accounts' keys.
import { gql } from './api.js';
import { field, h, time } from './dom.js';

/** How long a rolled key's old secret keeps working, in seconds. */
const graceChoices = [
  ['0', 'No grace: it stops now'],
  ['3600', '1 hour'],
  ['86400', '24 hours'],
  ['604800', '7 days'],
];

export const rolledKeyFields = 'id name prefix environment createdAt lastUsedAt revokedAt isActive previousSecretExpiresAt';

/** The grace chooser, 24 hours preselected. */
export const graceField = () =>
  field(
    'Old secret keeps working for',
    h('select', { name: 'gracePeriodSeconds' }, graceChoices.map(([seconds, label]) => h('option', { value: seconds, selected: seconds === '86400' }, label))),
  );

/** Rolls key `id` (asking first when there is no grace); null when the person declines. */
export async function rollKey(id, name, gracePeriodSeconds) {
  if (gracePeriodSeconds === 0 && !confirm(`Roll "${name}" with no grace? Whatever still uses its old secret is refused from its next request.`)) return null;
  const { rollApiKey } = await gql(
    `mutation ConsoleRollKey($id: ID!, $grace: Int!) { rollApiKey(id: $id, gracePeriodSeconds: $grace) { rawKey apiKey { ${rolledKeyFields} } } }`,
    { id, grace: gracePeriodSeconds },
  );
  return rollApiKey;
}

/** What the new-key panel says of the old secret. */
export function oldSecretNote(rolled) {
  return h(
    'p',
    { class: 'notice' },
    rolled.previousSecretExpiresAt
      ? [`The old secret of "${rolled.name}" keeps working until `, time(rolled.previousSecretExpiresAt), ', then it is refused.']
      : `The old secret of "${rolled.name}" is refused from now on.`,
  );
}
