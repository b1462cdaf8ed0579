// The pages for people who are not signed in besides sign-in itself: create an account, and
// recover a forgotten password (the mailed code, then a new password).
import { register, requestPasswordReset, setNewPassword, verifyRecoveryCode } from './api.js';
import { field, h } from './dom.js';
import { errorBox, heading, onSubmit } from './forms.js';

const passwordHint = 'At least 8 characters; not your username or e-mail address, and not a common password.';

/** Registers, signs in, and calls `done()`: the account page then asks for the code the server mailed. */
export function signUpView({ done }) {
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('Username', h('input', { name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32, spellcheck: 'false' }), '3 to 32 of a–z, 0–9, _ . -'),
    field('E-mail address', h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true })),
    field('Name (optional)', h('input', { name: 'fullName', autocomplete: 'name' })),
    field('Password', h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 128 }), passwordHint),
    errors,
    h('button', { type: 'submit' }, 'Create account'),
  );
  onSubmit(form, errors, async (data) => {
    const fullName = String(data.get('fullName')).trim();
    const email = String(data.get('email')).trim();
    await register({ username: String(data.get('username')).trim(), email, password: String(data.get('password')), ...(fullName ? { fullName } : {}) });
    await done(`Account created. We sent a code to ${email}: type it below to verify your address.`);
  });
  return [
    heading('Create your account'),
    form,
    h('p', {}, 'Already have an account? ', h('a', { href: '/console' }, 'Sign in')),
  ];
}

/** Three steps in place: the address, the mailed code, the new password; then back to sign-in. */
export function forgotPasswordView({ main, signInAgain }) {
  const show = (...content) => {
    main.replaceChildren(...content.flat().filter(Boolean));
    main.querySelector('h1').focus();
  };
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('E-mail address', h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true })),
    errors,
    h('button', { type: 'submit' }, 'E-mail me a reset code'),
  );
  onSubmit(form, errors, async (data) => {
    const email = String(data.get('email')).trim();
    await requestPasswordReset(email);
    show(codeStep(email, show, signInAgain));
  });
  return [
    heading('Forgot your password?'),
    h('p', {}, 'Type the address of your account: we mail you a code and a link to choose a new password.'),
    form,
    h('p', {}, h('a', { href: '/console' }, 'Back to sign-in')),
  ];
}

function codeStep(email, show, signInAgain) {
  const errors = errorBox();
  const code = h('input', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, spellcheck: 'false', maxlength: 12 });
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('Code', code, 'The six digits from the mail. You can also open the mail\'s link instead.'),
    errors,
    h('button', { type: 'submit' }, 'Continue'),
    ' ',
    h('button', { type: 'button', onclick: async () => {
      errors.clear();
      try {
        await requestPasswordReset(email);
        status.textContent = `If ${email} has an account, a new code is on its way.`;
      } catch (error) {
        errors.show(error);
      }
    } }, 'Send a new code'),
  );
  const status = h('p', { role: 'status' }, `If ${email} has an account here, a code is on its way. It works for a few minutes, once.`);
  onSubmit(form, errors, async (data) => {
    let token;
    try {
      token = await verifyRecoveryCode(email, String(data.get('code')).trim());
    } catch (error) {
      code.select();
      throw error;
    }
    show(newPasswordStep(token, signInAgain));
  });
  return [heading('Check your mail'), status, form];
}

function newPasswordStep(token, signInAgain) {
  const errors = errorBox();
  const form = h(
    'form',
    { method: 'post', class: 'card narrow' },
    field('New password', h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 128 }), passwordHint),
    errors,
    h('button', { type: 'submit' }, 'Set password'),
  );
  onSubmit(form, errors, async (data) => {
    await setNewPassword(token, String(data.get('newPassword')));
    signInAgain('Your password is changed and every session of the account has ended. Sign in with the new password.');
  });
  return [heading('Choose a new password'), form];
}
