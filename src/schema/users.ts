import { getAccount, type AccountSummary } from '../accounts/account.js';
import { findUser } from '../accounts/users.js';
import { accountUserId, whoami, whoamiUser, type WhoamiCredential, type WhoamiSummary } from '../accounts/whoami.js';
import { registerUser } from '../accounts/register.js';
import { setUserRole } from '../accounts/roles.js';
import { roles, type Role } from '../apikeys/scopes.js';
import { actedBy } from '../audit/actor.js';
import { builder } from './builder.js';

export const RoleEnum = builder.enumType('Role', { values: roles });

export const User = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    role: t.field({ type: RoleEnum, resolve: (user) => user.role as Role }),
    email: t.expose('email', { type: 'EmailAddress' }),
    fullName: t.exposeString('fullName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SignInMethod = builder.enumType('SignInMethod', { values: ['PASSWORD', 'GOOGLE', 'PASSKEY', 'EMAIL_CODE'] as const });

export const Account = builder.objectRef<AccountSummary>('Account').implement({
  fields: (t) => ({
    username: t.exposeString('username'),
    email: t.expose('email', { type: 'EmailAddress' }),
    emailVerified: t.exposeBoolean('emailVerified'),
    hasPassword: t.exposeBoolean('hasPassword'),
    googleLinked: t.exposeBoolean('googleLinked'),
    canUnlinkGoogle: t.exposeBoolean('canUnlinkGoogle'),
    availableSignInMethods: t.expose('availableSignInMethods', { type: [SignInMethod] }),
    role: t.exposeString('role'),
    plan: t.exposeString('plan'),
    planSource: t.exposeString('planSource', { description: 'Where the plan comes from: "default" (never set) or "admin".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    fullName: t.exposeString('fullName', { nullable: true }),
    deletionDueAt: t.expose('deletionDueAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set by deleteAccount within ACCOUNT_DELETION_GRACE: when the account is deleted unless cancelAccountDeletion is called first.',
    }),
  }),
});

const CredentialKind = builder.enumType('CredentialKind', { values: ['SESSION', 'API_KEY'] as const });

export const Credential = builder.objectRef<WhoamiCredential>('Credential').implement({
  fields: (t) => ({
    kind: t.expose('kind', { type: CredentialKind }),
    id: t.exposeID('id'),
    name: t.exposeString('name', { nullable: true }),
  }),
});

export const Whoami = builder.objectRef<WhoamiSummary>('Whoami').implement({
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (_query, whoami, _args, { runtime }) => whoamiUser(runtime, whoami),
    }),
    credential: t.field({ type: Credential, resolve: (whoami) => whoami.credential }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    email: t.field({ type: 'EmailAddress', required: true }),
    password: t.string({ required: true }),
    fullName: t.string(),
    redirectTo: t.string({ description: "Where the verification mail's page sends the browser on: a path on this server, or an http(s) address REDIRECT_ALLOWLIST allows." }),
  }),
});

builder.queryFields((t) => ({
  whoami: t.field({
    type: Whoami,
    description: 'Accepts a session, or an API key with the account:read scope.',
    authScopes: { scope: 'account:read' },
    resolve: (_root, _args, { runtime, credentials: { principal } }) => whoami(runtime, principal),
  }),
  account: t.field({
    type: Account,
    description: "Accepts a session, or a user's API key with the account:read scope.",
    authScopes: { scope: 'account:read' },
    resolve: (_root, _args, { runtime, credentials: { principal } }) => getAccount(runtime, accountUserId(principal)),
  }),
}));

builder.mutationFields((t) => ({
  register: t.prismaField({
    type: 'User',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: async (query, _root, { input }, { runtime, client }) => {
      const user = await registerUser(runtime, input, client);
      // A selection of the user's own fields needs no relation loaded: the created row answers it.
      return Object.keys(query).length === 0 ? user : findUser(runtime, user.id, query);
    },
  }),
  setUserRole: t.prismaField({
    type: 'User',
    description:
      "Owners only, with a session: gives a user a role; the last owner is not demoted. A demoted admin's keys lose the admin scope at once.",
    authScopes: { owner: true },
    args: { username: t.arg.string({ required: true }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: async (query, _root, { username, role }, { runtime, credentials, client }) => {
      const user = await setUserRole(runtime, username, role, actedBy(credentials.principal, client));
      return findUser(runtime, user.id, query);
    },
  }),
}));
