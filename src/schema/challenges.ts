import { changePassword } from '../accounts/change-password.js';
import type { ChallengeResult as ChallengeResultShape } from '../challenges/answer.js';
import { answerByUid } from '../challenges/answer.js';
import { resendVerification, verifyEmail } from '../challenges/email-verification.js';
import { forgotPassword, resetPassword, verifyRecoveryCode } from '../challenges/password-recovery.js';
import { sessionOf } from '../graphql/context.js';
import { builder } from './builder.js';

const ChallengePurpose = builder.enumType('ChallengePurpose', { values: ['VERIFY_EMAIL', 'RESET_PASSWORD', 'CHANGE_EMAIL'] as const });

const ChallengeResult = builder.objectRef<ChallengeResultShape>('ChallengeResult').implement({
  description: 'What answering an e-mail challenge proved, and for a recovery challenge the token that resetPassword takes.',
  fields: (t) => ({
    purpose: t.expose('purpose', { type: ChallengePurpose }),
    emailVerified: t.exposeBoolean('emailVerified'),
    resetToken: t.exposeString('resetToken', {
      nullable: true,
      description: 'RESET_PASSWORD only: single use, for resetPassword, until resetTokenExpiresAt.',
    }),
    resetTokenExpiresAt: t.expose('resetTokenExpiresAt', { type: 'DateTime', nullable: true }),
    redirectTo: t.exposeString('redirectTo', { nullable: true, description: 'Where the request that sent the mail asked to go on to (its redirectTo), if anywhere.' }),
  }),
});

const redirectToDescription = "Where the mail's page sends the browser on once done: a path on this server, or an http(s) address REDIRECT_ALLOWLIST allows; anything else is refused (BAD_USER_INPUT).";

builder.mutationFields((t) => ({
  verifyEmail: t.boolean({
    description: 'Proves the address with the six-digit code from the verification mail.',
    args: { email: t.arg({ type: 'EmailAddress', required: true }), code: t.arg.string({ required: true }) },
    resolve: async (_root, args, { runtime }) => {
      await verifyEmail(runtime, args);
      return true;
    },
  }),
  resendVerification: t.boolean({
    description: 'Mails a new verification code to an unverified account. Always true: says nothing about whether the address exists.',
    args: { email: t.arg({ type: 'EmailAddress', required: true }), redirectTo: t.arg.string({ description: redirectToDescription }) },
    resolve: (_root, { email, redirectTo }, { runtime }) => {
      resendVerification(runtime, email, redirectTo);
      return true;
    },
  }),
  answerChallenge: t.field({
    type: ChallengeResult,
    description: 'Answers an e-mail challenge by the uid from its link: knowing the uid is the proof.',
    args: { uid: t.arg.string({ required: true }) },
    resolve: (_root, args, { runtime }) => answerByUid(runtime, args),
  }),
  verifyRecoveryCode: t.field({
    type: ChallengeResult,
    description: 'Answers a recovery challenge by the six-digit code from its mail, for a reset token.',
    args: { email: t.arg({ type: 'EmailAddress', required: true }), code: t.arg.string({ required: true }) },
    resolve: (_root, args, { runtime }) => verifyRecoveryCode(runtime, args),
  }),
  forgotPassword: t.boolean({
    description: 'Mails a recovery code and link. Always true, in the same time: says nothing about whether the address exists.',
    args: { email: t.arg({ type: 'EmailAddress', required: true }), redirectTo: t.arg.string({ description: redirectToDescription }) },
    resolve: (_root, { email, redirectTo }, { runtime }) => {
      forgotPassword(runtime, email, redirectTo);
      return true;
    },
  }),
  resetPassword: t.boolean({
    description:
      'Sets a new password with a reset token. Every session of the account ends unless endSessions is false; ' +
      'API keys are revoked when revokeApiKeys is true; a linked Google account stays linked (the mail to the owner says so).',
    args: {
      token: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
      endSessions: t.arg.boolean({ defaultValue: true }),
      revokeApiKeys: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, { token, newPassword, endSessions, revokeApiKeys }, { runtime }) => {
      await resetPassword(runtime, { token, newPassword }, { endSessions: endSessions ?? true, revokeApiKeys: revokeApiKeys ?? false });
      return true;
    },
  }),
  changePassword: t.boolean({
    description:
      'Sets a new password for the signed-in account; the current password is checked through the login throttle, and ' +
      'repeated wrong ones end this session. Every other session ends unless endOtherSessions is false; API keys are ' +
      'revoked when revokeApiKeys is true.',
    authScopes: { session: true },
    args: {
      currentPassword: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
      endOtherSessions: t.arg.boolean({ defaultValue: true }),
      revokeApiKeys: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, { currentPassword, newPassword, endOtherSessions, revokeApiKeys }, context) => {
      const options = { endOtherSessions: endOtherSessions ?? true, revokeApiKeys: revokeApiKeys ?? false };
      await changePassword(context.runtime, sessionOf(context), { currentPassword, newPassword, ...options }, context.client);
      return true;
    },
  }),
}));
