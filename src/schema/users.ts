import { getAccount, type AccountSummary } from '../accounts/account.js';
import { findActiveUser } from '../accounts/users.js';
import { registerUser } from '../accounts/register.js';
import { AppError } from '../errors.js';
import { builder } from './builder.js';

export const User = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    email: t.expose('email', { type: 'EmailAddress' }),
    fullName: t.exposeString('fullName', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const SignInMethod = builder.enumType('SignInMethod', { values: ['PASSWORD', 'GOOGLE'] as const });

const Account = builder.objectRef<AccountSummary>('Account').implement({
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
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CredentialKind = builder.enumType('CredentialKind', { values: ['SESSION', 'API_KEY'] as const });

type CredentialShape = { kind: 'SESSION' | 'API_KEY'; id: string; name: string | null };
const Credential = builder.objectRef<CredentialShape>('Credential').implement({
  fields: (t) => ({
    kind: t.expose('kind', { type: CredentialKind }),
    id: t.exposeID('id'),
    name: t.exposeString('name', { nullable: true }),
  }),
});

type WhoamiShape = { userId: string | null; credential: CredentialShape };
const Whoami = builder.objectRef<WhoamiShape>('Whoami').implement({
  fields: (t) => ({
    user: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, whoami, _args, { runtime }) =>
        whoami.userId ? runtime.db.user.findUnique({ ...query, where: { id: whoami.userId } }) : null,
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
  }),
});

builder.queryFields((t) => ({
  whoami: t.field({
    type: Whoami,
    authScopes: { signedIn: true },
    resolve: async (_root, _args, { runtime, credentials: { principal } }) => {
      if (principal.kind !== 'session') throw new AppError('UNAUTHENTICATED');
      const session = await runtime.db.session.findUnique({ where: { id: principal.sessionId }, select: { name: true } });
      if (!(await findActiveUser(runtime, principal.userId)) || !session) throw new AppError('UNAUTHENTICATED');
      return { userId: principal.userId, credential: { kind: 'SESSION' as const, id: principal.sessionId, name: session.name } };
    },
  }),
  account: t.field({
    type: Account,
    authScopes: { signedIn: true },
    resolve: (_root, _args, { runtime, credentials: { principal } }) => {
      if (principal.kind !== 'session') throw new AppError('UNAUTHENTICATED');
      return getAccount(runtime, principal.userId);
    },
  }),
}));

builder.mutationFields((t) => ({
  register: t.prismaField({
    type: 'User',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: async (query, _root, { input }, { runtime }) => {
      const user = await registerUser(runtime, input);
      return runtime.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
    },
  }),
}));
