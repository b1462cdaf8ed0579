import { Option } from 'commander';
import type { Command } from '../command.js';
import { parseExpiry, parseSince } from '../durations.js';
import { formatTime, table } from '../output.js';

type User = {
  id: string;
  username: string;
  email: string;
  role: string;
  plan: string;
  emailVerified: boolean;
  disabledAt: string | null;
  disabledUntil: string | null;
  createdAt: string;
};

const userFields = 'id username email role plan emailVerified disabledAt disabledUntil createdAt';

const status = (user: User) => (user.disabledAt ? (user.disabledUntil ? `disabled until ${formatTime(user.disabledUntil)}` : 'disabled') : 'active');

const userLine = (user: User) => `${user.username} <${user.email}>: ${user.role.toLowerCase()}, ${user.plan.toLowerCase()}, ${status(user)}`;

/** Looks an account up by username (what an admin types) for the mutations that take its id. */
async function userIdOf(client: Parameters<Command['run']>[0]['client'], username: string): Promise<string> {
  const { user } = await client.authenticated<{ user: { id: string } }>('query User($username: String) { user(username: $username) { id } }', { username });
  return user.id;
}

export const list: Command = {
  signature: 'list',
  summary: 'accounts, newest first (admins); --next pages on',
  options: [
    new Option('--query <prefix>', 'a username or e-mail prefix'),
    new Option('--role <role>', 'USER, ADMIN or OWNER'),
    new Option('--plan <plan>', 'FREE or PRO'),
    new Option('--disabled', 'disabled accounts only'),
    new Option('--first <n>', 'how many (default 50)').argParser(Number),
    new Option('--next <cursor>', 'the page after this cursor (printed under a full page)'),
  ],
  async run({ client, output, options }) {
    const filter = {
      ...(options.query ? { query: options.query } : {}),
      ...(options.role ? { role: String(options.role).toUpperCase() } : {}),
      ...(options.plan ? { plan: String(options.plan).toUpperCase() } : {}),
      ...(options.disabled ? { disabled: true } : {}),
    };
    const { users } = await client.sensitive<{ users: { nodes: User[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }>(
      `query Users($filter: UserFilter, $first: Int, $after: String) { users(filter: $filter, first: $first, after: $after) { nodes { ${userFields} } pageInfo { endCursor hasNextPage } } }`,
      { filter, first: options.first ?? 50, after: options.next ?? null },
    );
    output.result(users, ({ nodes, pageInfo }) => [
      ...table(
        ['USERNAME', 'E-MAIL', 'ROLE', 'PLAN', 'STATUS', 'CREATED'],
        nodes.map((user) => [user.username, user.email, user.role, user.plan, status(user), formatTime(user.createdAt)]),
      ),
      ...(pageInfo.hasNextPage ? [`more: authgraph users list --next ${pageInfo.endCursor}`] : []),
    ]);
  },
};

export const show: Command = {
  signature: 'show <username>',
  summary: "one account with its sessions and keys (admins)",
  async run({ client, output, args: [username] }) {
    const { user } = await client.sensitive<{ user: User & { sessions: { id: string; name: string; lastUsedAt: string }[]; apiKeys: { id: string; name: string; prefix: string; revokedAt: string | null }[] } }>(
      `query User($username: String) { user(username: $username) { ${userFields} sessions { id name lastUsedAt } apiKeys { id name prefix revokedAt } } }`,
      { username },
    );
    output.result(user, (found) => [
      userLine(found),
      `created ${formatTime(found.createdAt)}; e-mail ${found.emailVerified ? 'verified' : 'not verified'}`,
      `sessions: ${found.sessions.length}${found.sessions.map((session) => `\n  ${session.id} ${session.name} (last used ${formatTime(session.lastUsedAt)})`).join('')}`,
      `keys: ${found.apiKeys.length}${found.apiKeys.map((key) => `\n  ${key.id} ${key.name} ${key.prefix}${key.revokedAt ? ' (revoked)' : ''}`).join('')}`,
    ]);
  },
};

export const setRole: Command = {
  signature: 'set-role <username> <role>',
  summary: 'USER, ADMIN or OWNER (admins; an owner for OWNER)',
  async run({ client, output, args: [username, role] }) {
    const { setUserRole } = await client.sensitive<{ setUserRole: User }>(
      `mutation SetRole($role: Role!, $username: String!) { setUserRole(role: $role, username: $username) { ${userFields} } }`,
      { role: role?.toUpperCase(), username },
    );
    output.result(setUserRole, userLine);
  },
};

export const setPlan: Command = {
  signature: 'set-plan <username> <plan>',
  summary: 'FREE or PRO (admins)',
  async run({ client, output, args: [username = '', plan] }) {
    const { setUserPlan } = await client.sensitive<{ setUserPlan: User }>(
      `mutation SetPlan($plan: Plan!, $userId: ID!) { setUserPlan(plan: $plan, userId: $userId) { ${userFields} } }`,
      { plan: plan?.toUpperCase(), userId: await userIdOf(client, username) },
    );
    output.result(setUserPlan, userLine);
  },
};

export const disable: Command = {
  signature: 'disable <username>',
  summary: 'end every session and refuse every key of the account (admins)',
  options: [new Option('--until <when>', 'enable it again then: a duration like 7d, or an ISO date').argParser((value) => parseExpiry(value))],
  async run({ client, output, args: [username = ''], options }) {
    const until = (options.until as string | undefined) ?? null;
    const { disableUser } = await client.sensitive<{ disableUser: User }>(
      `mutation Disable($userId: ID!, $until: DateTime) { disableUser(userId: $userId, until: $until) { ${userFields} } }`,
      { userId: await userIdOf(client, username), until },
    );
    output.result(disableUser, userLine);
  },
};

export const enable: Command = {
  signature: 'enable <username>',
  summary: 'let a disabled account sign in again (admins)',
  async run({ client, output, args: [username = ''] }) {
    const { enableUser } = await client.sensitive<{ enableUser: User }>(`mutation Enable($userId: ID!) { enableUser(userId: $userId) { ${userFields} } }`, {
      userId: await userIdOf(client, username),
    });
    output.result(enableUser, userLine);
  },
};

type AuditEntry = { at: string; action: string; outcome: string; actorType: string | null; actorId: string | null; userId: string | null; operation: string | null; detail: string | null };

export const audit: Command = {
  signature: 'log',
  summary: 'the audit log, newest first (admins): --action, --actor, --target, --since',
  options: [
    new Option('--action <action>', 'e.g. role-changed'),
    new Option('--actor <id>', 'the acting user or service account'),
    new Option('--target <id>', 'the account, session or key concerned'),
    new Option('--since <when>', 'a duration back, e.g. 24h, or an ISO date').argParser((value) => parseSince(value)),
    new Option('--first <n>', 'how many (default 50)').argParser(Number),
  ],
  async run({ client, output, options }) {
    const filter = {
      ...(options.action ? { action: options.action } : {}),
      ...(options.actor ? { actorId: options.actor } : {}),
      ...(options.target ? { targetId: options.target } : {}),
      ...(options.since ? { since: options.since } : {}),
    };
    const { auditLog } = await client.sensitive<{ auditLog: { nodes: AuditEntry[] } }>(
      'query Audit($filter: AuditFilter, $first: Int) { auditLog(filter: $filter, first: $first) { nodes { at action outcome actorType actorId userId operation detail } } }',
      { filter, first: options.first ?? 50 },
    );
    output.result(auditLog.nodes, (entries) =>
      table(
        ['WHEN', 'ACTION', 'OUTCOME', 'BY', 'ACCOUNT', 'DETAIL'],
        entries.map((entry) => [formatTime(entry.at), entry.action, entry.outcome, [entry.actorType, entry.actorId].filter(Boolean).join(' ') || '-', entry.userId ?? '-', entry.detail ?? entry.operation ?? '-']),
      ),
    );
  },
};
