// The console's small components: headings, fields, tables, dates, errors and forms.
// Preact renders text as text (never as HTML): names and user agents shown here come from users.
import { html, useEffect, useLayoutEffect, useRef, useState } from './preact.js';
import { humanError, locale } from './i18n.js';

let headingsTakeFocus = false;

// Once the person acts (a click, a key), each new page or step's heading takes the focus, so that
// a screen reader starts there; the page the console opens on leaves the focus where it is.
for (const type of ['pointerdown', 'keydown']) {
  document.addEventListener(type, () => (headingsTakeFocus = true), { capture: true, once: true });
}

export function Heading({ children }) {
  const ref = useRef(null);
  useLayoutEffect(() => {
    if (headingsTakeFocus) ref.current.focus();
  }, []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

/** A <time> element, or a dash for a missing date. */
export const Time = ({ iso }) => (iso ? html`<time datetime=${iso}>${dateFormat.format(new Date(iso))}</time>` : '—');

/** A definition list from [term, description] pairs. */
export const Details = ({ pairs }) => html`<dl class="details">${pairs.map(([term, description]) => html`<dt>${term}</dt><dd>${description}</dd>`)}</dl>`;

/** A table with a caption, column headers and rows of cells; each cell names its column for narrow screens (console.css). */
export const DataTable = ({ caption, columns, rows }) => html`
  <table>
    <caption>${caption}</caption>
    <thead><tr>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
    <tbody>${rows.map((cells) => html`<tr>${cells.map((cell, index) => html`<td data-label=${columns[index]}>${cell}</td>`)}</tr>`)}</tbody>
  </table>`;

let fieldCount = 0;

/** A label tied to its input (given as attributes), with an optional hint tied by aria-describedby. */
export function Field({ label, hint, as = 'input', children, ...input }) {
  const [id] = useState(() => input.id ?? `field-${++fieldCount}`);
  const hintId = hint ? `${id}-hint` : undefined;
  const control = as === 'select'
    ? html`<select id=${id} aria-describedby=${hintId} ...${input}>${children}</select>`
    : html`<input id=${id} aria-describedby=${hintId} ...${input} />`;
  return html`<div class="field"><label for=${id}>${label}</label>${control}${hint && html`<p class="hint" id=${hintId}>${hint}</p>`}</div>`;
}

export const Check = ({ label, ...input }) => html`<label class="check"><input type="checkbox" ...${input} /> ${label}</label>`;

/** An error as a sentence (role=alert, read out at once); hidden while there is none. */
export const ErrorText = ({ error }) => html`<p class="error" role="alert" hidden=${!error}>${error ? humanError(error) : ''}</p>`;

/**
 * A form's submit handler that runs `action(formData, form)` with the submit button disabled;
 * what it throws is the form's error.
 */
export function useAction(action) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (work) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return {
    error,
    busy,
    setError,
    run,
    onSubmit: (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      return run(() => action(new FormData(form), form));
    },
  };
}

/**
 * What `load()` resolves to, loaded again when a dependency changes; while it reloads the page
 * keeps what it shows (and where the focus is). A failed load is thrown at render, to the page's error.
 */
let loaded = () => {};

/** Called each time a page's data (or a part's) has loaded and is shown: a rerender waits for it. */
export function whenLoaded(callback) {
  loaded = callback;
}

export function useLoaded(load, dependencies) {
  const [state, setState] = useState({ loaded: false });
  useEffect(() => {
    if (state.loaded) loaded();
  }, [state]);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ loaded: true, value }),
      (error) => current && setState({ loaded: true, error }),
    );
    return () => {
      current = false;
    };
  }, dependencies);
  if (state.error) throw state.error;
  return state;
}

/**
 * Previous and next buttons for keyset pages (useCursors). `shown` is the page on screen: its number
 * and the connection's pageInfo. After a press the keyboard stays where it was: on the button just
 * pressed, or its twin if that one is now disabled.
 */
export function Pager({ label, shown, previous, next, previousLabel, nextLabel }) {
  const pressed = useRef(null);
  const previousButton = useRef(null);
  const nextButton = useRef(null);
  useLayoutEffect(() => {
    const which = pressed.current;
    if (!which) return;
    pressed.current = null;
    const [same, twin] = which === 'next' ? [nextButton.current, previousButton.current] : [previousButton.current, nextButton.current];
    (same.disabled ? twin : same).focus();
  }, [shown.page]);
  const press = (which, action) => () => {
    pressed.current = which;
    action();
  };
  return html`
    <nav class="pager" aria-label=${label}>
      <button type="button" ref=${previousButton} disabled=${shown.page === 1} onClick=${press('previous', previous)}>${previousLabel}</button>${' '}
      <button type="button" ref=${nextButton} disabled=${!shown.pageInfo.hasNextPage} onClick=${press('next', () => next(shown.pageInfo.endCursor))}>${nextLabel}</button>
    </nav>`;
}

/** Keyset pages: the cursors that led to the page shown (null for the first), and how to move. */
export function useCursors() {
  const [cursors, setCursors] = useState([null]);
  return {
    cursors,
    after: cursors.at(-1),
    page: cursors.length,
    previous: () => setCursors((current) => current.slice(0, -1)),
    next: (endCursor) => setCursors((current) => [...current, endCursor]),
    restart: () => setCursors([null]),
  };
}

/**
 * Checkboxes in a fieldset. With `every` (a label), a choice comes first between everything
 * (the radio `modeName` says "every") and only the ticked boxes, so that nothing is left to guess;
 * ticking a box means "only these". `choices` are [value, description?].
 */
export function TickedChoices({ legend, name, modeName, choices, every, only, hint }) {
  const [mode, setMode] = useState('every');
  return html`
    <fieldset>
      <legend>${legend}</legend>
      ${every && html`
        <label class="check"><input type="radio" name=${modeName} value="every" checked=${mode === 'every'} onChange=${() => setMode('every')} /> ${every}</label>
        <label class="check"><input type="radio" name=${modeName} value="chosen" checked=${mode === 'chosen'} onChange=${() => setMode('chosen')} /> ${only}</label>`}
      <div class="indent">
        ${choices.map(([value, description]) => html`
          <label class="check" title=${description}><input type="checkbox" name=${name} value=${value} onChange=${() => setMode('chosen')} /> ${value}</label>`)}
      </div>
      ${hint && html`<p class="hint">${hint}</p>`}
    </fieldset>`;
}
