// The dialog a sensitive change opens when the server wants proof first: the password again
// (REAUTHENTICATION_REQUIRED) or a code from the second factor (MFA_REQUIRED); or, for either,
// a passkey. The change is retried once the proof is accepted; Cancel leaves it refused.
import { passkeysSupported, reauthenticate, stepUp, stepUpWithPasskey } from './api.js';
import { field, h } from './dom.js';
import { errorBox, onSubmit } from './forms.js';

const kinds = {
  REAUTHENTICATION_REQUIRED: {
    title: 'Confirm it is you',
    text: 'This change needs a recent sign-in. Enter your password to go on.',
    input: () => h('input', { name: 'proof', type: 'password', autocomplete: 'current-password', required: true }),
    label: 'Password',
    prove: reauthenticate,
  },
  MFA_REQUIRED: {
    title: 'Confirm with your second factor',
    text: 'This change needs your second factor. Enter the code from your authenticator app, or a recovery code.',
    input: () => h('input', { name: 'proof', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, spellcheck: 'false' }),
    label: 'Code',
    prove: stepUp,
  },
};

/** Opens the dialog for `refusal` (an error with one of the codes above); resolves true once the proof is accepted. */
export function askForProof(refusal) {
  const kind = kinds[refusal.code];
  const errors = errorBox();
  const input = kind.input();
  const cancel = h('button', { type: 'button' }, 'Cancel');
  // Not required when a passkey may answer instead: the passkey button submits nothing.
  const passkey = passkeysSupported() ? h('button', { type: 'button' }, 'Use a passkey') : null;
  const form = h('form', { method: 'dialog' }, field(kind.label, input), errors, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Confirm'), passkey, cancel));
  const dialog = h('dialog', { 'aria-labelledby': 'proof-title', class: 'card narrow' }, h('h2', { id: 'proof-title' }, kind.title), h('p', {}, kind.text), form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (proven) => {
      dialog.close();
      dialog.remove();
      resolve(proven);
    };
    cancel.addEventListener('click', () => close(false));
    passkey?.addEventListener('click', async () => {
      errors.clear();
      try {
        await stepUpWithPasskey();
        close(true);
      } catch (error) {
        errors.show(error);
      }
    });
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    onSubmit(form, errors, async () => {
      await kind.prove(input.type === 'password' ? input.value : input.value.trim());
      close(true);
    });
    dialog.showModal();
    input.focus();
  });
}
