// The pages for people who are not signed in besides sign-in itself: create an account (with a
// password, Google, or an e-mailed code), and recover a forgotten password (the mailed code, then a new password).
import { register, requestPasswordReset, setNewPassword, verifyRecoveryCode } from './api.js';
import { t } from './i18n.js';
import { html, useState } from './preact.js';
import { EmailCodeSignIn, GoogleSection, SecondFactor } from './sign-in.js';
import { ErrorText, Field, Heading, useAction } from './ui.js';

/** Whether the server creates an account on the first sign-in with an e-mailed code (PASSWORDLESS_SIGNUP). */
const passwordlessSignUp = document.querySelector('meta[name=passwordless-signup]')?.content === 'true';

/** Registers, signs in, and calls `enter()`: the account page then asks for the code the server mailed. */
export function SignUp({ enter }) {
  const [step, setStep] = useState({ name: 'form' });
  const { error, busy, onSubmit } = useAction(async (data) => {
    const fullName = String(data.get('fullName')).trim();
    const email = String(data.get('email')).trim();
    await register({ username: String(data.get('username')).trim(), email, password: String(data.get('password')), ...(fullName ? { fullName } : {}) });
    await enter(t('signUp.created', { email }));
  });
  const startOver = () => setStep({ name: 'form' });
  // Google signs in an account that exists already, which may ask for its second factor.
  const finish = (challenge) => (challenge ? setStep({ name: 'second-factor', challenge }) : enter());
  if (step.name === 'second-factor') return html`<${SecondFactor} challenge=${step.challenge} enter=${enter} startOver=${startOver} />`;
  if (step.name === 'email-code') return html`<${EmailCodeSignIn} finish=${finish} back=${startOver} />`;
  return html`
    <${Heading}>${t('signUp.title')}<//>
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.username')} hint=${t('signUp.usernameHint')} name="username" autocomplete="username" required minlength="3" maxlength="32" spellcheck="false" />
      <${Field} label=${t('field.email')} name="email" type="email" autocomplete="email" required />
      <${Field} label=${t('signUp.fullName')} name="fullName" autocomplete="name" />
      <${Field} label=${t('field.password')} hint=${t('password.hint')} name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('signUp.submit')}</button>
    </form>
    ${passwordlessSignUp && html`<p><button type="button" onClick=${() => setStep({ name: 'email-code' })}>${t('signUp.withEmailCode')}</button></p>`}
    <${GoogleSection} finish=${finish} signUp />
    <p>${t('signUp.haveAccount')} <a href="/console">${t('signIn.submit')}</a></p>`;
}

/** Three steps in place: the address, the mailed code, the new password; then back to sign-in. */
export function ForgotPassword({ signInAgain }) {
  const [step, setStep] = useState({ name: 'address' });
  if (step.name === 'code') return html`<${CodeStep} email=${step.email} next=${(token) => setStep({ name: 'password', token })} />`;
  if (step.name === 'password') return html`<${NewPasswordStep} token=${step.token} signInAgain=${signInAgain} />`;
  return html`<${AddressStep} next=${(email) => setStep({ name: 'code', email })} />`;
}

function AddressStep({ next }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    const email = String(data.get('email')).trim();
    await requestPasswordReset(email);
    next(email);
  });
  return html`
    <${Heading}>${t('forgot.title')}<//>
    <p>${t('forgot.intro')}</p>
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.email')} name="email" type="email" autocomplete="email" required />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('forgot.submit')}</button>
    </form>
    <p><a href="/console">${t('forgot.back')}</a></p>`;
}

function CodeStep({ email, next }) {
  const [status, setStatus] = useState(t('forgot.sent', { email }));
  const { error, busy, run, onSubmit } = useAction(async (data, form) => {
    try {
      next(await verifyRecoveryCode(email, String(data.get('code')).trim()));
    } catch (refusal) {
      form.elements.code.select();
      throw refusal;
    }
  });
  const resend = () => run(async () => {
    await requestPasswordReset(email);
    setStatus(t('forgot.resent', { email }));
  });
  return html`
    <${Heading}>${t('checkMail.title')}<//>
    <p role="status">${status}</p>
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.code')} hint=${t('forgot.codeHint')} name="code" autocomplete="one-time-code" inputmode="numeric" required spellcheck="false" maxlength="12" />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('action.continue')}</button>${' '}
      <button type="button" onClick=${resend}>${t('action.sendNewCode')}</button>
    </form>`;
}

function NewPasswordStep({ token, signInAgain }) {
  const { error, busy, onSubmit } = useAction(async (data) => {
    await setNewPassword(token, String(data.get('newPassword')));
    signInAgain(t('forgot.done'));
  });
  return html`
    <${Heading}>${t('forgot.newPasswordTitle')}<//>
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.newPassword')} hint=${t('password.hint')} name="newPassword" type="password" autocomplete="new-password" required minlength="8" maxlength="128" />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('forgot.setPassword')}</button>
    </form>`;
}
