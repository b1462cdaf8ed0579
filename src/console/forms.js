// Forms and their errors, shared by every view.
import { h } from './dom.js';
import { locale, messageForCode, t } from './i18n.js';

const labelOf = (field) => {
  const label = t(`field.${field}`);
  return label === `field.${field}` ? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase()) : label;
};

const waitFor = (seconds) =>
  seconds < 90 ? (seconds === 1 ? t('wait.second') : t('wait.seconds', { count: seconds })) : t('wait.minutes', { count: Math.ceil(seconds / 60) });

/**
 * An error as a sentence for people: each field's problem once, and how long to wait when
 * rate-limited. In English the server's own message; in another language the catalogue's for its code.
 */
export function humanError(error) {
  const fields = error.fields ?? [];
  if (fields.length > 0) return fields.map((item) => t('error.field', { field: labelOf(item.field), problem: item.message })).join(' ');
  const retryAfter = error.extensions?.retryAfter;
  if (error.code === 'RATE_LIMITED' && typeof retryAfter === 'number') return t('error.rateLimited', { wait: waitFor(retryAfter) });
  if (error instanceof TypeError) return t('error.unreachable');
  const translated = error.code ? messageForCode(error.code) : undefined;
  if (translated && (locale !== 'en' || !error.message)) return translated;
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
