import { sessionOf } from '../graphql/context.js';
import { passkeysOf, removePasskey, renamePasskey, type PasskeyView } from '../passkeys/manage.js';
import { passkeyRegistrationOptions, registerPasskey } from '../passkeys/registration.js';
import { passkeyAuthenticationOptions, signInWithPasskey, verifyMfaWithPasskey } from '../passkeys/sign-in.js';
import { deliverTokens } from '../sessions/delivery.js';
import { builder } from './builder.js';
import { AuthPayload, ClientType } from './sessions.js';
import { Account } from './users.js';

const Passkey = builder.objectRef<PasskeyView>('Passkey').implement({
  description: 'A passkey (WebAuthn credential) that signs in to this account without a password; authgraph keeps only its public key.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    deviceType: t.exposeString('deviceType', { description: 'singleDevice, or multiDevice (synced between devices, e.g. by a password manager).' }),
    backedUp: t.exposeBoolean('backedUp', { description: 'Whether the authenticator said, at its last use, that the passkey is backed up.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const PasskeyPurpose = builder.enumType('PasskeyPurpose', {
  values: {
    SIGN_IN: { description: 'signInWithPasskey: any passkey of this site, no username typed.' },
    SECOND_FACTOR: { description: "verifyMfaWithPasskey: the second factor of a sign-in challenge (give mfaChallengeId); the account's passkeys only." },
    STEP_UP: { description: "stepUpMfa(passkey:) in a signed-in session: the session's own passkeys only." },
  } as const,
});

builder.objectFields(Account, (t) => ({
  passkeys: t.field({ type: [Passkey], resolve: (account, _args, { runtime }) => passkeysOf(runtime, account.id) }),
}));

builder.mutationFields((t) => ({
  passkeyRegistrationOptions: t.field({
    type: 'JSONObject',
    description:
      'Options for navigator.credentials.create (@simplewebauthn/browser startRegistration({ optionsJSON })); then registerPasskey. ' +
      'Needs a recent sign-in (and a second factor if the account has one). The challenge is single use and lives MFA_CHALLENGE_TTL seconds.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => passkeyRegistrationOptions(context.runtime, sessionOf(context), context.client),
  }),
  registerPasskey: t.field({
    type: Passkey,
    description: 'Keeps the passkey the browser created (the RegistrationResponseJSON startRegistration answers). The owner is mailed.',
    authScopes: { session: true },
    args: { response: t.arg({ type: 'JSONObject', required: true }), name: t.arg.string() },
    resolve: (_root, { response, name }, context) => registerPasskey(context.runtime, sessionOf(context), response, name, context.client),
  }),
  renamePasskey: t.field({
    type: Passkey,
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_root, { id, name }, context) => renamePasskey(context.runtime, sessionOf(context), String(id), name, context.client),
  }),
  removePasskey: t.boolean({
    description: "Removes a passkey (needs a recent sign-in); refused when it is the account's last way to sign in. The owner is mailed.",
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      await removePasskey(context.runtime, sessionOf(context), String(id), context.client);
      return true;
    },
  }),
  passkeyAuthenticationOptions: t.field({
    type: 'JSONObject',
    description: 'Options for navigator.credentials.get (@simplewebauthn/browser startAuthentication({ optionsJSON })): single use, MFA_CHALLENGE_TTL seconds.',
    args: { purpose: t.arg({ type: PasskeyPurpose, defaultValue: 'SIGN_IN' }), mfaChallengeId: t.arg.id() },
    resolve: (_root, args, context) => {
      const { principal } = context.credentials;
      const session = principal.kind === 'session' ? principal : null;
      return passkeyAuthenticationOptions(
        context.runtime,
        { purpose: args.purpose ?? 'SIGN_IN', mfaChallengeId: args.mfaChallengeId === null || args.mfaChallengeId === undefined ? null : String(args.mfaChallengeId), session },
        context.client,
      );
    },
  }),
  signInWithPasskey: t.field({
    type: AuthPayload,
    description: 'Signs in with a passkey (the AuthenticationResponseJSON startAuthentication answers): two factors at once (amr hwk+user, aal2).',
    args: {
      response: t.arg({ type: 'JSONObject', required: true }),
      clientType: t.arg({ type: ClientType, defaultValue: 'API' }),
      rememberMe: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, context) => {
      const { user, ...tokens } = await signInWithPasskey(
        context.runtime,
        args.response,
        { clientType: args.clientType ?? 'API', rememberMe: args.rememberMe ?? false },
        context.client,
      );
      return { ...deliverTokens(context.runtime, tokens, context.delivery), user };
    },
  }),
  verifyMfaWithPasskey: t.field({
    type: AuthPayload,
    description: "Completes a sign-in challenge (methods include passkey) with one of the account's passkeys.",
    args: { challengeId: t.arg.id({ required: true }), response: t.arg({ type: 'JSONObject', required: true }) },
    resolve: async (_root, { challengeId, response }, context) => {
      const { user, ...tokens } = await verifyMfaWithPasskey(context.runtime, String(challengeId), response, context.client);
      return { ...deliverTokens(context.runtime, tokens, context.delivery), user };
    },
  }),
}));
