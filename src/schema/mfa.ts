import { sessionOf } from '../graphql/context.js';
import { resetUserMfa } from '../mfa/admin-reset.js';
import { sessionAssurance } from '../mfa/step-up.js';
import { stepUpMfa, verifyMfa } from '../mfa/challenge.js';
import { confirmTotp, enrollTotp, factorsOf, regenerateRecoveryCodes, removeMfaFactor, type MfaFactorView } from '../mfa/factors.js';
import { badInput, type MfaChallengeDetail } from '../errors.js';
import { stepUpWithPasskey } from '../passkeys/sign-in.js';
import { deliverTokens } from '../sessions/delivery.js';
import { signIn, type SignInResult as SignInOutcome } from '../sessions/login.js';
import type { GraphQLContext } from '../graphql/context.js';
import { builder } from './builder.js';
import { AuthPayload, LoginInput } from './sessions.js';
import { Account, Credential } from './users.js';

const MfaFactor = builder.objectRef<MfaFactorView>('MfaFactor').implement({
  description: 'A second factor: an authenticator app (TOTP).',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind', { description: 'TOTP.' }),
    name: t.exposeString('name'),
    confirmed: t.boolean({ description: 'False until confirmTotp: an unconfirmed factor is never asked for.', resolve: (factor) => factor.confirmedAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const TotpEnrollment = builder
  .objectRef<{ factor: MfaFactorView; secret: string; uri: string; qrCode: string }>('TotpEnrollment')
  .implement({
    description: 'Shown once: put the secret in an authenticator app (scan the QR code or open the URI), then confirmTotp with its first code.',
    fields: (t) => ({
      factor: t.field({ type: MfaFactor, resolve: (enrollment) => enrollment.factor }),
      secret: t.exposeString('secret', { description: 'Base32, for typing into an app by hand.' }),
      uri: t.exposeString('uri', { description: 'otpauth://totp/...' }),
      qrCode: t.exposeString('qrCode', { description: 'The URI as a QR code: an SVG data: URL.' }),
    }),
  });

const ConfirmedTotp = builder.objectRef<{ factor: MfaFactorView; recoveryCodes: string[] | null }>('ConfirmedTotp').implement({
  fields: (t) => ({
    factor: t.field({ type: MfaFactor, resolve: (confirmed) => confirmed.factor }),
    recoveryCodes: t.exposeStringList('recoveryCodes', {
      nullable: true,
      description: "The account's first factor only: 10 single-use codes for when the app is lost, shown this once.",
    }),
  }),
});

const MfaChallenge = builder.objectRef<MfaChallengeDetail>('MfaChallenge').implement({
  description: 'The first factor (password, Google or an e-mailed code) was right; the account has a second factor: answer with verifyMfa before expiresAt.',
  fields: (t) => ({
    challengeId: t.exposeID('challengeId'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    methods: t.exposeStringList('methods', { description: 'totp, recovery_code, and passkey when the account has one (verifyMfaWithPasskey).' }),
  }),
});

export const SignInResult = builder.unionType('SignInResult', {
  types: [AuthPayload, MfaChallenge],
  resolveType: (result) => ('challengeId' in result ? MfaChallenge : AuthPayload),
});

/** A sign-in's answer on this door: the MFA challenge, or the tokens (a BROWSER session's refresh token as a cookie). */
export function signInAnswer(context: Pick<GraphQLContext, 'runtime' | 'delivery'>, result: SignInOutcome) {
  if (result.kind === 'mfa') return result.challenge;
  const { kind: _kind, user, ...tokens } = result;
  return { ...deliverTokens(context.runtime, tokens, context.delivery), user };
}

builder.objectFields(Account, (t) => ({
  mfaEnabled: t.boolean({ description: 'Whether signing in asks for a second factor.', resolve: async (account, _args, { runtime }) => (await factorsOf(runtime, account.id)).some((factor) => factor.confirmedAt) }),
  mfaFactors: t.field({ type: [MfaFactor], resolve: (account, _args, { runtime }) => factorsOf(runtime, account.id) }),
}));

builder.objectFields(Credential, (t) => ({
  amr: t.stringList({
    nullable: true,
    description: 'How this session signed in (pwd, google, then otp or recovery); null for keys.',
    resolve: async (credential, _args, { runtime }) => (credential.kind === 'SESSION' ? ((await sessionAssurance(runtime, credential.id))?.amr ?? null) : null),
  }),
  aal: t.string({
    nullable: true,
    description: 'aal2 after a second factor, else aal1; null for keys (the access token carries the same claims).',
    resolve: async (credential, _args, { runtime }) => (credential.kind === 'SESSION' ? ((await sessionAssurance(runtime, credential.id))?.aal ?? null) : null),
  }),
}));

builder.mutationFields((t) => ({
  signIn: t.field({
    type: SignInResult,
    description: 'Password sign-in: tokens (AuthPayload), or an MfaChallenge when the account has a second factor.',
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const result = await signIn(
        context.runtime,
        { login: input.username, password: input.password, clientType: input.clientType ?? 'API', rememberMe: input.rememberMe ?? false },
        context.client,
      );
      return signInAnswer(context, result);
    },
  }),
  verifyMfa: t.field({
    type: AuthPayload,
    description: 'Completes a sign-in with a code from the authenticator app or a recovery code. Five wrong codes end the challenge.',
    args: { challengeId: t.arg.id({ required: true }), code: t.arg.string({ required: true }) },
    resolve: async (_root, { challengeId, code }, context) => {
      const { user, ...tokens } = await verifyMfa(context.runtime, String(challengeId), code.slice(0, 64), context.client);
      return { ...deliverTokens(context.runtime, tokens, context.delivery), user };
    },
  }),
  stepUpMfa: t.field({
    type: 'DateTime',
    description:
      'Confirms a second factor in this session, for MFA_STEP_UP_WINDOW seconds of sensitive changes: a code, or a passkey assertion ' +
      '(passkeyAuthenticationOptions(purpose: STEP_UP)), which also counts as a fresh sign-in. Answers when.',
    authScopes: { session: true },
    args: { code: t.arg.string(), passkey: t.arg({ type: 'JSONObject' }) },
    resolve: (_root, { code, passkey }, context) => {
      if (passkey) return stepUpWithPasskey(context.runtime, sessionOf(context), passkey, context.client);
      if (typeof code !== 'string') throw badInput([{ field: 'code', message: 'give a code or a passkey' }]);
      return stepUpMfa(context.runtime, sessionOf(context), code.slice(0, 64), context.client);
    },
  }),
  enrollTotp: t.field({
    type: TotpEnrollment,
    description: 'Starts adding an authenticator app (needs a recent sign-in, and a second factor if the account has one).',
    authScopes: { session: true },
    args: { name: t.arg.string() },
    resolve: (_root, { name }, context) => enrollTotp(context.runtime, sessionOf(context), name, context.client),
  }),
  confirmTotp: t.field({
    type: ConfirmedTotp,
    authScopes: { session: true },
    args: { factorId: t.arg.id({ required: true }), code: t.arg.string({ required: true }) },
    resolve: (_root, { factorId, code }, context) => confirmTotp(context.runtime, sessionOf(context), String(factorId), code.slice(0, 64), context.client),
  }),
  removeMfaFactor: t.boolean({
    description: 'Removes a second factor (needs a recent sign-in with a second factor). The owner is mailed.',
    authScopes: { session: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      await removeMfaFactor(context.runtime, sessionOf(context), String(id), context.client);
      return true;
    },
  }),
  resetUserMfa: t.boolean({
    description:
      "Admins only, with a session and a recent second factor: removes a user's second factors and recovery codes, ends the user's sessions, and mails the user.",
    authScopes: { $all: { session: true, admin: true } },
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, { userId }, context) => {
      await resetUserMfa(context.runtime, sessionOf(context), String(userId), context.client);
      return true;
    },
  }),
  regenerateRecoveryCodes: t.stringList({
    description: 'A new set of 10 recovery codes, shown once; the old set stops working.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => regenerateRecoveryCodes(context.runtime, sessionOf(context), context.client),
  }),
}));
