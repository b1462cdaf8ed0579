// Administration of accounts: find them (search and filters, keyset pages), and one account's
// sessions, keys and audit trail, with the actions an admin takes on it, each confirmed first.
import { gql, isAdminRole } from './api.js';
import { t } from './i18n.js';
import { keyStatus } from './key-parts.js';
import { html, useState } from './preact.js';
import { DataTable, Details, ErrorText, Field, Heading, Pager, Time, useAction, useCursors, useLoaded } from './ui.js';

const pageSize = 20;

const NotForYou = () => html`<${Heading}>${t('nav.users')}<//><p>${t('users.onlyAdmins')}</p>`;

const Choice = ({ name, label, choices, current = '' }) => html`
  <${Field} as="select" label=${label} name=${name}>
    ${choices.map(([value, text]) => html`<option value=${value} selected=${value === current}>${text}</option>`)}
  <//>`;

function AccountStatus({ user }) {
  if (user.deletionDueAt) return t('users.deletionScheduled');
  if (!user.disabledAt) return t('key.active');
  return user.disabledUntil ? html`${t('users.disabledUntil')} <${Time} iso=${user.disabledUntil} />` : t('users.disabled');
}

/** The filter a search form describes; empty choices are left out. */
function userFilter(data) {
  const filter = {};
  const query = String(data.get('query')).trim();
  if (query) filter.query = query;
  for (const name of ['role', 'plan']) if (data.get(name)) filter[name] = String(data.get(name));
  for (const name of ['disabled', 'verified']) if (data.get(name)) filter[name] = data.get(name) === 'yes';
  return filter;
}

const any = () => ['', t('users.any')];
const yesNo = () => [any(), ['yes', t('users.yes')], ['no', t('users.no')]];
const roles = () => [['USER', 'user'], ['ADMIN', 'admin'], ['OWNER', 'owner']];
const plans = () => [['FREE', 'free'], ['PRO', 'pro']];

export function UsersPage({ context: { me } }) {
  const [filter, setFilter] = useState({});
  const { cursors, after, page, previous, next, restart } = useCursors();
  const allowed = isAdminRole(me.role);
  const { value } = useLoaded(async () => {
    if (!allowed) return null;
    const { users } = await gql(
      'query ConsoleUsers($filter: UserFilter, $first: Int, $after: String) { users(filter: $filter, first: $first, after: $after) { nodes { id username email emailVerified role plan disabledAt disabledUntil deletionDueAt createdAt } pageInfo { endCursor hasNextPage } } }',
      { filter, first: pageSize, after },
    );
    return { ...users, page };
  }, [filter, cursors]);
  const { error, busy, onSubmit } = useAction(async (data) => {
    setFilter(userFilter(data));
    restart();
  });
  if (!allowed) return html`<${NotForYou} />`;
  if (!value) return html`<p>${t('loading')}</p>`;
  const columns = [t('field.username'), t('account.email'), t('account.role'), t('account.plan'), t('key.status')];
  return html`
    <${Heading}>${t('nav.users')}<//>
    <form method="post" class="card" role="search" onSubmit=${onSubmit}>
      <${Field} label=${t('users.query')} name="query" type="search" autocomplete="off" />
      <div class="inline">
        <${Choice} name="role" label=${t('account.role')} choices=${[any(), ...roles()]} />
        <${Choice} name="plan" label=${t('account.plan')} choices=${[any(), ...plans()]} />
        <${Choice} name="disabled" label=${t('users.disabledFilter')} choices=${yesNo()} />
        <${Choice} name="verified" label=${t('users.verifiedFilter')} choices=${yesNo()} />
      </div>
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('users.search')}</button>
    </form>
    <div>
      ${value.nodes.length === 0
        ? html`<p>${t('users.none')}</p>`
        : html`<${DataTable} caption=${t('users.caption', { page: value.page })} columns=${columns} rows=${value.nodes.map((user) => [
            html`<a href=${`/admin/users/${encodeURIComponent(user.id)}`}>${user.username}</a>`,
            html`<div>${user.email}<div class="hint">${t(user.emailVerified ? 'account.verified' : 'account.notVerified')}</div></div>`,
            user.role,
            user.plan,
            html`<${AccountStatus} user=${user} />`,
          ])} />`}
      <${Pager}
        label=${t('users.pages')}
        shown=${value}
        previous=${previous}
        next=${next}
        previousLabel=${t('users.previous')}
        nextLabel=${t('users.next')}
      />
    </div>`;
}

/** A form with one action on the account: confirmed first, then the page is drawn anew. */
function ActionForm({ label, children, question, run, done, danger = false }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    if (!confirm(question(data))) return;
    await run(data);
    await done(data);
  });
  return html`
    <form method="post" class="inline" onSubmit=${onSubmit}>
      ${children}
      <${ErrorText} error=${error} />
      <button type="submit" class=${danger ? 'danger' : undefined} disabled=${busy}>${label}</button>
    </form>`;
}

const userQuery = `query ConsoleUser($id: ID!) { user(id: $id) {
  id username email fullName emailVerified role plan planSource disabledAt disabledUntil deletionDueAt createdAt hasPassword googleLinked
  sessions { id device name createdAt lastUsedAt }
  apiKeys { id name prefix environment createdAt lastUsedAt revokedAt isActive }
  auditEvents(first: 20) { nodes { id at action outcome actorType actorId operation ip } }
} }`;

export function UserPage({ args: [userId], context: { announce, go, me, rerender }, version }) {
  const allowed = isAdminRole(me.role);
  const { value } = useLoaded(() => (allowed ? gql(userQuery, { id: userId }) : Promise.resolve(null)), [userId, version]);
  if (!allowed) return html`<${NotForYou} />`;
  if (!value) return html`<p>${t('loading')}</p>`;
  const { user } = value;
  const refreshed = (key) => async () => {
    announce(t(key));
    await rerender();
  };
  const { username } = user;
  const until = (data) => String(data.get('until') ?? '');
  return html`
    <${Heading}>${t('users.title', { username })}<//>
    <p><a href="/admin/users">${t('users.back')}</a></p>
    <${Details} pairs=${[
      [t('account.email'), `${user.email} (${t(user.emailVerified ? 'account.verified' : 'account.notVerified')})`],
      [t('field.name'), user.fullName ?? '—'],
      [t('account.role'), user.role],
      [t('account.plan'), `${user.plan} (${user.planSource})`],
      [t('key.status'), html`<${AccountStatus} user=${user} />`],
      [t('users.signIn'), [user.hasPassword ? t('users.password') : null, user.googleLinked ? 'Google' : null].filter(Boolean).join(', ') || t('key.noneValue')],
      [t('account.memberSince'), html`<${Time} iso=${user.createdAt} />`],
    ]} />
    <section class="card" aria-labelledby="user-actions" key=${version}>
      <h2 id="user-actions">${t('users.actions')}</h2>
      <${ActionForm}
        label=${t('users.changeRole')}
        question=${(data) => t('users.roleQuestion', { username, role: String(data.get('role')).toLowerCase() })}
        run=${(data) => gql('mutation ConsoleSetRole($role: Role!, $username: String!) { setUserRole(role: $role, username: $username) { id } }', { role: data.get('role'), username })}
        done=${refreshed('users.roleChanged')}
      ><${Choice} name="role" label=${t('account.role')} choices=${roles()} current=${user.role} /><//>
      <${ActionForm}
        label=${t('users.changePlan')}
        question=${(data) => t('users.planQuestion', { username, plan: String(data.get('plan')).toLowerCase() })}
        run=${(data) => gql('mutation ConsoleSetPlan($plan: Plan!, $userId: ID!) { setUserPlan(plan: $plan, userId: $userId) { id } }', { plan: data.get('plan'), userId: user.id })}
        done=${refreshed('users.planChanged')}
      ><${Choice} name="plan" label=${t('account.plan')} choices=${plans()} current=${user.plan.toUpperCase()} /><//>
      ${user.disabledAt
        ? html`<${ActionForm}
            label=${t('users.enable')}
            question=${() => t('users.enableQuestion', { username })}
            run=${() => gql('mutation ConsoleEnable($userId: ID!) { enableUser(userId: $userId) { id } }', { userId: user.id })}
            done=${refreshed('users.enabled')}
          />`
        : html`<${ActionForm}
            label=${t('users.disable')}
            question=${() => t('users.disableQuestion', { username })}
            run=${(data) => gql('mutation ConsoleDisable($userId: ID!, $until: DateTime) { disableUser(userId: $userId, until: $until) { id } }', {
              userId: user.id,
              until: until(data) ? new Date(`${until(data)}T00:00:00`).toISOString() : null,
            })}
            done=${refreshed('users.disabledMessage')}
            danger
          ><${Field} label=${t('users.until')} hint=${t('users.untilHint')} type="date" name="until" /><//>`}
      <${ActionForm}
        label=${t('users.signOutEverywhere')}
        question=${() => t('users.signOutQuestion', { username })}
        run=${() => gql('mutation ConsoleRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }', { userId: user.id })}
        done=${refreshed('users.sessionsEnded')}
        danger
      />
      <${ActionForm}
        label=${t('delete.title')}
        question=${() => t('users.deleteQuestion', { username })}
        run=${() => gql('mutation ConsoleDeleteUser($userId: ID!) { deleteUser(userId: $userId) }', { userId: user.id })}
        done=${() => {
          go('/admin/users');
          announce(t('users.deleted', { username }));
        }}
        danger
      />
    </section>
    <${DataTable}
      caption=${t('nav.sessions')}
      columns=${[t('sessions.client'), t('sessions.signedIn'), t('sessions.lastUsed')]}
      rows=${user.sessions.map((session) => [html`<div>${session.device}<div class="hint mono">${session.name}</div></div>`, html`<${Time} iso=${session.createdAt} />`, html`<${Time} iso=${session.lastUsedAt} />`])}
    />
    <${DataTable}
      caption=${t('nav.keys')}
      columns=${[t('field.name'), t('key.prefix'), t('sessions.lastUsed'), t('key.status')]}
      rows=${user.apiKeys.map((key) => [key.name, html`<code>${key.prefix}</code>`, html`<${Time} iso=${key.lastUsedAt} />`, keyStatus(key)])}
    />
    <${DataTable}
      caption=${t('users.audit')}
      columns=${[t('activity.when'), t('activity.event'), t('activity.outcome'), t('users.by'), t('activity.operation')]}
      rows=${user.auditEvents.nodes.map((event) => [html`<${Time} iso=${event.at} />`, event.action, event.outcome, event.actorId === user.id ? t('users.themself') : event.actorType ?? '—', event.operation ?? '—'])}
    />`;
}
