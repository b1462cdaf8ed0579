import { auditLog } from '../audit/queries.js';
import { tokenLog } from '../token-events/queries.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';

export const TokenEvent = builder.prismaObject('TokenEvent', {
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    action: t.exposeString('action', {
      description:
        'Credentials: login, refresh, reuse-detected, revoke, request, create, roll, update, mfa, passkey. Accounts: register, email-verified, email-change-requested, email-changed, password-changed, password-reset, password-set, profile-updated, provider-linked, provider-unlinked, role-changed, plan-changed, disabled, enabled, deletion-scheduled, deletion-cancelled, deleted, exported. Service accounts: service-account-created, -updated, -disabled, -enabled, -deleted.',
    }),
    operation: t.exposeString('operation', {
      nullable: true,
      description: 'The GraphQL operation or REST path of a request; the reason of a revocation.',
    }),
    outcome: t.exposeString('outcome', { description: '`success`, or the error code the attempt ended with.' }),
    tags: t.stringList({
      description: 'The labels a product attached to a verification of the key (verifyApiKey).',
      resolve: (event) => (event.tags ? event.tags.split(' ') : []),
    }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    actorType: t.exposeString('actorType', {
      nullable: true,
      description: 'Who acted: user, service-account, shell (the operator\'s npm run admin) or system (the maintenance job).',
    }),
    actorId: t.exposeID('actorId', { nullable: true, description: 'The acting user or service account.' }),
    userId: t.exposeID('userId', { nullable: true, description: 'The account the event concerns.' }),
    serviceAccountId: t.exposeID('serviceAccountId', { nullable: true, description: 'The service account the event concerns.' }),
    detail: t.exposeString('detail', { nullable: true, description: 'What changed (e.g. "USER -> ADMIN"), without personal data.' }),
    tokenId: t.id({
      nullable: true,
      description: 'The session or API key concerned.',
      resolve: (event) => event.sessionId ?? event.apiKeyId,
    }),
  }),
});

const TokenEventConnection = connectionOf('TokenEvent', TokenEvent);

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    actorId: t.id({ description: 'The acting user or service account.' }),
    targetId: t.id({ description: 'The account, service account, session or key concerned.' }),
    action: t.string(),
    since: t.field({ type: 'DateTime', description: 'From this time on (inclusive).' }),
    until: t.field({ type: 'DateTime', description: 'Before this time.' }),
  }),
});

builder.queryFields((t) => ({
  tokenLog: t.field({
    type: TokenEventConnection,
    description: "A session's or an API key's activity, newest first. A session, or a key with tokens:read.",
    authScopes: { scope: 'tokens:read' },
    args: { tokenId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { tokenId, ...page }, { runtime, credentials }) => tokenLog(runtime, credentials.principal, String(tokenId), page),
  }),
  auditLog: t.field({
    type: TokenEventConnection,
    description:
      "Every event of the caller's account, newest first. Admins may pass userId (that account's), or a filter (the whole log, narrowed by it).",
    authScopes: (_root, { userId, filter }) => (userId || filter ? { $all: { admin: true, scope: 'tokens:read' } } : { scope: 'tokens:read' }),
    args: { first: t.arg.int(), after: t.arg.string(), userId: t.arg.id(), filter: t.arg({ type: AuditFilter }) },
    resolve: (_root, { userId, filter, ...page }, { runtime, credentials }) =>
      auditLog(runtime, credentials.principal, page, { userId: userId ? String(userId) : null, filter }),
  }),
}));
