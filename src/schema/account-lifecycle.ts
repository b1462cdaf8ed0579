import { cancelAccountDeletion, deleteAccount } from '../accounts/deletion.js';
import { cancelEmailChange, changeEmail, confirmEmailChange, pendingEmailOf } from '../accounts/email-change.js';
import { exportAccount } from '../accounts/export.js';
import { setPassword, updateProfile } from '../accounts/profile.js';
import { sessionOf } from '../graphql/context.js';
import { builder } from './builder.js';
import { Account } from './users.js';

builder.objectField(Account, 'pendingEmail', (t) =>
  t.field({
    type: 'EmailAddress',
    nullable: true,
    description: 'The address changeEmail asked for, until its code is confirmed (or it expires, or is cancelled).',
    resolve: (account, _args, { runtime }) => pendingEmailOf(runtime, account.id),
  }),
);

const AccountDeletion = builder.objectRef<{ deleted: boolean; dueAt: Date | null }>('AccountDeletion').implement({
  fields: (t) => ({
    deleted: t.exposeBoolean('deleted', { description: 'True when the account is already gone; false while its grace period runs.' }),
    dueAt: t.expose('dueAt', { type: 'DateTime', nullable: true, description: 'When a scheduled deletion happens (ACCOUNT_DELETION_GRACE).' }),
  }),
});

const recent = 'Needs a session with a recent sign-in (REAUTH_WINDOW) and, with a second factor, a recent step-up.';

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: Account,
    description: `Sets the display name (null clears it). ${recent}`,
    authScopes: { session: true },
    args: { fullName: t.arg.string() },
    resolve: (_root, { fullName }, context) => updateProfile(context.runtime, sessionOf(context), { fullName: fullName ?? null }, context.client),
  }),
  changeEmail: t.boolean({
    description: `Mails a code and link to the new address; the account keeps its address until confirmEmailChange (or the link). The current address is told. ${recent}`,
    authScopes: { session: true },
    args: { newEmail: t.arg({ type: 'EmailAddress', required: true }) },
    resolve: async (_root, { newEmail }, context) => {
      await changeEmail(context.runtime, sessionOf(context), newEmail, context.client);
      return true;
    },
  }),
  confirmEmailChange: t.field({
    type: Account,
    description: 'The six-digit code mailed to the new address: the account takes that address, verified. Needs a session.',
    authScopes: { session: true },
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, { code }, context) => confirmEmailChange(context.runtime, sessionOf(context), code),
  }),
  cancelEmailChange: t.boolean({
    description: 'The pending change\'s code and link stop working; false when none was pending. Needs a session.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => cancelEmailChange(context.runtime, sessionOf(context)),
  }),
  setPassword: t.field({
    type: Account,
    description: `A first password for an account without one (made with Google); CONFLICT when it has one (use changePassword). ${recent}`,
    authScopes: { session: true },
    args: { newPassword: t.arg.string({ required: true }) },
    resolve: (_root, { newPassword }, context) => setPassword(context.runtime, sessionOf(context), { newPassword }, context.client),
  }),
  deleteAccount: t.field({
    type: AccountDeletion,
    description: `Ends every session and revokes every key at once, on every instance; deletes the account now, or after ACCOUNT_DELETION_GRACE (sign in again and cancelAccountDeletion meanwhile). ${recent}`,
    authScopes: { session: true },
    resolve: (_root, _args, context) => deleteAccount(context.runtime, sessionOf(context), context.client),
  }),
  cancelAccountDeletion: t.field({
    type: Account,
    description: 'Keeps an account whose deletion is scheduled. Needs a session.',
    authScopes: { session: true },
    resolve: (_root, _args, context) => cancelAccountDeletion(context.runtime, sessionOf(context), context.client),
  }),
  exportAccount: t.field({
    type: 'JSONObject',
    description: `Everything stored about the account as one JSON document (also GET /v1/me/export). ${recent}`,
    authScopes: { session: true },
    resolve: (_root, _args, context) => exportAccount(context.runtime, sessionOf(context), context.client),
  }),
}));
