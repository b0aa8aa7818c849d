// The Audiences page: a list built by conditions (a ranking model and its risk bands, segments,
// tiers, other models, customer facts), without the recently contacted and the opted out, with a
// holdout; previewed (count, score histogram, segment x tier), downloaded, written to a CRM table,
// saved by name. The audience lives in the address (#campaigns?<query>): bookmark it, share it.

import {
  addCondition,
  addRange,
  audienceQuery,
  COLUMN_WORDS,
  DEFAULT_COLUMNS,
  fill,
  setChecked,
  showBands,
  useModels,
} from './audience-form.js';
import { csvCell, listExports, showSummary } from './audience-results.js';
import { $, api, h, readNdjson, vocabulary } from './dom.js';
import { learnNames, modelLabel } from './names.js';

/** The vocabulary (segments, tiers, features), read once per visit. */
let words;

export async function showCampaigns() {
  // The buttons answer even when the server does not: each says why in place.
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
  let data;
  let vocab;
  try {
    [data, vocab] = await Promise.all([api('/console/api/models'), vocabulary()]);
  } catch (err) {
    $('campaign-result').className = 'error';
    $('campaign-result').textContent = `The models could not be read: ${err.message}`;
    throw err;
  }
  const models = data.models
    .map((m) => ({ m, v: m.versions.find((v) => v.version === m.serving) }))
    .filter(({ v }) => v?.fedByStore)
    .map(({ m, v }) => ({
      name: m.name,
      kind: v.outputKind,
      bands: v.riskBands,
      description: v.description,
    }));
  learnNames(data.models.map((m) => [m.name, m.versions.find((v) => v.version === m.serving)?.displayName]));
  useModels(models, vocab);
  words = vocab;
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
  // An address carrying an audience (a bookmark, a shared link) fills the form.
  const query = location.hash.split('?')[1];
  if (query) fill(new URLSearchParams(query));
  await Promise.all([listSaved(), listExports()]);
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
    showSummary(last, words.segments);
    if (mode === 'preview') {
      result.textContent = `${last.count} customers (${last.holdout} of them held out) of ${last.scored} scored.`;
      return;
    }
    if (mode === 'table') {
      result.textContent = `${last.count} customers written to the table ${last.table} (${last.holdout} marked holdout).`;
      return;
    }
    // Best first, whether a top N or a threshold list (which arrives in id order): score, then id.
    rows.sort((a, b) => (b[2] ?? -Infinity) - (a[2] ?? -Infinity) || (a[0] < b[0] ? -1 : 1));
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
