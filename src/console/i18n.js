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
export const messageForCode = (code) => catalogues[locale][`code.${code}`];
