// Builds DOM nodes from data. Text always goes in as text (never as HTML): names,
// user agents and operations shown here come from users and clients.

/** h('p', { class: 'note' }, 'text', child): attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A <time> element, or a dash for a missing date. */
export function time(iso) {
  if (!iso) return '—';
  return h('time', { datetime: iso }, dateFormat.format(new Date(iso)));
}

/** A definition list from [term, description] pairs. */
export function details(pairs) {
  return h('dl', { class: 'details' }, pairs.flatMap(([term, description]) => [h('dt', {}, term), h('dd', {}, description)]));
}

/** A table with a caption, column headers and rows of cells. */
export function table(caption, columns, rows) {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))),
    // Each cell names its column, which narrow screens show beside it (console.css).
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, index) => h('td', { 'data-label': columns[index] }, cell))))),
  );
}

/** A form field: a label tied to its input, with an optional hint tied by aria-describedby. */
export function field(label, input, hint) {
  input.id ||= `field-${Math.random().toString(36).slice(2, 9)}`;
  const hintId = hint ? `${input.id}-hint` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hint && h('p', { class: 'hint', id: hintId }, hint));
}
