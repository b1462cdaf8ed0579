import { requestsPerHour, usageHistoryDays, type HourOfRequests as HourOfRequestsShape } from '../apikeys/usage-history.js';
import { createApiKey } from '../apikeys/create.js';
import { findManagedApiKey, listApiKeys, revokeApiKey, rollApiKey } from '../apikeys/manage.js';
import { keyEnvironments, type KeyEnvironment } from '../apikeys/scopes.js';
import { updateApiKey } from '../apikeys/update.js';
import { parsePermissions } from '../apikeys/permissions.js';
import { usageRefills } from '../principal.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';
import { sessionOf } from '../graphql/context.js';
import { Credential } from './users.js';

export const KeyEnvironmentEnum = builder.enumType('KeyEnvironment', { values: keyEnvironments });

export const UsageRefillEnum = builder.enumType('UsageRefill', { values: usageRefills });

export const RateLimit = builder.objectRef<{ limit: number; windowSeconds: number }>('RateLimit').implement({
  description: "A key's own rate limit: requests per window, instead of its owner's plan's per minute.",
  fields: (t) => ({ limit: t.exposeInt('limit'), windowSeconds: t.exposeInt('windowSeconds') }),
});

export const UsageBudget = builder.objectRef<{ limit: number; refill: (typeof usageRefills)[number] }>('UsageBudget').implement({
  description: "A key's budget of request cost, refilled at the start of each UTC day or month.",
  fields: (t) => ({ limit: t.exposeInt('limit'), refill: t.field({ type: UsageRefillEnum, resolve: (usage) => usage.refill }) }),
});

const RateLimitInput = builder.inputType('RateLimitInput', {
  fields: (t) => ({
    limit: t.int({ required: true, description: 'Requests per window (1 to 1,000,000).' }),
    windowSeconds: t.int({ description: 'The window, 1 to 86,400 seconds; omitted: 60.' }),
  }),
});

const UsageBudgetInput = builder.inputType('UsageBudgetInput', {
  fields: (t) => ({
    limit: t.int({ required: true, description: 'Cost units per period; a request costs 1, verifyApiKey its `cost`.' }),
    refill: t.field({ type: UsageRefillEnum, required: true }),
  }),
});

const HourOfRequests = builder.objectRef<HourOfRequestsShape>('HourOfRequests').implement({
  description: "One hour of a key's use, from the activity log.",
  fields: (t) => ({
    hour: t.expose('hour', { type: 'DateTime', description: 'The start of the hour (UTC).' }),
    requests: t.exposeInt('requests', { description: 'Requests made with the key in that hour.' }),
    refused: t.exposeInt('refused', { description: 'Of those, the ones refused (rate limit, budget, scope...).' }),
  }),
});

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
    permissions: t.stringList({
      description: 'The permissions this server declares (API_KEY_PERMISSIONS) that the key was given.',
      resolve: (key) => parsePermissions(key.permissions),
    }),
    rateLimit: t.field({
      type: RateLimit,
      nullable: true,
      description: "Null: the owner's plan's requests per minute.",
      resolve: (key) => (key.rateLimit === null ? null : { limit: key.rateLimit, windowSeconds: key.rateLimitWindow ?? 60 }),
    }),
    usage: t.field({
      type: UsageBudget,
      nullable: true,
      description: 'Null: no budget.',
      resolve: (key) =>
        key.usageLimit === null || key.usageRefill === null ? null : { limit: key.usageLimit, refill: key.usageRefill as (typeof usageRefills)[number] },
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
    requestsPerHour: t.field({
      type: [HourOfRequests],
      description: `Requests per hour over the last \`days\` (1 to ${usageHistoryDays.max}), oldest first, the current hour last; empty hours count 0. A session, or a key with tokens:read.`,
      authScopes: { scope: 'tokens:read' },
      args: { days: t.arg.int({ defaultValue: usageHistoryDays.default }) },
      resolve: (key, { days }, { runtime }) => requestsPerHour(runtime, key.id, days ?? usageHistoryDays.default),
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
    scopes: t.stringList({
      description:
        "Narrows the key to these scopes (account:read, account:write, tokens:read, tokens:write, admin, and keys:verify for a service account's key); omitted: all of the owner's but account:write and keys:verify, which a key holds only when named.",
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'Omitted: the key does not expire.' }),
    environment: t.field({ type: KeyEnvironmentEnum, defaultValue: 'LIVE' }),
    permissions: t.stringList({ description: 'Of the permissions this server declares (API_KEY_PERMISSIONS); omitted: none.' }),
    rateLimit: t.field({ type: RateLimitInput, description: "Omitted: the owner's plan's requests per minute." }),
    usage: t.field({ type: UsageBudgetInput, description: 'Omitted: no budget.' }),
  }),
});

const UpdateApiKeyInputRef = builder.inputType('UpdateApiKeyInput', {
  description: 'A field left out stays as it is; null clears it (no permissions, no expiry, the plan rate, no budget).',
  fields: (t) => ({
    name: t.string(),
    permissions: t.stringList(),
    expiresAt: t.field({ type: 'DateTime' }),
    rateLimit: t.field({ type: RateLimitInput }),
    usage: t.field({ type: UsageBudgetInput }),
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
  apiKeyPermissions: t.stringList({
    description: "The product's permission names this server declares (API_KEY_PERMISSIONS), which keys may be given. Needs a session.",
    authScopes: { session: true },
    resolve: (_root, _args, context) => context.runtime.config.apiKeys.permissions,
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
  updateApiKey: t.field({
    type: ApiKey,
    description: 'Renames a key or changes its permissions, expiry and limits; widening them needs a recent sign-in. Needs a session.',
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateApiKeyInputRef, required: true }) },
    resolve: (_root, { id, input }, context) => updateApiKey(context.runtime, sessionOf(context), String(id), input, context.client),
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
