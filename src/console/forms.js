// Forms and their errors, shared by every view.
import { h } from './dom.js';

/** What people call the fields the server names. */
const fieldLabels = {
  username: 'Username',
  email: 'E-mail address',
  newEmail: 'New e-mail address',
  password: 'Password',
  currentPassword: 'Current password',
  newPassword: 'New password',
  fullName: 'Name',
  name: 'Name',
  code: 'Code',
  expiresAt: 'Expiry',
};
const labelOf = (field) => fieldLabels[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());

const waitFor = (seconds) => (seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`);

/** An error as a sentence for people: each field's problem once, and how long to wait when rate-limited. */
export function humanError(error) {
  const fields = error.fields ?? [];
  if (fields.length > 0) return fields.map((item) => `${labelOf(item.field)} ${item.message}.`).join(' ');
  const retryAfter = error.extensions?.retryAfter;
  if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') return `Too many attempts. Try again in ${waitFor(retryAfter)}.`;
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return error.message;
}

/** A paragraph that shows an error (role=alert, so it is read out at once). */
export function errorBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (error) => {
    box.textContent = humanError(error);
    box.hidden = false;
  };
  box.clear = () => {
    box.textContent = '';
    box.hidden = true;
  };
  return box;
}

/** Runs a form's action with its button disabled and its errors shown in `errors`. */
export function onSubmit(form, errors, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    errors.clear();
    button.disabled = true;
    try {
      await action(new FormData(form));
    } catch (error) {
      errors.show(error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export const heading = (text) => h('h1', { tabindex: -1 }, text);
