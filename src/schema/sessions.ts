import { findUser } from '../accounts/users.js';
import type { User } from '../generated/sqlite/client.js';
import { deliverTokens, logoutCaller, refreshPresented, type DeliveredTokens } from '../sessions/delivery.js';
import { login } from '../sessions/login.js';
import { builder } from './builder.js';

export const ClientType = builder.enumType('ClientType', { values: ['API', 'BROWSER'] as const });

/** `user`: the account's row when the flow read it already (login). */
type AuthPayloadShape = DeliveredTokens & { user?: User };

export const AuthPayload = builder.objectRef<AuthPayloadShape>('AuthPayload').implement({
  fields: (t) => ({
    accessToken: t.string({ resolve: ({ tokens }) => tokens.accessToken }),
    tokenType: t.string({ description: 'Always "bearer".', resolve: () => 'bearer' }),
    expiresIn: t.int({ description: 'Seconds until the access token expires.', resolve: ({ tokens }) => tokens.expiresIn }),
    refreshToken: t.string({
      nullable: true,
      description: 'Null for BROWSER clients: the refresh token travels as an HttpOnly cookie instead.',
      resolve: ({ tokens, refreshInBody }) => (refreshInBody ? tokens.refreshToken : null),
    }),
    refreshExpiresAt: t.field({ type: 'DateTime', resolve: ({ tokens }) => tokens.refreshExpiresAt }),
    user: t.prismaField({
      type: 'User',
      // A selection of the user's own fields needs no relation loaded: the row at hand answers it.
      resolve: (query, { tokens, user }, _args, { runtime }) =>
        user && Object.keys(query).length === 0 ? user : findUser(runtime, tokens.userId, query),
    }),
  }),
});

export const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    username: t.string({ required: true, description: 'A username or an e-mail address.' }),
    password: t.string({ required: true }),
    clientType: t.field({ type: ClientType, defaultValue: 'API' }),
    rememberMe: t.boolean({ defaultValue: false }),
  }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { user, ...tokens } = await login(
        context.runtime,
        {
          login: input.username,
          password: input.password,
          clientType: input.clientType ?? 'API',
          rememberMe: input.rememberMe ?? false,
        },
        context.client,
      );
      return { ...deliverTokens(context.runtime, tokens, context.delivery), user };
    },
  }),
  refresh: t.field({
    type: AuthPayload,
    description: 'Rotates the refresh token given here, as `Authorization: Bearer <refresh token>`, or in the cookie.',
    args: { refreshToken: t.arg.string() },
    resolve: (_root, args, { runtime, credentials, client, delivery }) =>
      refreshPresented(runtime, { credentials, client, explicitToken: args.refreshToken }, delivery),
  }),
  logout: t.boolean({
    description:
      "Ends the credential that calls: a session's refresh and access tokens stop working; a user's own API key is revoked. A service account's key is refused.",
    authScopes: { signedIn: true },
    resolve: async (_root, _args, { runtime, credentials, delivery, client }) => {
      await logoutCaller(runtime, credentials.principal, delivery, client);
      return true;
    },
  }),
}));
