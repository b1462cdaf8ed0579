import { AppError } from '../errors.js';
import { clearedRefreshCookie, readCookie, refreshCookie, refreshCookieName } from '../http/cookies.js';
import { login } from '../sessions/login.js';
import { refreshSession } from '../sessions/refresh.js';
import { revokeSession } from '../sessions/revoke.js';
import type { SessionTokens } from '../sessions/session-tokens.js';
import { builder } from './builder.js';
import type { User } from '../generated/sqlite/client.js';
import type { GraphQLContext } from './context.js';

export const ClientType = builder.enumType('ClientType', { values: ['API', 'BROWSER'] as const });

/** `user`: the account's row when the flow read it already (login). */
type AuthPayloadShape = { tokens: SessionTokens; refreshInBody: boolean; user?: User };

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
        user && Object.keys(query).length === 0 ? user : runtime.db.user.findUniqueOrThrow({ ...query, where: { id: tokens.userId } }),
    }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    username: t.string({ required: true, description: 'A username or an e-mail address.' }),
    password: t.string({ required: true }),
    clientType: t.field({ type: ClientType, defaultValue: 'API' }),
    rememberMe: t.boolean({ defaultValue: false }),
  }),
});

/** The GraphQL endpoint's path: browser refresh cookies are scoped to it. */
const cookiePath = (context: GraphQLContext) => new URL(context.request.url).pathname;

export function payload(context: GraphQLContext, tokens: SessionTokens, viaCookie: boolean, user?: User): AuthPayloadShape {
  if (viaCookie) {
    context.responseCookies.push(refreshCookie(context.runtime, tokens.refreshToken, tokens.refreshExpiresAt, cookiePath(context)));
  }
  return { tokens, refreshInBody: !viaCookie, user };
}

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
      return payload(context, tokens, input.clientType === 'BROWSER', user);
    },
  }),
  refresh: t.field({
    type: AuthPayload,
    description: 'Rotates the refresh token given here, as `Authorization: Bearer <refresh token>`, or in the cookie.',
    args: { refreshToken: t.arg.string() },
    resolve: async (_root, args, context) => {
      const cookieToken = readCookie(context.request.headers, refreshCookieName);
      const refreshToken = args.refreshToken ?? context.credentials.bearerRefreshToken ?? cookieToken;
      if (!refreshToken) throw new AppError('UNAUTHENTICATED', { message: 'No refresh token was presented.' });
      const tokens = await refreshSession(context.runtime, refreshToken, context.client);
      return payload(context, tokens, refreshToken === cookieToken);
    },
  }),
  logout: t.boolean({
    description: 'Ends the current session: its refresh token and access tokens stop working.',
    authScopes: { session: true },
    resolve: async (_root, _args, context) => {
      const { principal } = context.credentials;
      if (principal.kind !== 'session') throw new AppError('FORBIDDEN');
      await revokeSession(context.runtime, principal.sessionId, 'logout');
      if (readCookie(context.request.headers, refreshCookieName)) {
        context.responseCookies.push(clearedRefreshCookie(context.runtime, cookiePath(context)));
      }
      return true;
    },
  }),
}));
