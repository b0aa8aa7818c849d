// The loyalty-inference console: plain JavaScript over the server's /console/api and
// /admin/v1 endpoints, no build step. Elements are built with textContent (never HTML from data),
// except the model card, which the server renders from Markdown with every character escaped.

const $ = (id) => document.getElementById(id);

/** An element with attributes (on* are listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

function say(text, error = false) {
  const m = $('message');
  m.textContent = text;
  m.className = error ? 'error' : '';
}

/** JSON from the server, or an Error carrying the server's message. */
async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, options);
  } catch {
    throw new Error('the server did not answer; is it running?');
  }
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`unexpected answer from the server (HTTP ${res.status})`);
  }
  if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
  return body;
}

const fmt = (v, digits = 4) =>
  v === null || v === undefined || Number.isNaN(Number(v)) ? '–' : Number(v).toFixed(digits);
const num = (value, digits, data) =>
  h('span', { dataset: { ...data, value: String(value) } }, fmt(value, digits));
const table = (head, rows) =>
  h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );

// ---------------------------------------------------------------- pages

const pages = { models: showModels, live: showLive, customer: showCustomer, campaigns: showCampaigns };
let leavePage = () => {};

function route() {
  const name = (location.hash.slice(1).split('/')[0] || 'models').toLowerCase();
  const page = pages[name] ? name : 'models';
  leavePage();
  leavePage = () => {};
  say('');
  for (const p of Object.keys(pages)) $(`page-${p}`).hidden = p !== page;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page[0].toUpperCase()}${page.slice(1)} · loyalty-inference console`;
  pages[page]().catch((err) => say(err.message, true));
}

// ---------------------------------------------------------------- models

async function showModels() {
  const data = await api('/console/api/models');
  const root = $('models-list');
  root.replaceChildren(
    ...data.models.map((m) => modelSection(m, data.policy.models[m.name] ?? {})),
    ...(data.loading.length
      ? [h('h3', {}, 'Loading'), h('p', {}, data.loading.map((l) => `${l.name} v${l.version}`).join(', '))]
      : []),
    ...(data.refused.length
      ? [
          h('h3', {}, 'Refused'),
          table(
            ['model', 'version', 'why'],
            data.refused.map((r) =>
              h('tr', {}, h('td', {}, r.name), h('td', {}, r.version), h('td', {}, r.reason)),
            ),
          ),
        ]
      : []),
  );
  if (!data.models.length) root.append(h('p', {}, 'No model is loaded.'));
}

function modelSection(m, entry) {
  const versionRows = m.versions.map((v) =>
    h(
      'tr',
      { dataset: { model: m.name, version: v.version } },
      h('td', {}, v.version),
      h('td', {}, h('span', { class: `state ${v.state}` }, v.state)),
      h('td', {}, v.outputKind),
      h('td', {}, h('details', {}, h('summary', {}, `${v.inputs.length} inputs`), v.inputs.join(', '))),
      h(
        'td',
        {},
        Object.entries(v.metrics)
          .slice(0, 4)
          .map(([k, x]) => h('div', {}, `${k}: ${fmt(x)}`)),
      ),
      h(
        'td',
        {},
        `batch ${v.batching.maxBatchSize}, delay ${v.batching.maxQueueDelayUs} µs, queue ${v.batching.maxQueueSize}`,
      ),
      driftCell(v.drift),
      h(
        'td',
        {},
        v.hasCard
          ? h(
              'button',
              { type: 'button', class: 'secondary', onclick: () => showCard(m.name, v.version) },
              `Card v${v.version}`,
            )
          : '–',
      ),
    ),
  );
  const loadingRows = m.loading.map((version) =>
    h(
      'tr',
      {},
      h('td', {}, version),
      h('td', {}, h('span', { class: 'state loading' }, 'loading')),
      h('td', { colspan: 6 }, 'being loaded and warmed up in every worker'),
    ),
  );
  const refusedRows = m.refused.map((r) =>
    h(
      'tr',
      {},
      h('td', {}, r.version),
      h('td', {}, h('span', { class: 'state refused' }, 'refused')),
      h('td', { colspan: 6 }, r.reason),
    ),
  );
  return h(
    'article',
    { class: 'model', 'aria-labelledby': `model-${m.name}`, dataset: { model: m.name } },
    h('h3', { id: `model-${m.name}` }, m.name),
    h(
      'p',
      {},
      'Serving ',
      h('strong', { dataset: { role: 'serving' } }, `v${m.serving}`),
      m.canary ? `; canary v${m.canary.version} for ${m.canary.percent}% of customers` : '',
      m.shadow ? `; shadow v${m.shadow}` : '',
    ),
    table(
      ['version', 'state', 'output', 'inputs', 'test metrics', 'batching', 'drift (PSI)', 'model card'],
      [...versionRows, ...loadingRows, ...refusedRows],
    ),
    rolloutForm(m, entry),
  );
}

/** The population stability index's usual reading. */
const psiReading = (psi) => (psi > 0.2 ? 'shifted' : psi > 0.1 ? 'moderate' : 'stable');

/** A version's drift over the server's window: the output, then the inputs that moved most. */
function driftCell(d) {
  if (!d) return h('td', {}, '–');
  const line = (name, psi) =>
    h(
      'div',
      { class: `psi-${psiReading(psi)}`, dataset: { input: name, psi: String(psi) } },
      `${name} ${fmt(psi)} ${psiReading(psi)}`,
    );
  return h(
    'td',
    { dataset: { field: 'drift' } },
    h('div', {}, `${d.rows.toLocaleString('en-US')} rows`),
    line('output', d.output),
    ...d.inputs.slice(0, 3).map((i) => line(i.name, i.psi)),
  );
}

function rolloutForm(m, entry) {
  const id = (what) => `${m.name}-${what}`;
  const options = (selected, none) => [
    ...(none ? [h('option', { value: '' }, none)] : []),
    ...m.versions.map((v) =>
      h('option', { value: v.version, selected: v.version === selected }, `v${v.version}`),
    ),
  ];
  const pin = h('select', { id: id('pin'), name: 'default' }, options(m.serving));
  const canary = h('select', { id: id('canary'), name: 'canary' }, options(m.canary?.version ?? '', 'none'));
  const percent = h('input', {
    id: id('percent'),
    name: 'percent',
    type: 'number',
    min: 0,
    max: 100,
    step: 0.01,
    value: m.canary?.percent ?? 0,
    style: 'width:6rem',
  });
  const shadow = h('select', { id: id('shadow'), name: 'shadow' }, options(m.shadow ?? '', 'none'));
  const write = async (change) => {
    // Keeps what the page does not edit (versions, labels), replaces the rest.
    const next = {
      ...(entry.versions ? { versions: entry.versions } : {}),
      labels: entry.labels ?? {},
      ...change,
    };
    try {
      await api(`/admin/v1/serving-policy/models/${encodeURIComponent(m.name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(next),
      });
      await showModels();
      say(`Serving policy of ${m.name} changed.`);
    } catch (err) {
      say(`The server refused the change: ${err.message}`, true);
    }
  };
  const apply = () => {
    const change = { default: pin.value };
    if (canary.value) change.canary = { version: canary.value, percent: Number(percent.value) };
    if (shadow.value) change.shadow = shadow.value;
    return write(change);
  };
  return h(
    'form',
    {
      class: 'rollout',
      'aria-label': `Rollout of ${m.name}`,
      onsubmit: (e) => {
        e.preventDefault();
        apply();
      },
    },
    h('label', { for: id('pin') }, 'Default version'),
    pin,
    h('label', { for: id('canary') }, 'Canary'),
    canary,
    h('label', { for: id('percent') }, '% of customers'),
    percent,
    h('label', { for: id('shadow') }, 'Shadow'),
    shadow,
    h('button', { type: 'submit' }, 'Apply'),
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => write({ default: pin.value }) },
      'Roll back canary and shadow',
    ),
  );
}

async function showCard(name, version) {
  const { html } = await api(
    `/console/api/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}/card`,
  );
  $('card-title').textContent = `Model card: ${name} v${version}`;
  $('card-body').innerHTML = html; // Rendered by the server from Markdown, every character escaped.
  $('card').hidden = false;
  $('card').scrollIntoView();
}

// ---------------------------------------------------------------- live

const HISTORY = 60;

async function showLive() {
  let previous;
  const history = { at: [], rows: new Map(), p99: new Map() };
  const charts = {};
  const tick = async () => {
    const now = await api('/console/api/live');
    renderLiveTables(now, previous);
    if (previous) {
      const dt = (now.at - previous.at) / 1000;
      history.at.push(now.at / 1000);
      for (const v of now.versions) {
        const key = `${v.model} v${v.version}`;
        const before = previous.versions.find((p) => p.model === v.model && p.version === v.version);
        push(history.rows, key, before ? (v.rows - before.rows) / dt : 0, history.at.length);
        push(history.p99, key, v.inferenceP99Ms, history.at.length);
      }
      if (history.at.length > HISTORY) {
        history.at.shift();
        for (const series of [...history.rows.values(), ...history.p99.values()]) series.shift();
      }
      draw(charts, 'rows', $('chart-rows'), history.at, history.rows);
      draw(charts, 'p99', $('chart-p99'), history.at, history.p99);
    }
    previous = now;
  };
  await tick();
  const timer = setInterval(() => tick().catch((err) => say(err.message, true)), 2000);
  leavePage = () => clearInterval(timer);
}

function push(map, key, value, length) {
  if (!map.has(key)) map.set(key, new Array(length - 1).fill(null));
  map.get(key).push(value);
  for (const [k, series] of map) if (k !== key && series.length < length) series.push(null);
}

function draw(charts, name, el, xs, seriesMap) {
  if (typeof uPlot === 'undefined' || xs.length < 2) return;
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
      ['method', 'calls/s', 'errors', 'p50 ms', 'p99 ms'],
      now.methods.map((m) => {
        const before = previous?.methods.find((p) => p.method === m.method);
        return h(
          'tr',
          {},
          h('td', {}, m.method),
          h('td', { class: 'num' }, fmt(rate(m.calls, before?.calls ?? 0), 1)),
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

// ---------------------------------------------------------------- customer

async function showCustomer() {
  const form = $('customer-form');
  form.onsubmit = (e) => {
    e.preventDefault();
    const id = $('customer-id').value.trim();
    location.hash = `customer/${encodeURIComponent(id)}`;
  };
  const id = decodeURIComponent(location.hash.split('/')[1] ?? '');
  $('customer-id').value = id;
  $('customer-view').replaceChildren();
  if (!id) return $('customer-id').focus();
  try {
    renderCustomer(await api(`/console/api/customers/${encodeURIComponent(id)}`));
  } catch (err) {
    $('customer-view').replaceChildren(
      h('p', { class: 'error', role: 'alert' }, `Customer ${id}: ${err.message}`),
    );
  }
}

function predictionView(m) {
  const p = m.prediction ?? {};
  const data = { model: m.name };
  if (p.binary)
    return [
      h('p', {}, `P(${p.binary.label}) `, num(p.binary.probability, 4, { ...data, field: 'probability' })),
      h(
        'p',
        {},
        'Band ',
        h(
          'span',
          { class: `band-${p.binary.riskBand}`, dataset: { ...data, field: 'band' } },
          String(p.binary.riskBand).replace('RISK_BAND_', '').toLowerCase(),
        ),
      ),
    ];
  if (p.regression)
    return [
      h(
        'p',
        {},
        num(p.regression.value, 2, { ...data, field: 'value' }),
        ` ${p.regression.money ? p.regression.money.currencyCode : p.regression.unit}`,
        p.regression.horizonMonths ? ` over ${p.regression.horizonMonths} months` : '',
      ),
      forecastView(p.regression.forecast, data),
    ];
  const list = p.classes?.labels ?? p.ranking?.items ?? [];
  return [
    h(
      'ol',
      {},
      list.map((x) =>
        h(
          'li',
          {},
          `${x.name || x.code} `,
          num(x.probability ?? x.score, 4, { ...data, field: 'rank', code: x.code }),
        ),
      ),
    ),
  ];
}

const amount = (money) => Number(money.units) + money.nanos / 1e9;

/** BG/NBD and Gamma-Gamma's view beside a lifetime value, when the model carries them. */
function forecastView(f, data) {
  if (!f) return '';
  const currency = ` ${f.expectedSpend.currencyCode}`;
  return h(
    'p',
    { class: 'forecast' },
    'BG/NBD: P(alive) ',
    num(f.probabilityAlive, 2, { ...data, field: 'probability-alive' }),
    ', ',
    num(f.expectedTransactions, 1, { ...data, field: 'expected-purchases' }),
    ' purchases, ',
    num(amount(f.expectedSpend), 2, { ...data, field: 'expected-spend' }),
    currency,
    ' (10-90%: ',
    num(amount(f.spendP10), 2, { ...data, field: 'spend-p10' }),
    '-',
    num(amount(f.spendP90), 2, { ...data, field: 'spend-p90' }),
    `${currency})`,
  );
}

/** The reason codes of a model's score: the phrases, raising ones first. */
function reasonsView(m) {
  const reasons = m.explanation?.reasons ?? [];
  if (reasons.length === 0) return '';
  return h(
    'ul',
    { class: 'reasons', dataset: { model: m.name, field: 'reasons' } },
    reasons.map((r) =>
      h(
        'li',
        { class: r.contribution > 0 ? 'reason-up' : 'reason-down' },
        r.contribution > 0 ? '▲ ' : '▼ ',
        r.phrase,
      ),
    ),
  );
}

function renderCustomer(c) {
  const rfm = c.rfm;
  const cards = [
    rfm &&
      h(
        'div',
        { class: 'card' },
        h('h3', {}, 'RFM'),
        h(
          'p',
          {},
          'Segment ',
          h(
            'strong',
            { dataset: { field: 'segment' } },
            String(rfm.segment).replace('RFM_SEGMENT_', '').replaceAll('_', ' ').toLowerCase(),
          ),
        ),
        h('p', {}, `R ${rfm.recencyScore} · F ${rfm.frequencyScore} · M ${rfm.monetaryScore}`),
        h('p', {}, `${rfm.recencyDays} days since last purchase, ${rfm.frequency} purchases`),
      ),
    ...c.models.map((m) =>
      h(
        'div',
        { class: 'card', dataset: { model: m.name, version: m.version } },
        h('h3', {}, `${m.name} `, h('small', {}, `v${m.version}`)),
        ...predictionView(m),
        reasonsView(m),
      ),
    ),
  ];
  $('customer-view').replaceChildren(
    h(
      'p',
      {},
      `Customer `,
      h('strong', {}, c.customerId),
      ` · tier ${c.tier} · features as of ${c.asOf} (store materialized ${c.store.materializedAt})`,
    ),
    h('div', { class: 'cards' }, cards),
    h('h3', {}, 'Features'),
    table(
      ['feature', 'value'],
      Object.entries(c.features).map(([k, v]) =>
        h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, fmt(v, 2))),
      ),
    ),
    c.recentItems.length ? h('p', {}, `Recent purchases: ${c.recentItems.join(', ')}`) : '',
  );
}

// ---------------------------------------------------------------- campaign lists

const SEGMENTS = [
  'CHAMPIONS',
  'LOYAL',
  'POTENTIAL_LOYALIST',
  'NEW_CUSTOMERS',
  'PROMISING',
  'NEEDS_ATTENTION',
  'ABOUT_TO_SLEEP',
  'AT_RISK',
  'CANNOT_LOSE_THEM',
  'HIBERNATING',
  'LOST',
];
const TIERS = ['basic', 'silver', 'gold', 'platinum'];

async function showCampaigns() {
  const data = await api('/console/api/models');
  const select = $('campaign-model');
  const fed = data.models.filter((m) => m.versions.some((v) => v.version === m.serving && v.fedByStore));
  select.replaceChildren(...fed.map((m) => h('option', { value: m.name }, m.name)));
  const checks = (root, name, values) =>
    root.replaceChildren(
      ...values.map((v) =>
        h(
          'label',
          {},
          h('input', { type: 'checkbox', name, value: v }),
          ` ${v.replaceAll('_', ' ').toLowerCase()}`,
        ),
      ),
    );
  if (!$('campaign-segments').children.length) checks($('campaign-segments'), 'segments', SEGMENTS);
  if (!$('campaign-tiers').children.length) checks($('campaign-tiers'), 'tiers', TIERS);
  $('campaign-preview').onclick = () => runCampaign(true);
  $('campaign-form').onsubmit = (e) => {
    e.preventDefault();
    runCampaign(false);
  };
}

function campaignQuery(preview) {
  const form = $('campaign-form');
  const q = new URLSearchParams({ model: form.model.value });
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  if (checked('segments').length) q.set('segments', checked('segments').join(','));
  if (checked('tiers').length) q.set('tiers', checked('tiers').join(','));
  if (form.threshold.value !== '') q.set('threshold', form.threshold.value);
  if (form.top.value !== '') q.set('top', form.top.value);
  if (preview) q.set('preview', '1');
  return q;
}

async function runCampaign(preview) {
  const result = $('campaign-result');
  const progress = $('campaign-progress');
  const buttons = [$('campaign-preview'), $('campaign-download')];
  for (const b of buttons) b.disabled = true;
  progress.value = 0;
  result.textContent = preview ? 'Counting…' : 'Scoring…';
  const rows = [];
  let last;
  try {
    const res = await fetch(`/console/api/campaign?${campaignQuery(preview)}`);
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error || `HTTP ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) {
        last = JSON.parse(line);
        if (last.error) throw new Error(last.error);
        if (last.total) progress.value = Math.min(1, last.scored / last.total);
        rows.push(...(last.rows ?? []));
        if (!last.done) result.textContent = `Scored ${last.scored} of ${last.total} customers…`;
      }
    }
    if (!last?.done) throw new Error('the list stopped before its end');
    progress.value = 1;
    if (preview) {
      result.textContent = `${last.count} customers of ${last.scored} scored would be in this list.`;
      result.dataset.count = String(last.count);
      return;
    }
    const csv = [
      'customer_id,model,model_version,score,label',
      ...rows.map((r) => [r[0], $('campaign-model').value, r[1], r[2], r[3]].map(csvCell).join(',')),
    ].join('\n');
    const link = h(
      'a',
      {
        href: URL.createObjectURL(new Blob([`${csv}\n`], { type: 'text/csv' })),
        download: `campaign-${$('campaign-model').value}.csv`,
      },
      'the CSV',
    );
    result.replaceChildren(`${rows.length} customers. Downloading `, link, '.');
    result.dataset.count = String(rows.length);
    link.click();
  } catch (err) {
    result.textContent = `The list could not be built: ${err.message}`;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/** A CSV cell; a text that a spreadsheet would run as a formula is quoted as text. */
function csvCell(value) {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s))) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

window.addEventListener('hashchange', route);
route();
