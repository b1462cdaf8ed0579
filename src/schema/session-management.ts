import { actorOf } from '../audit/actor.js';
import { sessionOf } from '../graphql/context.js';
import { listActiveSessions, revokeOtherSessions, revokeSession, revokeUserSessions } from '../sessions/manage.js';
import { describeUserAgent } from '../sessions/user-agent.js';
import { builder } from './builder.js';

builder.prismaObject('Session', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', {
      description: 'Its token name, unique among the user\'s active tokens (e.g. "firefox-132-on-linux-k3x9a2bq"): what novem\'s /v1/admin/tokens/:token takes.',
    }),
    device: t.string({
      description: 'The client, from its User-Agent (e.g. "Firefox 132 on Linux").',
      select: { userAgent: true },
      resolve: (session) => describeUserAgent(session.userAgent),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', description: 'The last sign-in or refresh.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    authenticatedAt: t.expose('authenticatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The last password or Google sign-in (or reauthenticate) in this session; sensitive changes want it within REAUTH_WINDOW.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    current: t.boolean({
      description: 'Whether this is the session making the call.',
      resolve: (session, _args, { credentials: { principal } }) => principal.kind === 'session' && principal.sessionId === session.id,
    }),
  }),
});

builder.queryFields((t) => ({
  sessions: t.prismaField({
    type: ['Session'],
    description: "The caller's active sign-ins, most recently used first. Needs a session.",
    authScopes: { session: true },
    resolve: (_query, _root, _args, context) => listActiveSessions(context.runtime, sessionOf(context).userId),
  }),
}));

builder.mutationFields((t) => ({
  revokeSession: t.prismaField({
    type: 'Session',
    description: 'Ends one of your sessions. Needs a session.',
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, context) => revokeSession(context.runtime, sessionOf(context), String(id)),
  }),
  revokeOtherSessions: t.int({
    description: 'Signs out everywhere but here; returns how many sessions ended. Needs a session.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => revokeOtherSessions(context.runtime, sessionOf(context)),
  }),
  revokeUserSessions: t.int({
    description: 'Admins only, with a session: ends every session of an account.',
    authScopes: { $all: { session: true, admin: true } },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, context) => revokeUserSessions(context.runtime, String(userId), actorOf(context.credentials.principal)),
  }),
}));
