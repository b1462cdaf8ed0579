import { auditLog, tokenLog } from '../token-events/queries.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';

const TokenEvent = builder.prismaObject('TokenEvent', {
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    action: t.exposeString('action', { description: 'login, refresh, reuse-detected, revoke, request, create, roll or update.' }),
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
    tokenId: t.id({
      nullable: true,
      description: 'The session or API key concerned.',
      resolve: (event) => event.sessionId ?? event.apiKeyId,
    }),
  }),
});

const TokenEventConnection = connectionOf('TokenEvent', TokenEvent);

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
    description: "Every credential event of the caller's account, newest first; admins may pass userId.",
    authScopes: (_root, { userId }) => (userId ? { $all: { admin: true, scope: 'tokens:read' } } : { scope: 'tokens:read' }),
    args: { first: t.arg.int(), after: t.arg.string(), userId: t.arg.id() },
    resolve: (_root, { userId, ...page }, { runtime, credentials }) =>
      auditLog(runtime, credentials.principal, page, userId ? String(userId) : null),
  }),
}));
