import { createApiKey } from '../apikeys/create.js';
import { parseScopes, type Role } from '../apikeys/scopes.js';
import { keyOwner } from '../apikeys/manage.js';
import { createServiceAccount, findServiceAccount, listServiceAccounts } from '../service-accounts/service-accounts.js';
import { deleteServiceAccount, setServiceAccountDisabled, updateServiceAccount } from '../service-accounts/manage.js';
import { actedBy } from '../audit/actor.js';
import { ApiKey, CreateApiKeyInputRef, CreatedApiKey } from './apikeys.js';
import { builder } from './builder.js';
import { sessionOf } from '../graphql/context.js';
import { RoleEnum, User, Whoami } from './users.js';

export const ServiceAccount = builder.prismaObject('ServiceAccount', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    role: t.field({ type: RoleEnum, resolve: (account) => account.role as Role }),
    scopes: t.stringList({ description: 'The most its keys can hold.', resolve: (account) => parseScopes(account.scopes) }),
    plan: t.exposeString('plan'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'A disabled account\'s keys are refused.' }),
    apiKeys: t.relation('apiKeys', {
      description: 'Admins only, with a session.',
      authScopes: { $all: { session: true, admin: true } },
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

const ApiKeyOwner = builder.unionType('ApiKeyOwner', {
  types: [User, ServiceAccount],
  resolveType: (owner) => ('username' in owner ? User : ServiceAccount),
});

builder.objectField(ApiKey, 'owner', (t) =>
  t.field({
    type: ApiKeyOwner,
    resolve: (key, _args, { runtime }) => keyOwner(runtime, key),
  }),
);

builder.objectField(Whoami, 'serviceAccount', (t) =>
  t.prismaField({
    type: 'ServiceAccount',
    nullable: true,
    description: 'The service account an API key belongs to; null for a user.',
    resolve: (query, whoami, _args, { runtime }) =>
      whoami.serviceAccountId ? findServiceAccount(runtime, whoami.serviceAccountId, query) : null,
  }),
);

const CreateServiceAccountInput = builder.inputType('CreateServiceAccountInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    role: t.field({ type: RoleEnum, defaultValue: 'USER', description: 'USER or ADMIN; only an owner gives ADMIN.' }),
    scopes: t.stringList({ required: true, description: 'account:read, account:write, tokens:read, tokens:write; admin needs the ADMIN role.' }),
  }),
});

builder.queryFields((t) => ({
  serviceAccounts: t.prismaField({
    type: ['ServiceAccount'],
    description: 'Admins only: a session, or a LIVE key with the admin scope.',
    authScopes: { admin: true },
    resolve: (_query, _root, _args, { runtime }) => listServiceAccounts(runtime),
  }),
}));

builder.mutationFields((t) => ({
  createServiceAccount: t.prismaField({
    type: 'ServiceAccount',
    description: 'Admins only, with a session; an ADMIN-role account takes an owner.',
    authScopes: { $all: { session: true, admin: true } },
    args: { input: t.arg({ type: CreateServiceAccountInput, required: true }) },
    resolve: (_query, _root, { input }, context) => createServiceAccount(context.runtime, input, sessionOf(context), context.client),
  }),
  createServiceAccountKey: t.field({
    type: CreatedApiKey,
    description: 'Admins only, with a session. The key does not expire unless expiresAt is set.',
    authScopes: { $all: { session: true, admin: true } },
    args: { serviceAccountId: t.arg.id({ required: true }), input: t.arg({ type: CreateApiKeyInputRef, required: true }) },
    resolve: (_root, { serviceAccountId, input }, context) => {
      const { userId } = sessionOf(context);
      return createApiKey(context.runtime, { serviceAccountId: String(serviceAccountId) }, input, {
        userId,
        client: context.client,
        proof: sessionOf(context),
      });
    },
  }),
}));

const UpdateServiceAccountInput = builder.inputType('UpdateServiceAccountInput', {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ description: 'An empty string clears it.' }),
    scopes: t.stringList({ description: 'Within its role; its keys are verified again at once.' }),
  }),
});

const adminSession = { $all: { session: true, admin: true } } as const;

builder.mutationFields((t) => ({
  updateServiceAccount: t.prismaField({
    type: 'ServiceAccount',
    description: 'Admins only, with a session.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateServiceAccountInput, required: true }) },
    resolve: (_query, _root, { id, input }, context) =>
      updateServiceAccount(context.runtime, String(id), input, actedBy(context.credentials.principal, context.client)),
  }),
  disableServiceAccount: t.prismaField({
    type: 'ServiceAccount',
    description: 'Admins only, with a session: its keys are refused on every instance from their next use.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, context) =>
      setServiceAccountDisabled(context.runtime, String(id), true, actedBy(context.credentials.principal, context.client)),
  }),
  enableServiceAccount: t.prismaField({
    type: 'ServiceAccount',
    description: 'Admins only, with a session.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, { id }, context) =>
      setServiceAccountDisabled(context.runtime, String(id), false, actedBy(context.credentials.principal, context.client)),
  }),
  deleteServiceAccount: t.boolean({
    description: 'Admins only, with a session: its keys are revoked on every instance and deleted with it.',
    authScopes: adminSession,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => deleteServiceAccount(context.runtime, String(id), actedBy(context.credentials.principal, context.client)),
  }),
}));
