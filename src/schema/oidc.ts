import { sessionOf } from '../graphql/context.js';
import { linkGoogle, signInWithGoogle, unlinkGoogle } from '../oidc/google-account.js';
import { deliverTokens } from '../sessions/delivery.js';
import { builder } from './builder.js';
import { AuthPayload, ClientType } from './sessions.js';
import { Account } from './users.js';

builder.mutationFields((t) => ({
  googleSignIn: t.field({
    type: AuthPayload,
    description:
      'Signs in with a Google ID token (`credential` from Google Identity Services), creating the account on first use. ' +
      'An existing account with the same e-mail is joined only when it has verified that address, and the join takes it over for ' +
      "the address's owner: its password is cleared and its other sessions and API keys end.",
    args: {
      credential: t.arg.string({ required: true }),
      clientType: t.arg({ type: ClientType, defaultValue: 'API' }),
      rememberMe: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, context) => {
      const tokens = await signInWithGoogle(
        context.runtime,
        args.credential,
        { clientType: args.clientType ?? 'API', rememberMe: args.rememberMe ?? false },
        context.client,
      );
      return deliverTokens(context.runtime, tokens, context.delivery);
    },
  }),
  linkGoogle: t.field({
    type: Account,
    description: 'Links the Google account of a Google ID token to the signed-in account, whatever its e-mail address.',
    authScopes: { session: true },
    args: { credential: t.arg.string({ required: true }) },
    resolve: (_root, { credential }, context) => linkGoogle(context.runtime, sessionOf(context), credential),
  }),
  unlinkGoogle: t.field({
    type: Account,
    description: 'Removes Google sign-in; only when the account has a password to sign in with.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => unlinkGoogle(context.runtime, sessionOf(context)),
  }),
}));
