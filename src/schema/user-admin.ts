import { listUsers } from '../accounts/directory.js';
import { deleteUser } from '../accounts/deletion.js';
import { setAccountDisabled } from '../accounts/disable.js';
import { plans, setUserPlan } from '../accounts/plan.js';
import { findUser, resolveUser } from '../accounts/users.js';
import { actedBy } from '../audit/actor.js';
import { auditPage } from '../audit/queries.js';
import { badInput } from '../errors.js';
import { listActiveSessions } from '../sessions/manage.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';
import { TokenEvent } from './token-events.js';
import { RoleEnum, User } from './users.js';

const PlanEnum = builder.enumType('Plan', { values: plans });
const adminSession = { $all: { session: true, admin: true } } as const;

builder.objectFields(User, (t) => ({
  plan: t.exposeString('plan'),
  planSource: t.exposeString('planSource', { description: 'Where the plan comes from: "default" (never set) or "admin".' }),
  emailVerified: t.exposeBoolean('emailVerified'),
  hasPassword: t.boolean({ resolve: (user) => user.passwordHash !== null }),
  googleLinked: t.boolean({ resolve: (user) => user.googleSubject !== null }),
  disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
  disabledUntil: t.expose('disabledUntil', { type: 'DateTime', nullable: true, description: 'When a disabling with an end lifts.' }),
  deletionDueAt: t.expose('deletionDueAt', { type: 'DateTime', nullable: true }),
}));

const TokenEventConnection = connectionOf('UserAuditEvent', TokenEvent);

// Relations for administrators: a user's own views are the sessions, apiKeys and auditLog queries.
builder.prismaObjectFields('User', (t) => ({
  sessions: t.relation('sessions', {
    description: 'Admins only, with a session: the active sessions, most recently used first.',
    authScopes: adminSession,
    query: (_args, { runtime }) => ({ where: { revokedAt: null, expiresAt: { gt: runtime.clock() } }, orderBy: [{ lastUsedAt: 'desc' }, { id: 'desc' }] }),
  }),
  apiKeys: t.relation('apiKeys', {
    description: 'Admins only, with a session: every key, newest first (metadata only).',
    authScopes: adminSession,
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
  }),
  auditEvents: t.field({
    type: TokenEventConnection,
    description: 'Admins only, with a session: the account\'s log, newest first.',
    authScopes: adminSession,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (user, page, { runtime }) => auditPage(runtime, { userId: user.id }, page),
  }),
}));

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    query: t.string({ description: 'A prefix of the username or e-mail address.' }),
    role: t.field({ type: RoleEnum }),
    plan: t.field({ type: PlanEnum }),
    disabled: t.boolean(),
    verified: t.boolean({ description: 'Whether the e-mail address is verified.' }),
  }),
});

const UserConnection = connectionOf('User', User);

builder.queryFields((t) => ({
  users: t.field({
    type: UserConnection,
    description: 'Admins only, with a session: accounts, newest first, in keyset pages.',
    authScopes: adminSession,
    args: { filter: t.arg({ type: UserFilter }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { filter, ...page }, { runtime }) => listUsers(runtime, filter ?? {}, page),
  }),
  user: t.prismaField({
    type: 'User',
    description: 'Admins only, with a session: one account by id or username.',
    authScopes: adminSession,
    args: { id: t.arg.id(), username: t.arg.string() },
    resolve: async (query, _root, { id, username }, { runtime }) => {
      if (!id === !username) throw badInput([{ field: 'id', message: 'give either id or username' }]);
      const user = await resolveUser(runtime, id ? { id: String(id) } : username!);
      return findUser(runtime, user.id, query);
    },
  }),
  userSessions: t.prismaField({
    type: ['Session'],
    description: 'Admins only, with a session: an account\'s active sessions, most recently used first.',
    authScopes: adminSession,
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_query, _root, { userId }, { runtime }) => {
      const user = await resolveUser(runtime, { id: String(userId) });
      return listActiveSessions(runtime, user.id);
    },
  }),
}));

builder.mutationFields((t) => ({
  setUserPlan: t.prismaField({
    type: 'User',
    description: "Admins only, with a session: the plan RESTume's limits follow; its source becomes admin. The user's keys are verified again at once.",
    authScopes: adminSession,
    args: { userId: t.arg.id({ required: true }), plan: t.arg({ type: PlanEnum, required: true }) },
    resolve: async (query, _root, { userId, plan }, { runtime, credentials, client }) => {
      const user = await setUserPlan(runtime, { id: String(userId) }, plan, actedBy(credentials.principal, client));
      return findUser(runtime, user.id, query);
    },
  }),
  disableUser: t.prismaField({
    type: 'User',
    description: 'Admins only, with a session: ends every session and refuses every key on every instance; with until, enabled again then.',
    authScopes: adminSession,
    args: { userId: t.arg.id({ required: true }), until: t.arg({ type: 'DateTime' }) },
    resolve: async (query, _root, { userId, until }, { runtime, credentials, client }) => {
      const user = await setAccountDisabled(runtime, { id: String(userId) }, true, actedBy(credentials.principal, client), until);
      return findUser(runtime, user.id, query);
    },
  }),
  enableUser: t.prismaField({
    type: 'User',
    description: 'Admins only, with a session: a disabled account signs in again and its keys work again.',
    authScopes: adminSession,
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { userId }, { runtime, credentials, client }) => {
      const user = await setAccountDisabled(runtime, { id: String(userId) }, false, actedBy(credentials.principal, client));
      return findUser(runtime, user.id, query);
    },
  }),
  deleteUser: t.boolean({
    description: 'Admins only, with a session: ends every credential and deletes the account at once (its log stays, without addresses and User-Agents).',
    authScopes: adminSession,
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, { userId }, { runtime, credentials, client }) => {
      await deleteUser(runtime, { id: String(userId) }, actedBy(credentials.principal, client));
      return true;
    },
  }),
}));
