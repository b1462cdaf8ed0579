// Forms and their errors, shared by every view.
import { h } from './dom.js';

/** A paragraph that shows an error (role=alert, so it is read out at once). */
export function errorBox() {
  const box = h('p', { class: 'error', role: 'alert', hidden: true });
  box.show = (error) => {
    const fields = (error.fields ?? []).map((item) => `${item.field}: ${item.message}`);
    box.textContent = [error.message, ...fields].join(' ');
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
