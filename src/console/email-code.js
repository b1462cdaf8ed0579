// Passwordless sign-in: the address, then the six-digit code from the mail (or the mail's link,
// which signs in only this browser and brings it back to the console).
import { requestSignInCode, signInWithEmailCode } from './api.js';
import { field, h } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';

/** Shows the two steps in `main`; `done(challenge)` gets null once signed in, or the second-factor challenge. */
export function showEmailCodeSignIn(main, { done, back }) {
  document.title = 'E-mail sign-in · authgraph console';
  const errors = errorBox();
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('E-mail address', email),
    errors,
    h('button', { type: 'submit' }, 'E-mail me a sign-in code'),
    ' ',
    h('button', { type: 'button', onclick: back }, 'Back'),
  );
  onSubmit(form, errors, async (data) => {
    const address = String(data.get('email')).trim();
    await requestSignInCode(address);
    showCodeStep(main, address, { done, back });
  });
  main.replaceChildren(heading('Sign in with an e-mailed code'), h('p', {}, 'No password needed: we mail you a six-digit code.'), form);
  main.querySelector('h1').focus();
}

function showCodeStep(main, address, { done, back }) {
  const errors = errorBox();
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, spellcheck: 'false', maxlength: 12 });
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('Code', code, 'The six digits from the mail. Opened on another device, the mail\'s link shows this code too.'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'rememberMe' }), ' Keep me signed in for 30 days'),
    errors,
    h('button', { type: 'submit' }, 'Sign in'),
    ' ',
    h('button', { type: 'button', onclick: back }, 'Start over'),
  );
  onSubmit(form, errors, async (data) => {
    let challenge;
    try {
      challenge = await signInWithEmailCode(address, String(data.get('code')).trim(), data.get('rememberMe') === 'on');
    } catch (error) {
      code.select();
      throw error;
    }
    await done(challenge);
  });
  main.replaceChildren(
    heading('Check your mail'),
    h('p', { role: 'status' }, `If ${address} may sign in here, a code is on its way. It works for a few minutes, once.`),
    form,
  );
  main.querySelector('h1').focus();
}
