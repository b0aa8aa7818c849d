// The Live page: the server's counters polled every 2 seconds, as rates and charts.

import { $, api, fmt, h, say, table } from './dom.js';

const HISTORY = 60;

export async function showLive() {
  let previous;
  const history = { at: [], rows: new Map(), p99: new Map() };
  const charts = {};
  // Until two readings make a rate, the charts say so rather than stay blank.
  for (const id of ['chart-rows', 'chart-p99'])
    if (!charts[id])
      $(id).replaceChildren(
        h('p', { class: 'hint chart-wait' }, 'Collecting: a rate needs two readings, 2 s apart…'),
      );
  const tick = async () => {
    const now = await api('/console/api/live');
    renderLiveTables(now, previous);
    if (previous) {
      const dt = (now.at - previous.at) / 1000;
      history.at.push(now.at / 1000);
      for (const v of now.versions) {
        const key = `${v.model} v${v.version}`;
        const before = previous.versions.find((p) => p.model === v.model && p.version === v.version);
        const rows = before ? v.rows - before.rows : v.rows;
        push(history.rows, key, rows / dt, history.at.length);
        // A version that scored nothing since the last reading has no p99 now: a gap, not its old value.
        push(history.p99, key, rows > 0 ? v.inferenceP99Ms : null, history.at.length);
      }
      if (history.at.length > HISTORY) {
        history.at.shift();
        for (const series of [...history.rows.values(), ...history.p99.values()]) series.shift();
      }
      draw(charts, 'rows', $('chart-rows'), history.at, history.rows);
      draw(charts, 'p99', $('chart-p99'), history.at, history.p99);
      latest($('latest-rows'), history.rows, (v) => `${fmt(v, 1)} rows/s`);
      latest($('latest-p99'), history.p99, (v) => `${fmt(v, 2)} ms`);
    }
    previous = now;
  };
  await tick();
  const timer = setInterval(() => tick().catch((err) => say(err.message, true)), 2000);
  return () => clearInterval(timer);
}

function push(map, key, value, length) {
  if (!map.has(key)) map.set(key, new Array(length - 1).fill(null));
  map.get(key).push(value);
  for (const [k, series] of map) if (k !== key && series.length < length) series.push(null);
}

/** The charts' last values in words (also what a screen reader reads): "churn v1: 12.0 rows/s". */
function latest(el, seriesMap, show) {
  el.replaceChildren(
    ...[...seriesMap].map(([key, series]) => {
      const v = series.at(-1);
      return h(
        'li',
        { dataset: { series: key } },
        `${key}: ${v === null || v === undefined ? 'idle' : show(v)}`,
      );
    }),
  );
}

function draw(charts, name, el, xs, seriesMap) {
  if (typeof uPlot === 'undefined' || xs.length < 1 || seriesMap.size === 0) {
    if (xs.length >= 1 && seriesMap.size === 0)
      el.replaceChildren(h('p', { class: 'hint' }, 'No model has scored rows yet.'));
    return;
  }
  const keys = [...seriesMap.keys()];
  const colors = ['#0b4f9c', '#a4161a', '#1b5e20', '#8a4b00', '#5b2a86', '#00695c', '#37474f', '#ad1457'];
  const signature = keys.join('|');
  if (!charts[name] || charts[name].signature !== signature) {
    charts[name]?.plot.destroy();
    el.replaceChildren();
    const plot = new uPlot(
      {
        width: 520,
        height: 220,
        series: [{}, ...keys.map((k, i) => ({ label: k, stroke: colors[i % colors.length], width: 2 }))],
        // The legend names the series; the values are in the list under the chart (no "--").
        legend: { live: false },
        axes: [{}, { size: 60 }],
      },
      [xs, ...keys.map((k) => seriesMap.get(k))],
      el,
    );
    charts[name] = { plot, signature };
  } else charts[name].plot.setData([xs, ...keys.map((k) => seriesMap.get(k))]);
}

function renderLiveTables(now, previous) {
  const dt = previous ? (now.at - previous.at) / 1000 : 0;
  const rate = (a, b) => (previous && dt > 0 ? (a - b) / dt : null);
  const lookups = now.cache.hits + now.cache.misses;
  const tile = (label, value) =>
    h('div', { class: 'tile' }, h('div', {}, label), h('div', { class: 'value' }, value));
  $('live-tiles').replaceChildren(
    tile('Cache hit ratio', lookups ? fmt(now.cache.hits / lookups, 3) : '–'),
    tile('Workers busy', `${now.workers.busy} / ${now.workers.alive}`),
    tile('Batches waiting for a worker', String(now.workers.queued)),
    tile('Calls shed', String(now.shed)),
  );
  $('live-methods').replaceChildren(
    table(
      ['method', 'calls/s', 'errors/s', 'errors since start', 'p50 ms', 'p99 ms'],
      now.methods.map((m) => {
        const before = previous?.methods.find((p) => p.method === m.method);
        return h(
          'tr',
          {},
          h('td', {}, m.method),
          h('td', { class: 'num' }, fmt(rate(m.calls, before?.calls ?? 0), 1)),
          h('td', { class: 'num' }, fmt(rate(m.errors, before?.errors ?? 0), 1)),
          h('td', { class: 'num' }, String(m.errors)),
          h('td', { class: 'num' }, fmt(m.p50Ms, 2)),
          h('td', { class: 'num' }, fmt(m.p99Ms, 2)),
        );
      }),
    ),
  );
  $('live-versions').replaceChildren(
    table(
      ['model', 'version', 'rows/s', 'mean batch', 'queue depth', 'dropped', 'inference p50 ms', 'p99 ms'],
      now.queues.map((q) => {
        const v = now.versions.find((x) => x.model === q.model && x.version === q.version);
        const before = previous?.versions.find((x) => x.model === q.model && x.version === q.version);
        return h(
          'tr',
          {},
          h('td', {}, q.model),
          h('td', {}, q.version),
          h('td', { class: 'num' }, fmt(v ? rate(v.rows, before?.rows ?? 0) : 0, 1)),
          h('td', { class: 'num' }, v?.batches ? fmt(v.rows / v.batches, 1) : '–'),
          h('td', { class: 'num' }, String(q.depth)),
          h('td', { class: 'num' }, String(v?.dropped ?? 0)),
          h('td', { class: 'num' }, fmt(v?.inferenceP50Ms, 2)),
          h('td', { class: 'num' }, fmt(v?.inferenceP99Ms, 2)),
        );
      }),
    ),
  );
  $('live-shadows').replaceChildren(
    now.shadows.length
      ? table(
          [
            'model',
            'serving',
            'shadow',
            'rows compared',
            'mean |difference|',
            'top-1 agreement',
            'rows dropped',
          ],
          now.shadows.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, s.model),
              h('td', {}, s.version),
              h('td', {}, s.shadowVersion),
              h('td', { class: 'num' }, String(s.rows)),
              h('td', { class: 'num' }, fmt(s.meanAbsDifference)),
              h('td', { class: 'num' }, fmt(s.top1Agreement, 3)),
              h('td', { class: 'num' }, String(s.dropped)),
            ),
          ),
        )
      : h('p', {}, 'No shadow is scoring.'),
  );
}
