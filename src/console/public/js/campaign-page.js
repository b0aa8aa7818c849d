// The Audiences page: a list built by conditions (a ranking model and its risk bands, segments,
// tiers, other models, customer facts), without the recently contacted and the opted out, with a
// holdout; previewed (count, score histogram, segment x tier), downloaded, written to a CRM table,
// saved by name. The audience lives in the address (#campaigns?<query>): bookmark it, share it.

import { $, api, fmt, h, readNdjson, table, vocabulary } from './dom.js';
import { modelLabel } from './names.js';

const BAND_WORDS = { low: 'Low', medium: 'Medium', high: 'High' };
const COLUMN_WORDS = {
  model_version: 'model version',
  risk_band: 'risk band',
  top_label: 'top offer or item',
  unit: 'unit',
  segment: 'segment',
  tier: 'tier',
  ltv: 'lifetime value',
  next_best_action: 'next best action',
  next_best_action_value: 'its expected value',
  uplift: 'uplift',
};
const DEFAULT_COLUMNS = ['risk_band', 'segment', 'tier'];

let state;

export async function showCampaigns() {
  const [data, words] = await Promise.all([api('/console/api/models'), vocabulary()]);
  const models = data.models
    .map((m) => ({ m, v: m.versions.find((v) => v.version === m.serving) }))
    .filter(({ v }) => v?.fedByStore)
    .map(({ m, v }) => ({
      name: m.name,
      kind: v.outputKind,
      bands: v.riskBands,
      description: v.description,
    }));
  state = { models, words };
  const select = $('campaign-model');
  const chosen = select.value;
  // The first choice a marketer makes most: churn risk.
  const initial = chosen || (models.some((m) => m.name === 'churn') ? 'churn' : models[0]?.name);
  select.replaceChildren(
    ...models.map((m) => h('option', { value: m.name, selected: m.name === initial }, modelLabel(m.name))),
  );
  const checks = (root, name, values) => {
    if (root.children.length) return;
    root.replaceChildren(
      ...values.map((v) =>
        h('label', {}, h('input', { type: 'checkbox', name, value: v.code }), ` ${v.name}`),
      ),
    );
  };
  // Segment and tier codes as the server names them: the page keeps no copy of its own.
  checks($('campaign-segments'), 'segments', words.segments);
  checks(
    $('campaign-tiers'),
    'tiers',
    words.tiers.map((t) => ({ code: t, name: t })),
  );
  checks(
    $('campaign-columns'),
    'columns',
    words.audienceColumns.map((c) => ({ code: c, name: COLUMN_WORDS[c] ?? c })),
  );
  if (!$('campaign-columns').querySelector(':checked'))
    for (const c of DEFAULT_COLUMNS) setChecked('columns', c, true);
  select.onchange = () => showBands();
  showBands();
  $('campaign-add-where').onclick = () => addCondition();
  $('campaign-add-feature').onclick = () => addRange();
  $('campaign-preview').onclick = () => runList('preview');
  $('campaign-table').onclick = () => runList('table');
  $('campaign-form').onsubmit = (e) => {
    e.preventDefault();
    runList('file');
  };
  $('audience-save').onclick = () => save();
  $('audience-load').onclick = () => open($('audience-saved').value);
  $('audience-delete').onclick = () => remove($('audience-saved').value);
  // An address carrying an audience (a bookmark, a shared link) fills the form.
  const query = location.hash.split('?')[1];
  if (query) fill(new URLSearchParams(query));
  await Promise.all([listSaved(), listExports()]);
}

const setChecked = (name, value, on) => {
  const box = $('campaign-form').querySelector(`input[name=${name}][value="${CSS.escape(value)}"]`);
  if (box) box.checked = on;
};

/** The ranking model's risk bands, with the probabilities they start at (binary models only). */
function showBands() {
  const model = state.models.find((m) => m.name === $('campaign-model').value);
  const t = model?.bands;
  const set = $('campaign-bands-set');
  set.hidden = model?.kind !== 'binary_probability';
  $('campaign-model-help').textContent = model?.description ?? '';
  const kept = new Set([...$('campaign-bands').querySelectorAll(':checked')].map((i) => i.value));
  const range = {
    low: t ? `below ${t.medium}` : '',
    medium: t ? `${t.medium} to ${t.high}` : '',
    high: t ? `${t.high} and above` : '',
  };
  $('campaign-bands').replaceChildren(
    ...state.words.riskBands.map((b) =>
      h(
        'label',
        {},
        h('input', { type: 'checkbox', name: 'bands', value: b, checked: kept.has(b) }),
        ` ${BAND_WORDS[b] ?? b}${range[b] ? ` (${range[b]})` : ''}`,
      ),
    ),
  );
}

/** A row "<model> <risk band is | score at least | score at most> <value>", removable. */
function addCondition(c = { model: '', op: 'band', value: 'high' }) {
  const model = h(
    'select',
    { 'aria-label': 'model of the condition', class: 'where-model' },
    state.models.map((m) => h('option', { value: m.name, selected: m.name === c.model }, modelLabel(m.name))),
  );
  const op = h(
    'select',
    { 'aria-label': 'condition', class: 'where-op' },
    [
      ['band', 'risk band is'],
      ['min', 'score at least'],
      ['max', 'score at most'],
    ].map(([v, text]) => h('option', { value: v, selected: v === c.op }, text)),
  );
  const value = h('input', {
    'aria-label': 'value of the condition',
    class: 'where-value',
    value: c.value,
    size: 8,
  });
  const row = h('div', { class: 'where' }, model, ' ', op, ' ', value, ' ');
  row.append(
    h('button', { type: 'button', onclick: () => row.remove(), 'aria-label': 'remove this condition' }, '✕'),
  );
  $('campaign-where').append(row);
}

function addRange(f = { feature: '', min: '', max: '' }) {
  const feature = h(
    'select',
    { 'aria-label': 'customer fact', class: 'range-feature' },
    state.words.features.map((x) =>
      h('option', { value: x.name, selected: x.name === f.feature }, `${x.label} (${x.unit})`),
    ),
  );
  const min = h('input', {
    type: 'number',
    step: 'any',
    'aria-label': 'from',
    class: 'range-min',
    value: f.min,
    placeholder: 'from',
  });
  const max = h('input', {
    type: 'number',
    step: 'any',
    'aria-label': 'to',
    class: 'range-max',
    value: f.max,
    placeholder: 'to',
  });
  const row = h('div', { class: 'where' }, feature, ' ', min, ' ', max, ' ');
  row.append(
    h('button', { type: 'button', onclick: () => row.remove(), 'aria-label': 'remove this range' }, '✕'),
  );
  $('campaign-features').append(row);
}

/** The form as the audience's query (what the server reads, saves and the address keeps). */
function audienceQuery() {
  const form = $('campaign-form');
  const q = new URLSearchParams({ model: form.model.value });
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  const put = (key, value) => value !== '' && q.set(key, value);
  put('segments', checked('segments').join(','));
  put('tiers', checked('tiers').join(','));
  if (!$('campaign-bands-set').hidden) put('bands', checked('bands').join(','));
  put('threshold', form.threshold.value);
  put('top', form.top.value);
  put(
    'where',
    [...$('campaign-where').children]
      .map((row) => {
        const op = row.querySelector('.where-op').value;
        const value = row.querySelector('.where-value').value.trim().toLowerCase();
        return `${row.querySelector('.where-model').value}:${op}:${op === 'band' ? value.replaceAll(/[ ,]+/g, '|') : value}`;
      })
      .join(','),
  );
  put(
    'features',
    [...$('campaign-features').children]
      .map(
        (row) =>
          `${row.querySelector('.range-feature').value}:${row.querySelector('.range-min').value}:${row.querySelector('.range-max').value}`,
      )
      .join(','),
  );
  put('contacted', form.contacted.value);
  put('at', form.at.value);
  if (form.optout.checked) q.set('optout', '1');
  if (Number(form.holdout.value) > 0) q.set('holdout', form.holdout.value);
  q.set('columns', checked('columns').join(','));
  return q;
}

/** Fills the form from an audience's query (a saved audience, the address). */
function fill(q) {
  const form = $('campaign-form');
  if (q.get('model')) form.model.value = q.get('model');
  showBands();
  const list = (key) => (q.get(key) ?? '').split(',').filter(Boolean);
  for (const name of ['segments', 'tiers', 'bands', 'columns']) {
    if (name === 'columns' && !q.has('columns')) continue;
    for (const box of form.querySelectorAll(`input[name=${name}]`))
      box.checked = list(name).includes(box.value);
  }
  form.threshold.value = q.get('threshold') ?? '';
  form.top.value = q.get('top') ?? '';
  form.contacted.value = q.get('contacted') ?? '';
  form.at.value = q.get('at') ?? '';
  form.optout.checked = q.get('optout') === '1';
  form.holdout.value = q.get('holdout') ?? '0';
  $('campaign-where').replaceChildren();
  for (const c of list('where')) {
    const [model, op, value] = c.split(':');
    addCondition({ model, op, value: op === 'band' ? value.replaceAll('|', ' ') : value });
  }
  $('campaign-features').replaceChildren();
  for (const f of list('features')) {
    const [feature, min, max] = f.split(':');
    addRange({ feature, min, max });
  }
}

function keepInAddress(q) {
  history.replaceState(null, '', `#campaigns?${q}`);
}

async function runList(mode) {
  const result = $('campaign-result');
  const progress = $('campaign-progress');
  const buttons = [$('campaign-preview'), $('campaign-download'), $('campaign-table')];
  const q = audienceQuery();
  keepInAddress(q);
  const name = $('audience-name').value.trim();
  if (mode === 'table' && !name) {
    result.className = 'error';
    result.textContent = 'A CRM table is named after the audience: give it a name under "Save as" first.';
    return;
  }
  for (const b of buttons) b.disabled = true;
  progress.value = 0;
  result.className = '';
  result.removeAttribute('data-count');
  result.textContent = mode === 'preview' ? 'Counting…' : 'Scoring…';
  $('campaign-summary').replaceChildren();
  let header = [];
  const rows = [];
  try {
    const onLine = (line) => {
      if (line.columns) header = line.columns;
      if (line.total) progress.value = Math.min(1, line.scored / line.total);
      rows.push(...(line.rows ?? []));
      if (line.scored !== undefined && !line.done)
        result.textContent = `Scored ${line.scored} of ${line.total} customers…`;
    };
    const last =
      mode === 'preview'
        ? await readNdjson(`/console/api/campaign?${q}&preview=1`, onLine)
        : await readNdjson('/console/api/exports', onLine, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: q.toString(), audience: name || undefined, to: mode }),
          });
    if (!last?.done) throw new Error('the list stopped before its end');
    progress.value = 1;
    result.dataset.count = String(last.count);
    result.dataset.holdout = String(last.holdout);
    showSummary(last);
    if (mode === 'preview') {
      result.textContent = `${last.count} customers (${last.holdout} of them held out) of ${last.scored} scored.`;
      return;
    }
    if (mode === 'table') {
      result.textContent = `${last.count} customers written to the table ${last.table} (${last.holdout} marked holdout).`;
      return;
    }
    const csv = [header.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n');
    const link = h(
      'a',
      { href: URL.createObjectURL(new Blob([`${csv}\n`], { type: 'text/csv' })), download: last.file },
      last.file,
    );
    result.replaceChildren(
      `${rows.length} customers (${last.holdout} marked holdout). Downloading `,
      link,
      '.',
    );
    link.click();
  } catch (err) {
    result.className = 'error';
    result.textContent = `The list could not be built: ${err.message}`;
  } finally {
    for (const b of buttons) b.disabled = false;
    if (mode !== 'preview') listExports().catch(() => {});
  }
}

/** Counts, what was left out, the score histogram and the segment x tier breakdown. */
function showSummary(s) {
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
            h('td', {}, segmentName(b.segment)),
            h('td', {}, b.tier),
            h('td', { class: 'num' }, String(b.count)),
          ),
        ),
    ),
  );
}

const segmentName = (code) => state.words.segments.find((s) => s.code === code)?.name ?? code;

async function listSaved() {
  const { audiences } = await api('/console/api/audiences');
  const select = $('audience-saved');
  const was = select.value;
  select.replaceChildren(
    h('option', { value: '' }, audiences.length ? '(choose one)' : '(none saved yet)'),
    ...audiences.map((a) =>
      h(
        'option',
        { value: a.name, selected: a.name === was, dataset: { query: a.query } },
        `${a.name} (${a.savedBy}, ${a.savedAt})`,
      ),
    ),
  );
}

async function listExports() {
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

async function save() {
  const result = $('campaign-result');
  const name = $('audience-name').value.trim();
  const q = audienceQuery();
  keepInAddress(q);
  try {
    const saved = await api(`/console/api/audiences/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q.toString() }),
    });
    result.className = '';
    result.textContent = `Saved as ${saved.name} (${saved.savedBy}, ${saved.savedAt} UTC).`;
    await listSaved();
    $('audience-saved').value = saved.name;
  } catch (err) {
    result.className = 'error';
    result.textContent = `Not saved: ${err.message}`;
  }
}

function open(name) {
  const option = [...$('audience-saved').options].find((o) => o.value === name && name);
  if (!option) return;
  $('audience-name').value = name;
  const q = new URLSearchParams(option.dataset.query);
  fill(q);
  keepInAddress(q);
  $('campaign-result').className = '';
  $('campaign-result').textContent = `Opened ${name}. Preview to count it again on today's data.`;
}

async function remove(name) {
  if (!name || !confirm(`Delete the saved audience ${name}?`)) return;
  try {
    await api(`/console/api/audiences/${encodeURIComponent(name)}`, { method: 'DELETE' });
    await listSaved();
  } catch (err) {
    $('campaign-result').className = 'error';
    $('campaign-result').textContent = `Not deleted: ${err.message}`;
  }
}

/** A CSV cell; a text that a spreadsheet would run as a formula is quoted as text. */
function csvCell(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s))) s = `'${s}`;
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
