// Signing in: password, passkey, Google, an e-mailed code, and the second factor after any of them.
import { passkeysSupported, requestSignInCode, signIn, signInWithEmailCode, signInWithGoogle, signInWithPasskey, verifyMfa, verifyMfaWithPasskey } from './api.js';
import { t } from './i18n.js';
import { html, useEffect, useRef, useState } from './preact.js';
import { Check, ErrorText, Field, Heading, useAction } from './ui.js';

const googleClientId = document.querySelector('meta[name=google-client-id]').content;

/**
 * The sign-in page and the steps it leads to. `enter()` is called once signed in; `notice` is
 * a message from whatever sent the person here (signed out, password changed).
 */
export function SignIn({ notice, enter }) {
  const [step, setStep] = useState({ name: 'password' });
  const finish = (challenge) => (challenge ? setStep({ name: 'second-factor', challenge }) : enter());
  const startOver = () => setStep({ name: 'password' });
  if (step.name === 'second-factor') return html`<${SecondFactor} challenge=${step.challenge} enter=${enter} startOver=${startOver} />`;
  if (step.name === 'email-code') return html`<${EmailCodeSignIn} finish=${finish} back=${startOver} />`;
  return html`<${PasswordSignIn} notice=${notice} finish=${finish} withEmailCode=${() => setStep({ name: 'email-code' })} />`;
}

function PasswordSignIn({ notice, finish, withEmailCode }) {
  useEffect(() => {
    document.title = t('title.page', { page: t('signIn.title') });
  }, []);
  const rememberMe = useRef(null);
  const { error, busy, onSubmit } = useAction(async (data) => {
    finish(await signIn(String(data.get('username')).trim(), String(data.get('password')), data.get('rememberMe') === 'on'));
  });
  return html`
    <${Heading}>${t('signIn.title')}<//>
    ${notice && html`<p class="notice">${notice}</p>`}
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.usernameOrEmail')} name="username" autocomplete="username" required />
      <${Field} label=${t('field.password')} name="password" type="password" autocomplete="current-password" required />
      <p class="hint"><a href="/console/forgot-password">${t('signIn.forgot')}</a></p>
      <label class="check"><input type="checkbox" name="rememberMe" ref=${rememberMe} /> ${t('signIn.rememberMe')}</label>
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('signIn.submit')}</button>
    </form>
    <${PasskeySection} rememberMe=${() => rememberMe.current?.checked ?? false} finish=${finish} />
    <p><button type="button" onClick=${withEmailCode}>${t('emailCode.start')}</button></p>
    <${GoogleSection} finish=${finish} />
    <p>${t('signIn.noAccount')} <a href="/console/sign-up">${t('signIn.createOne')}</a></p>`;
}

/** The second step of a sign-in: a code from the authenticator app, a recovery code, or a passkey. */
export function SecondFactor({ challenge, enter, startOver }) {
  useEffect(() => {
    document.title = t('title.page', { page: t('mfa.pageTitle') });
  }, []);
  const { error, busy, run, onSubmit } = useAction(async (data, form) => {
    try {
      await verifyMfa(challenge.challengeId, String(data.get('code')).trim());
    } catch (refusal) {
      form.elements.code.select();
      throw refusal;
    }
    await enter();
  });
  const withPasskey = challenge.methods?.includes('passkey') && passkeysSupported();
  const usePasskey = () => run(async () => {
    await verifyMfaWithPasskey(challenge.challengeId);
    await enter();
  });
  return html`
    <${Heading}>${t('mfa.title')}<//>
    <p>${t('mfa.intro')}</p>
    <form method="post" class="card narrow" onSubmit=${onSubmit}>
      <${Field} label=${t('field.code')} hint=${t('mfa.codeHint')} name="code" autocomplete="one-time-code" inputmode="numeric" required spellcheck="false" />
      <${ErrorText} error=${error} />
      <button type="submit" disabled=${busy}>${t('mfa.verify')}</button>${' '}
      <button type="button" onClick=${startOver}>${t('action.startOver')}</button>
    </form>
    ${withPasskey && html`<p><button type="button" onClick=${usePasskey}>${t('mfa.usePasskey')}</button></p>`}`;
}

/** Sign in with a passkey: the browser offers this site's passkeys, nothing is typed. */
function PasskeySection({ rememberMe, finish }) {
  const { error, busy, run } = useAction();
  if (!passkeysSupported()) return null;
  const start = () => run(async () => {
    try {
      await signInWithPasskey(rememberMe());
    } catch (refusal) {
      throw refusal.name === 'NotAllowedError' ? new Error(t('passkey.notChosen')) : refusal;
    }
    await finish(null);
  });
  return html`
    <section class="card narrow" aria-labelledby="passkey-title">
      <h2 id="passkey-title">${t('passkey.title')}</h2>
      <${ErrorText} error=${error} />
      <button type="button" disabled=${busy} onClick=${start}>${t('passkey.signIn')}</button>
    </section>`;
}

/** Google's own button when Google sign-in is configured, else a button that explains how to turn it on. */
export function GoogleSection({ finish, signUp = false }) {
  const [error, setError] = useState(null);
  const [explained, setExplained] = useState(false);
  const target = useRef(null);
  useEffect(() => {
    if (!googleClientId) return;
    const start = () => {
      google.accounts.id.initialize({
        client_id: googleClientId,
        callback: async ({ credential }) => {
          setError(null);
          try {
            await finish(await signInWithGoogle(credential));
          } catch (refusal) {
            setError(refusal);
          }
        },
      });
      google.accounts.id.renderButton(target.current, { type: 'standard', text: signUp ? 'signup_with' : 'signin_with', locale: document.documentElement.lang });
    };
    if (globalThis.google?.accounts) return start();
    const script = Object.assign(document.createElement('script'), { src: 'https://accounts.google.com/gsi/client', async: true });
    script.addEventListener('load', start);
    script.addEventListener('error', () => setError(new Error(t('google.unavailable'))));
    document.head.append(script);
  }, []);
  if (!googleClientId) {
    return html`
      <section class="card narrow" aria-labelledby="google-title">
        <h2 id="google-title">${t('google.title')}</h2>
        <button type="button" aria-describedby="google-note" onClick=${() => setExplained(true)}>${t(signUp ? 'google.signUp' : 'google.button')}</button>
        <p id="google-note" class="hint" role="status">${explained ? t('google.notConfigured') : ''}</p>
      </section>`;
  }
  return html`
    <section class="card narrow" aria-labelledby="google-title">
      <h2 id="google-title">${t('google.title')}</h2>
      <div class="google-button" ref=${target}></div>
      <${ErrorText} error=${error} />
    </section>`;
}

/** Passwordless: the address, then the six-digit code from the mail (or the mail's link). */
export function EmailCodeSignIn({ finish, back }) {
  const [address, setAddress] = useState(null);
  useEffect(() => {
    document.title = t('title.page', { page: t('emailCode.pageTitle') });
  }, []);
  const request = useAction(async (data) => {
    const email = String(data.get('email')).trim();
    await requestSignInCode(email);
    setAddress(email);
  });
  const verify = useAction(async (data, form) => {
    let challenge;
    try {
      challenge = await signInWithEmailCode(address, String(data.get('code')).trim(), data.get('rememberMe') === 'on');
    } catch (refusal) {
      form.elements.code.select();
      throw refusal;
    }
    await finish(challenge);
  });
  if (address === null) {
    return html`
      <${Heading}>${t('emailCode.title')}<//>
      <p>${t('emailCode.intro')}</p>
      <form method="post" class="card narrow" onSubmit=${request.onSubmit}>
        <${Field} label=${t('field.email')} name="email" type="email" autocomplete="email" required />
        <${ErrorText} error=${request.error} />
        <button type="submit" disabled=${request.busy}>${t('emailCode.start')}</button>${' '}
        <button type="button" onClick=${back}>${t('action.back')}</button>
      </form>`;
  }
  return html`
    <${Heading} key="code">${t('checkMail.title')}<//>
    <p role="status">${t('emailCode.sent', { email: address })}</p>
    <form method="post" class="card narrow" onSubmit=${verify.onSubmit}>
      <${Field} label=${t('field.code')} hint=${t('emailCode.codeHint')} name="code" autocomplete="one-time-code" inputmode="numeric" required spellcheck="false" maxlength="12" />
      <${Check} name="rememberMe" label=${t('signIn.rememberMe')} />
      <${ErrorText} error=${verify.error} />
      <button type="submit" disabled=${verify.busy}>${t('signIn.submit')}</button>${' '}
      <button type="button" onClick=${back}>${t('action.startOver')}</button>
    </form>`;
}
