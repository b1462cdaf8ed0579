// The console's words: English built in, French beside it, picked from the browser's languages
// (what it sends as Accept-Language). A key missing from a catalogue falls back to English.
import en from './messages-en.js';
import fr from './messages-fr.js';

const catalogues = { en, fr };

/** The first of the browser's languages the console speaks. */
export const locale = (navigator.languages?.length ? navigator.languages : [navigator.language])
  .map((tag) => String(tag).slice(0, 2).toLowerCase())
  .find((language) => Object.hasOwn(catalogues, language)) ?? 'en';

document.documentElement.lang = locale;

/** The message under `key`, its {placeholders} filled from `values`. */
export function t(key, values = {}) {
  const text = catalogues[locale][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** The message for a server error code, when the catalogue has one. */
const messageForCode = (code) => catalogues[locale][`code.${code}`];

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
