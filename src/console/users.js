// Administration of accounts: find them (search and filters, keyset pages), and one account's
// sessions, keys and audit trail, with the actions an admin takes on it, each confirmed first.
import { gql, isAdminRole } from './api.js';
import { details, field, h, table, time } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';

const pageSize = 20;

const notForYou = () => [heading('Users'), h('p', {}, 'Only administrators manage accounts.')];

const select = (name, label, choices, current = '') =>
  field(label, h('select', { name }, choices.map(([value, text]) => h('option', { value, selected: value === current }, text))));

const accountStatus = (user) =>
  user.deletionDueAt ? 'deletion scheduled' : user.disabledAt ? (user.disabledUntil ? ['disabled until ', time(user.disabledUntil)] : 'disabled') : 'active';

/** The filter a search form describes; empty choices are left out. */
function userFilter(data) {
  const filter = {};
  const query = String(data.get('query')).trim();
  if (query) filter.query = query;
  for (const name of ['role', 'plan']) if (data.get(name)) filter[name] = String(data.get(name));
  for (const name of ['disabled', 'verified']) if (data.get(name)) filter[name] = data.get(name) === 'yes';
  return filter;
}

export async function usersView({ me }) {
  if (!isAdminRole(me.role)) return notForYou();
  const results = h('div');
  let filter = {};
  const cursors = [null];
  const load = async (focusTarget) => {
    const { users } = await gql(
      'query ConsoleUsers($filter: UserFilter, $first: Int, $after: String) { users(filter: $filter, first: $first, after: $after) { nodes { id username email emailVerified role plan disabledAt disabledUntil deletionDueAt createdAt } pageInfo { endCursor hasNextPage } } }',
      { filter, first: pageSize, after: cursors.at(-1) },
    );
    const newer = h('button', { type: 'button', disabled: cursors.length === 1, onclick: () => (cursors.pop(), load('newer')) }, 'Previous page');
    const older = h('button', { type: 'button', disabled: !users.pageInfo.hasNextPage, onclick: () => (cursors.push(users.pageInfo.endCursor), load('older')) }, 'Next page');
    results.replaceChildren(
      users.nodes.length === 0
        ? h('p', {}, 'No account matches.')
        : table(
            `Accounts, newest first, page ${cursors.length}`,
            ['Username', 'E-mail', 'Role', 'Plan', 'Status'],
            users.nodes.map((user) => [
              h('a', { href: `/admin/users/${encodeURIComponent(user.id)}` }, user.username),
              [user.email, h('div', { class: 'hint' }, user.emailVerified ? 'verified' : 'not verified')],
              user.role,
              user.plan,
              accountStatus(user),
            ]),
          ),
      h('nav', { class: 'pager', 'aria-label': 'Account pages' }, newer, ' ', older),
    );
    if (focusTarget) (focusTarget === 'older' ? (older.disabled ? newer : older) : newer.disabled ? older : newer).focus();
  };
  const errors = errorBox();
  const search = h(
    'form',
    { method: 'post', class: 'card', role: 'search' },
    field('Username or e-mail starts with', h('input', { name: 'query', type: 'search', autocomplete: 'off' })),
    h(
      'div',
      { class: 'inline' },
      select('role', 'Role', [['', 'any'], ['USER', 'user'], ['ADMIN', 'admin'], ['OWNER', 'owner']]),
      select('plan', 'Plan', [['', 'any'], ['FREE', 'free'], ['PRO', 'pro']]),
      select('disabled', 'Disabled', [['', 'any'], ['yes', 'yes'], ['no', 'no']]),
      select('verified', 'E-mail verified', [['', 'any'], ['yes', 'yes'], ['no', 'no']]),
    ),
    errors,
    h('button', { type: 'submit' }, 'Search'),
  );
  onSubmit(search, errors, async (data) => {
    filter = userFilter(data);
    cursors.splice(1);
    await load();
  });
  await load();
  return [heading('Users'), search, results];
}

/** A form with one action on the account: confirmed first, then the page is drawn anew. */
function actionForm(label, fields, { confirmText, run, done, danger = false }) {
  const errors = errorBox();
  const form = h('form', { method: 'post', class: 'inline' }, fields, errors, h('button', { type: 'submit', class: danger ? 'danger' : null }, label));
  onSubmit(form, errors, async (data) => {
    if (!confirm(confirmText(data))) return;
    await run(data);
    await done(data);
  });
  return form;
}

export async function userView({ announce, go, me, rerender }, userId) {
  if (!isAdminRole(me.role)) return notForYou();
  const { user } = await gql(
    `query ConsoleUser($id: ID!) { user(id: $id) {
      id username email fullName emailVerified role plan planSource disabledAt disabledUntil deletionDueAt createdAt hasPassword googleLinked
      sessions { id device name createdAt lastUsedAt }
      apiKeys { id name prefix environment createdAt lastUsedAt revokedAt isActive }
      auditEvents(first: 20) { nodes { id at action outcome actorType actorId operation ip } }
    } }`,
    { id: userId },
  );
  const back = h('p', {}, h('a', { href: '/admin/users' }, 'Back to users'));
  const refreshed = (message) => async () => {
    announce(message);
    await rerender();
  };
  const actions = [
    actionForm('Change role', select('role', 'Role', [['USER', 'user'], ['ADMIN', 'admin'], ['OWNER', 'owner']], user.role), {
      confirmText: (data) => `Make ${user.username} ${String(data.get('role')).toLowerCase()}?`,
      run: (data) => gql('mutation ConsoleSetRole($role: Role!, $username: String!) { setUserRole(role: $role, username: $username) { id } }', { role: data.get('role'), username: user.username }),
      done: refreshed('Role changed.'),
    }),
    actionForm('Change plan', select('plan', 'Plan', [['FREE', 'free'], ['PRO', 'pro']], user.plan.toUpperCase()), {
      confirmText: (data) => `Put ${user.username} on the ${String(data.get('plan')).toLowerCase()} plan?`,
      run: (data) => gql('mutation ConsoleSetPlan($plan: Plan!, $userId: ID!) { setUserPlan(plan: $plan, userId: $userId) { id } }', { plan: data.get('plan'), userId: user.id }),
      done: refreshed('Plan changed.'),
    }),
    user.disabledAt
      ? actionForm('Enable account', [], {
          confirmText: () => `Enable ${user.username}? They can sign in again and their keys work again.`,
          run: () => gql('mutation ConsoleEnable($userId: ID!) { enableUser(userId: $userId) { id } }', { userId: user.id }),
          done: refreshed('Account enabled.'),
        })
      : actionForm('Disable account', field('Until (optional)', h('input', { type: 'date', name: 'until' }), 'Without a date it stays disabled until enabled.'), {
          confirmText: () => `Disable ${user.username}? Every session ends and every key is refused at once.`,
          run: (data) => {
            const until = String(data.get('until') ?? '');
            return gql('mutation ConsoleDisable($userId: ID!, $until: DateTime) { disableUser(userId: $userId, until: $until) { id } }', {
              userId: user.id,
              until: until ? new Date(`${until}T00:00:00`).toISOString() : null,
            });
          },
          done: refreshed('Account disabled.'),
          danger: true,
        }),
    actionForm('Sign out everywhere', [], {
      confirmText: () => `End every session of ${user.username}?`,
      run: () => gql('mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }', { userId: user.id }),
      done: refreshed('Sessions ended.'),
      danger: true,
    }),
    actionForm('Delete account', [], {
      confirmText: () => `Delete ${user.username} for good? Every session and key ends; what is stored about them is removed.`,
      run: () => gql('mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }', { userId: user.id }),
      done: async () => {
        go('/admin/users');
        announce(`${user.username} deleted.`);
      },
      danger: true,
    }),
  ];
  return [
    heading(`User ${user.username}`),
    back,
    details([
      ['E-mail', `${user.email} (${user.emailVerified ? 'verified' : 'not verified'})`],
      ['Name', user.fullName ?? '—'],
      ['Role', user.role],
      ['Plan', `${user.plan} (${user.planSource})`],
      ['Status', accountStatus(user)],
      ['Sign-in', [user.hasPassword ? 'password' : null, user.googleLinked ? 'Google' : null].filter(Boolean).join(', ') || 'none'],
      ['Member since', time(user.createdAt)],
    ]),
    h('section', { class: 'card', 'aria-labelledby': 'user-actions' }, h('h2', { id: 'user-actions' }, 'Actions'), actions),
    table(
      'Sessions',
      ['Client', 'Signed in', 'Last used'],
      user.sessions.map((session) => [[session.device, h('div', { class: 'hint mono' }, session.name)], time(session.createdAt), time(session.lastUsedAt)]),
    ),
    table(
      'API keys',
      ['Name', 'Prefix', 'Last used', 'Status'],
      user.apiKeys.map((key) => [key.name, h('code', {}, key.prefix), time(key.lastUsedAt), key.revokedAt ? 'revoked' : key.isActive ? 'active' : 'expired']),
    ),
    table(
      'Recent audit entries',
      ['When', 'Event', 'Outcome', 'By', 'Operation'],
      user.auditEvents.nodes.map((event) => [time(event.at), event.action, event.outcome, event.actorId === user.id ? 'themself' : event.actorType ?? '—', event.operation ?? '—']),
    ),
  ];
}
