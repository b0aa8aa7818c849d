// The Audiences page's results: a list's summary before export, the export history, CSV cells.

import { $, api, fmt, h, table } from './dom.js';
import { modelLabel } from './names.js';

/** Counts, what was left out, the score histogram and the segment x tier breakdown. */
export function showSummary(s, segments) {
  const max = Math.max(1, ...s.histogram.counts);
  const width = (s.histogram.to - s.histogram.from) / s.histogram.counts.length;
  const bars = h(
    'div',
    { class: 'histogram', role: 'img', 'aria-label': 'number of customers by score' },
    s.histogram.counts.map((c, i) =>
      h('span', {
        class: 'bar',
        style: `height:${Math.round((c / max) * 100)}%`,
        title: `${fmt(s.histogram.from + i * width, 2)} to ${fmt(s.histogram.from + (i + 1) * width, 2)}: ${c}`,
      }),
    ),
  );
  const left = [];
  if (s.excluded.contacted) left.push(`${s.excluded.contacted} contacted recently`);
  if (s.excluded.optedOut) left.push(`${s.excluded.optedOut} opted out`);
  $('campaign-summary').replaceChildren(
    h(
      'p',
      { id: 'campaign-counts' },
      `${s.matched} customers meet the conditions; left out: ${left.join(', ') || 'none'}`,
      $('campaign-optout').checked && !s.optOutsAvailable ? ' (the store has no opt_outs table)' : '',
      `; ${s.count} in the list.`,
    ),
    h('h3', {}, 'Scores of the list'),
    bars,
    h('p', { class: 'hint' }, `${fmt(s.histogram.from, 2)} to ${fmt(s.histogram.to, 2)}`),
    h('h3', {}, 'By segment and tier'),
    table(
      ['Segment', 'Tier', 'Customers'],
      s.breakdown
        .slice(0, 30)
        .map((b) =>
          h(
            'tr',
            {},
            h('td', {}, segments.find((x) => x.code === b.segment)?.name ?? b.segment),
            h('td', {}, b.tier),
            h('td', { class: 'num' }, String(b.count)),
          ),
        ),
    ),
  );
}

export async function listExports() {
  const { exports } = await api('/console/api/exports');
  $('audience-exports').replaceChildren(
    exports.length
      ? table(
          ['When (UTC)', 'Audience', 'Model', 'Where', 'Customers', 'Holdout', 'By'],
          exports.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, e.exportedAt),
              h(
                'td',
                {},
                e.audience
                  ? h('a', { href: `#campaigns?${e.query}` }, e.audience)
                  : h('a', { href: `#campaigns?${e.query}` }, '(unsaved)'),
              ),
              h('td', {}, `${modelLabel(e.model)} v${e.modelVersion}`),
              h('td', {}, e.destination),
              h('td', { class: 'num' }, String(e.rows)),
              h('td', { class: 'num' }, String(e.holdout)),
              h('td', {}, e.exportedBy),
            ),
          ),
        )
      : h('p', { class: 'hint' }, 'No list exported yet.'),
  );
}

/** A CSV cell; a text that a spreadsheet would run as a formula is quoted as text. */
export function csvCell(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s))) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
