import { reauthenticate } from '../accounts/reauth.js';
import { sessionOf } from '../graphql/context.js';
import { reauthenticateWithGoogle } from '../oidc/google-account.js';
import { builder } from './builder.js';

builder.mutationFields((t) => ({
  reauthenticate: t.field({
    type: 'DateTime',
    description:
      'Confirms the password in this session, so that sensitive changes (API keys, the Google link) are allowed for REAUTH_WINDOW ' +
      'seconds. Throttled like a sign-in; repeated wrong passwords end the session. Answers the new authentication time.',
    authScopes: { session: true },
    args: { password: t.arg.string({ required: true }) },
    resolve: (_root, { password }, context) => reauthenticate(context.runtime, sessionOf(context), password, context.client),
  }),
  reauthenticateWithGoogle: t.field({
    type: 'DateTime',
    description: 'As reauthenticate, with a fresh Google ID token of the Google account linked to this account.',
    authScopes: { session: true },
    args: { credential: t.arg.string({ required: true }) },
    resolve: (_root, { credential }, context) => reauthenticateWithGoogle(context.runtime, sessionOf(context), credential),
  }),
}));
