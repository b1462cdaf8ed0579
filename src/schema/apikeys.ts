import { createApiKey } from '../apikeys/create.js';
import { findManagedApiKey, listApiKeys, revokeApiKey, rollApiKey } from '../apikeys/manage.js';
import { keyEnvironments, type KeyEnvironment } from '../apikeys/scopes.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';
import { sessionOf } from '../graphql/context.js';
import { Credential } from './users.js';

export const KeyEnvironmentEnum = builder.enumType('KeyEnvironment', { values: keyEnvironments });

export const ApiKey = builder.prismaObject('ApiKey', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    prefix: t.exposeString('prefix', { description: 'The start of the key, e.g. `sk_live_a1b2`: all that is shown after creation.' }),
    environment: t.field({ type: KeyEnvironmentEnum, resolve: (key) => key.environment as KeyEnvironment }),
    scopes: t.stringList({
      nullable: true,
      description: "What the key is narrowed to; null means all of its owner's scopes.",
      resolve: (key) => (key.scopes === null ? null : key.scopes.split(' ').filter(Boolean)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (key, _args, { runtime }) => runtime.tokenEvents.pendingLastUse(key.id) ?? key.lastUsedAt,
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the secret the last roll replaced stops (or stopped) working; null when that roll gave no grace period.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    isActive: t.boolean({
      resolve: (key, _args, { runtime }) => !key.revokedAt && (!key.expiresAt || key.expiresAt > runtime.clock()),
    }),
  }),
});

type CreatedApiKeyShape = Awaited<ReturnType<typeof createApiKey>>;
export const CreatedApiKey = builder.objectRef<CreatedApiKeyShape>('CreatedApiKey').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, resolve: (created) => created.apiKey }),
    rawKey: t.exposeString('rawKey', { description: 'The whole key. Returned here once and never again: store it now.' }),
  }),
});

export const CreateApiKeyInputRef = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string({ description: 'What the key is for (at most 500 characters).' }),
    scopes: t.stringList({ description: "Narrows the key to these scopes (account:read, account:write, tokens:read, tokens:write, admin); omitted: all of the owner's but account:write, which a key holds only when named." }),
    expiresAt: t.field({ type: 'DateTime', description: 'Omitted: the key does not expire.' }),
    environment: t.field({ type: KeyEnvironmentEnum, defaultValue: 'LIVE' }),
  }),
});

const ApiKeyConnection = connectionOf('ApiKey', ApiKey);

builder.objectFields(Credential, (t) => ({
  environment: t.field({
    type: KeyEnvironmentEnum,
    nullable: true,
    description: 'LIVE or TEST for an API key; null for a session.',
    resolve: (credential) => credential.environment,
  }),
  scopes: t.stringList({
    nullable: true,
    description: "An API key's effective scopes; null for a session, which holds them all.",
    resolve: (credential) => credential.scopes,
  }),
}));

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: ApiKeyConnection,
    description: "The caller's keys, newest first, revoked and expired ones included. Needs a session.",
    authScopes: { session: true },
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, page, context) => listApiKeys(context.runtime, sessionOf(context).userId, page),
  }),
  apiKey: t.field({
    type: ApiKey,
    nullable: true,
    description: "One of the caller's keys (or, for an admin, a service account's). Needs a session.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => findManagedApiKey(context.runtime, sessionOf(context), String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: 'Mints a key for the caller. Needs a session.',
    authScopes: { session: true },
    args: { input: t.arg({ type: CreateApiKeyInputRef, required: true }) },
    resolve: (_root, { input }, context) => {
      const { userId } = sessionOf(context);
      return createApiKey(context.runtime, { userId }, input, { userId, client: context.client, proof: sessionOf(context) });
    },
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: 'Refused from the very next request on. Needs a session.',
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => revokeApiKey(context.runtime, sessionOf(context), String(id), context.client),
  }),
  rollApiKey: t.field({
    type: CreatedApiKey,
    description: 'A new secret for the same key (id, settings and log); the old secret works until the grace period ends.',
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }), gracePeriodSeconds: t.arg.int({ defaultValue: 0 }) },
    resolve: (_root, { id, gracePeriodSeconds }, context) =>
      rollApiKey(context.runtime, sessionOf(context), String(id), gracePeriodSeconds ?? 0, context.client),
  }),
}));
