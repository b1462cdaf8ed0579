// A key's requests per hour over the last days, as plain SVG (bars, refused ones stacked on top
// in the danger colour), described for screen readers and with the busy hours as a table beside it.
import { gql } from './api.js';
import { h, table } from './dom.js';

const svgNamespace = 'http://www.w3.org/2000/svg';
const days = 7;
const width = 720;
const height = 160;
const axis = 24;

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
const hourFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', hour: 'numeric' });
const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The chart's section: heading, SVG with a title and a description, and a table of the hours with requests. */
export async function usageChart(keyId) {
  const { apiKey } = await gql('query ConsoleKeyUsage($id: ID!, $days: Int) { apiKey(id: $id) { requestsPerHour(days: $days) { hour requests refused } } }', { id: keyId, days });
  const hours = apiKey.requestsPerHour;
  const total = hours.reduce((sum, hour) => sum + hour.requests, 0);
  const refused = hours.reduce((sum, hour) => sum + hour.refused, 0);
  const busiest = hours.reduce((top, hour) => (hour.requests > top.requests ? hour : top), hours[0]);
  const peak = Math.max(1, busiest.requests);
  const barWidth = width / hours.length;
  const plotHeight = height - axis;
  const y = (count) => plotHeight - (count / peak) * (plotHeight - 8);

  const bars = hours.flatMap((hour, index) => {
    if (hour.requests === 0) return [];
    const x = index * barWidth;
    const accepted = hour.requests - hour.refused;
    const barAttributes = { x, width: Math.max(barWidth - 1, 1) };
    return [
      accepted > 0 ? svg('rect', { class: 'bar', ...barAttributes, y: y(accepted), height: plotHeight - y(accepted) }) : null,
      hour.refused > 0 ? svg('rect', { class: 'bar-refused', ...barAttributes, y: y(hour.requests), height: y(accepted) - y(hour.requests) }) : null,
    ].filter(Boolean);
  });
  const midnights = hours.flatMap((hour, index) => {
    if (new Date(hour.hour).getHours() !== 0) return [];
    const x = index * barWidth;
    // A day that starts too near the right edge keeps its line but not its label, which would be cut.
    const label = x < width - 64 ? svg('text', { class: 'axis-label', x: x + 3, y: height - 6 }, dayFormat.format(new Date(hour.hour))) : null;
    return [svg('line', { class: 'grid', x1: x, x2: x, y1: 0, y2: plotHeight }), label].filter(Boolean);
  });
  const summary = total === 0
    ? `No requests in the last ${days} days.`
    : `${plural(total, 'request')} in the last ${days} days, ${plural(refused, 'refused one')}. Busiest hour: ${hourFormat.format(new Date(busiest.hour))}, with ${plural(busiest.requests, 'request')}.`;
  const chart = svg(
    'svg',
    { class: 'usage-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'usage-chart-title usage-chart-desc' },
    svg('title', { id: 'usage-chart-title' }, `Requests per hour, last ${days} days`),
    svg('desc', { id: 'usage-chart-desc' }, summary),
    svg('line', { class: 'baseline', x1: 0, x2: width, y1: plotHeight, y2: plotHeight }),
    ...midnights,
    ...bars,
    svg('text', { class: 'axis-label', x: 4, y: 16 }, `${peak} / hour`),
  );
  const busyHours = hours.filter((hour) => hour.requests > 0).reverse();
  return h(
    'section',
    { 'aria-labelledby': 'usage-title' },
    h('h2', { id: 'usage-title' }, 'Usage'),
    h('p', {}, summary),
    total > 0 ? h('p', { class: 'hint' }, h('span', { class: 'legend legend-accepted' }), ' accepted ', h('span', { class: 'legend legend-refused' }), ' refused') : null,
    chart,
    busyHours.length > 0
      ? h('details', {}, h('summary', {}, 'Show the hours as a table'), table('Requests per hour, newest first', ['Hour', 'Requests', 'Refused'], busyHours.map((hour) => [hourFormat.format(new Date(hour.hour)), String(hour.requests), String(hour.refused)])))
      : null,
  );
}
