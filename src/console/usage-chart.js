// A key's requests per hour over the last days, as plain SVG (bars, refused ones stacked on top
// in the danger colour), described for screen readers and with the busy hours as a table beside it.
import { gql } from './api.js';
import { locale, t } from './i18n.js';
import { html } from './preact.js';
import { DataTable, useLoaded } from './ui.js';

const days = 7;
const width = 720;
const height = 160;
const axis = 24;

const dayFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric' });
const hourFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', hour: 'numeric' });
/** `key` or `key.other` by count, filled with it. */
const counted = (key, count) => t(count === 1 ? key : `${key}.other`, { count });

function summaryOf(hours) {
  const total = hours.reduce((sum, hour) => sum + hour.requests, 0);
  if (total === 0) return t('usage.none', { days });
  const refused = hours.reduce((sum, hour) => sum + hour.refused, 0);
  const busiest = hours.reduce((top, hour) => (hour.requests > top.requests ? hour : top), hours[0]);
  return t('usage.summary', {
    requests: counted('usage.requests', total),
    days,
    refused: counted('usage.refused', refused),
    hour: hourFormat.format(new Date(busiest.hour)),
    busiest: counted('usage.requests', busiest.requests),
  });
}

/** The chart's section: heading, SVG with a title and a description, and a table of the hours with requests. */
export function UsageChart({ keyId }) {
  const { value } = useLoaded(
    () => gql('query ConsoleKeyUsage($id: ID!, $days: Int) { apiKey(id: $id) { requestsPerHour(days: $days) { hour requests refused } } }', { id: keyId, days }),
    [keyId],
  );
  if (!value) return null;
  const hours = value.apiKey.requestsPerHour;
  const peak = Math.max(1, ...hours.map((hour) => hour.requests));
  const barWidth = width / hours.length;
  const plotHeight = height - axis;
  const y = (count) => plotHeight - (count / peak) * (plotHeight - 8);
  const bars = hours.map((hour, index) => {
    if (hour.requests === 0) return null;
    const x = index * barWidth;
    const accepted = hour.requests - hour.refused;
    const barWidthShown = Math.max(barWidth - 1, 1);
    return html`
      ${accepted > 0 && html`<rect class="bar" x=${x} width=${barWidthShown} y=${y(accepted)} height=${plotHeight - y(accepted)} />`}
      ${hour.refused > 0 && html`<rect class="bar-refused" x=${x} width=${barWidthShown} y=${y(hour.requests)} height=${y(accepted) - y(hour.requests)} />`}`;
  });
  const midnights = hours.map((hour, index) => {
    if (new Date(hour.hour).getHours() !== 0) return null;
    const x = index * barWidth;
    // A day that starts too near the right edge keeps its line but not its label, which would be cut.
    return html`
      <line class="grid" x1=${x} x2=${x} y1="0" y2=${plotHeight} />
      ${x < width - 64 && html`<text class="axis-label" x=${x + 3} y=${height - 6}>${dayFormat.format(new Date(hour.hour))}</text>`}`;
  });
  const summary = summaryOf(hours);
  const busyHours = hours.filter((hour) => hour.requests > 0).reverse();
  return html`
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">${t('usage.title')}</h2>
      <p>${summary}</p>
      ${busyHours.length > 0 && html`<p class="hint"><span class="legend legend-accepted"></span> ${t('usage.accepted')} <span class="legend legend-refused"></span> ${t('usage.refusedLegend')}</p>`}
      <svg class="usage-chart" viewBox=${`0 0 ${width} ${height}`} role="img" aria-labelledby="usage-chart-title usage-chart-desc">
        <title id="usage-chart-title">${t('usage.chartTitle', { days })}</title>
        <desc id="usage-chart-desc">${summary}</desc>
        <line class="baseline" x1="0" x2=${width} y1=${plotHeight} y2=${plotHeight} />
        ${midnights}
        ${bars}
        <text class="axis-label" x="4" y="16">${t('usage.perHour', { peak })}</text>
      </svg>
      ${busyHours.length > 0 && html`
        <details>
          <summary>${t('usage.asTable')}</summary>
          <${DataTable}
            caption=${t('usage.tableCaption')}
            columns=${[t('usage.hour'), t('usage.requestsColumn'), t('usage.refusedColumn')]}
            rows=${busyHours.map((hour) => [hourFormat.format(new Date(hour.hour)), String(hour.requests), String(hour.refused)])}
          />
        </details>`}
    </section>`;
}
