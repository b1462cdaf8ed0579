// The account page: who you are and how you sign in, the e-mail check, and self-service: the
// name, the e-mail address (kept until the new one is proven by its code), the password, a
// download of everything stored, and deletion.
import { gql } from './api.js';
import { t } from './i18n.js';
import { html, useState } from './preact.js';
import { Details, ErrorText, Field, Heading, Time, useAction, useLoaded } from './ui.js';

const accountQuery = 'query ConsoleAccount { account { username email emailVerified fullName pendingEmail deletionDueAt role plan createdAt hasPassword googleLinked availableSignInMethods } }';

export function AccountPage({ context, version }) {
  const { value } = useLoaded(() => gql(accountQuery), [version]);
  if (!value) return html`<p>${t('loading')}</p>`;
  const { account } = value;
  return html`
    <${Heading}>${t('account.title')}<//>
    <${Details} pairs=${[
      [t('field.username'), account.username],
      [t('account.email'), `${account.email} (${t(account.emailVerified ? 'account.verified' : 'account.notVerified')})`],
      [t('account.role'), account.role],
      [t('account.plan'), account.plan],
      [t('account.signInMethods'), account.availableSignInMethods.map((method) => t(`method.${method}`)).join(', ')],
      [t('account.memberSince'), html`<${Time} iso=${account.createdAt} />`],
    ]} />
    ${!account.emailVerified && html`<${VerifyEmail} email=${account.email} announce=${context.announce} />`}
    <${Profile} account=${account} context=${context} />
    <${EmailAddress} account=${account} context=${context} />
    <${Password} account=${account} context=${context} />
    <${Export} context=${context} />
    <${Deletion} account=${account} context=${context} />`;
}

function VerifyEmail({ email, announce }) {
  const [verified, setVerified] = useState(false);
  const { error, busy, run, onSubmit } = useAction(async (data) => {
    await gql('mutation ConsoleVerify($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }', { email, code: String(data.get('code')).trim() });
    setVerified(true);
    announce(t('verify.done'));
  });
  const resend = () => run(async () => {
    await gql('mutation ConsoleResend($email: EmailAddress!) { resendVerification(email: $email) }', { email });
    announce(t('verify.resent', { email }));
  });
  return html`
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">${t('verify.title')}</h2>
      ${verified
        ? html`<p>${t('verify.verified')}</p>`
        : html`
          <p>${t('verify.why')}</p>
          <form method="post" onSubmit=${onSubmit}>
            <${Field} label=${t('verify.code')} hint=${t('verify.codeHint', { email })} name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
            <${ErrorText} error=${error} />
            <button type="submit" disabled=${busy}>${t('verify.submit')}</button>${' '}
            <button type="button" onClick=${resend}>${t('action.sendNewCode')}</button>
          </form>`}
    </section>`;
}

/** A titled card. */
const Card = ({ id, title, children }) => html`<section class="card" aria-labelledby=${id}><h2 id=${id}>${title}</h2>${children}</section>`;

function Profile({ account, context: { announce } }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    const fullName = String(data.get('fullName')).trim() || null;
    await gql('mutation ConsoleUpdateProfile($fullName: String) { updateProfile(fullName: $fullName) { fullName } }', { fullName });
    announce(t('profile.saved'));
  });
  return html`
    <${Card} id="profile-title" title=${t('profile.title')}>
      <form method="post" onSubmit=${onSubmit}>
        <${Field} label=${t('profile.fullName')} hint=${t('profile.fullNameHint')} name="fullName" value=${account.fullName ?? ''} maxlength="100" autocomplete="name" />
        <${ErrorText} error=${error} />
        <button type="submit" disabled=${busy}>${t('profile.save')}</button>
      </form>
    <//>`;
}

function EmailAddress({ account, context: { announce, rerender } }) {
  const change = useAction(async (data) => {
    const newEmail = String(data.get('newEmail')).trim();
    await gql('mutation ConsoleChangeEmail($newEmail: EmailAddress!) { changeEmail(newEmail: $newEmail) }', { newEmail });
    announce(t('email.codeSent', { email: newEmail }));
    await rerender();
  });
  const confirmChange = useAction(async (data) => {
    const { confirmEmailChange } = await gql('mutation ConsoleConfirmEmailChange($code: String!) { confirmEmailChange(code: $code) { email } }', { code: String(data.get('code')).trim() });
    announce(t('email.changed', { email: confirmEmailChange.email }));
    await rerender();
  });
  const cancel = () => confirmChange.run(async () => {
    await gql('mutation ConsoleCancelEmailChange { cancelEmailChange }');
    announce(t('email.cancelled'));
    await rerender();
  });
  if (!account.pendingEmail) {
    return html`
      <${Card} id="email-title" title=${t('field.email')}>
        <form method="post" onSubmit=${change.onSubmit}>
          <${Field} label=${t('field.newEmail')} hint=${t('email.newHint')} name="newEmail" type="email" autocomplete="email" required />
          <${ErrorText} error=${change.error} />
          <button type="submit" disabled=${change.busy}>${t('email.change')}</button>
        </form>
      <//>`;
  }
  return html`
    <${Card} id="email-title" title=${t('field.email')}>
      <p>${t('email.pending', { email: account.email, pending: account.pendingEmail })}</p>
      <form method="post" onSubmit=${confirmChange.onSubmit}>
        <${Field} label=${t('email.code')} hint=${t('email.codeHint', { email: account.pendingEmail })} name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
        <${ErrorText} error=${confirmChange.error} />
        <button type="submit" disabled=${confirmChange.busy}>${t('email.confirm')}</button>${' '}
        <button type="button" onClick=${cancel}>${t('email.cancel')}</button>
      </form>
    <//>`;
}

function Password({ account, context: { announce, rerender } }) {
  const { error, busy, onSubmit } = useAction(async (data, form) => {
    if (!account.hasPassword) {
      await gql('mutation ConsoleSetPassword($newPassword: String!) { setPassword(newPassword: $newPassword) { hasPassword } }', { newPassword: String(data.get('newPassword')) });
      announce(t('password.set'));
      return rerender();
    }
    await gql('mutation ConsoleChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }', {
      currentPassword: String(data.get('currentPassword')),
      newPassword: String(data.get('newPassword')),
    });
    form.reset();
    announce(t('password.changed'));
  });
  return html`
    <${Card} id="password-title" title=${t('field.password')}>
      ${!account.hasPassword && html`<p>${t('password.withGoogle')}</p>`}
      <form method="post" onSubmit=${onSubmit}>
        ${account.hasPassword && html`<${Field} label=${t('field.currentPassword')} name="currentPassword" type="password" autocomplete="current-password" required />`}
        <${Field} label=${t('field.newPassword')} hint=${t('password.newHint')} name="newPassword" type="password" autocomplete="new-password" required minlength="8" />
        <${ErrorText} error=${error} />
        <button type="submit" disabled=${busy}>${t(account.hasPassword ? 'password.change' : 'forgot.setPassword')}</button>
      </form>
    <//>`;
}

function Export({ context: { announce } }) {
  const { error, run } = useAction();
  const download = () => run(async () => {
    const { exportAccount } = await gql('mutation ConsoleExport { exportAccount }');
    const link = Object.assign(document.createElement('a'), {
      href: URL.createObjectURL(new Blob([JSON.stringify(exportAccount, null, 2)], { type: 'application/json' })),
      download: `authgraph-account-${new Date().toISOString().slice(0, 10)}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
    announce(t('export.done'));
  });
  return html`
    <${Card} id="export-title" title=${t('export.title')}>
      <p>${t('export.what')}</p>
      <${ErrorText} error=${error} />
      <button type="button" onClick=${download}>${t('export.download')}</button>
    <//>`;
}

function Deletion({ account, context: { announce, rerender, signedOut } }) {
  const { error, run } = useAction();
  const keep = () => run(async () => {
    await gql('mutation ConsoleCancelDeletion { cancelAccountDeletion { deletionDueAt } }');
    announce(t('delete.kept'));
    await rerender();
  });
  const remove = () => run(async () => {
    if (!confirm(t('delete.question', { username: account.username }))) return;
    const { deleteAccount: deletion } = await gql('mutation ConsoleDeleteAccount { deleteAccount { deleted dueAt } }');
    signedOut(deletion.deleted ? t('delete.deleted') : t('delete.scheduled', { date: new Date(deletion.dueAt).toLocaleString(document.documentElement.lang) }));
  });
  return html`
    <${Card} id="delete-title" title=${t('delete.title')}>
      ${account.deletionDueAt
        ? html`<p class="warning">${t('delete.due')} <${Time} iso=${account.deletionDueAt} />.</p>`
        : html`<p>${t('delete.what')}</p>`}
      <${ErrorText} error=${error} />
      ${account.deletionDueAt
        ? html`<button type="button" onClick=${keep}>${t('delete.keep')}</button>`
        : html`<button type="button" class="danger" onClick=${remove}>${t('delete.submit')}</button>`}
    <//>`;
}
