// The Models page: every model and version, its state, drift and rollout form.

import { $, api, confirmChange, fmt, h, table } from './dom.js';
import { learnNames, modelLabel } from './names.js';
import { policyDiff } from './policy-diff.js';

/** The last rollout's outcome, shown beside that model's form until the next change. */
let lastOutcome = { model: '', text: '', error: false };

export async function showModels() {
  const data = await api('/console/api/models');
  learnNames(data.models.map((m) => [m.name, m.versions.find((v) => v.version === m.serving)?.displayName]));
  showChanges().catch((err) => {
    $('policy-changes').replaceChildren(
      h('p', { class: 'error' }, `The change log could not be read: ${err.message}`),
    );
  });
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
      h(
        'td',
        {},
        h('details', {}, h('summary', {}, `${v.inputs.length} inputs`), v.inputs.join(', ')),
        ...v.views.map((view) => viewLine(view)),
      ),
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
    h('h3', { id: `model-${m.name}` }, modelLabel(m.name)),
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

/** A feature view a version reads: its rows and how fresh it is (stale past its maxAgeDays). */
function viewLine(view) {
  if (!view.materializedAt) return h('div', { class: 'view stale' }, `view ${view.name}: not materialized`);
  const ageDays = (Date.now() - Date.parse(`${view.materializedAt.replace(' ', 'T')}Z`)) / 86_400_000;
  const stale = view.maxAgeDays !== null && ageDays > view.maxAgeDays;
  return h(
    'div',
    { class: `view${stale ? ' stale' : ''}`, dataset: { view: view.name } },
    `view ${view.name}: ${view.rows} customers, values as of ${view.valuesAsOf.slice(0, 10)}, materialized ${ageDays < 1 ? 'today' : `${Math.floor(ageDays)} days ago`}${stale ? ' (stale)' : ''}`,
  );
}

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
  const status = h('p', {
    class: `rollout-status${lastOutcome.error ? ' error' : ''}`,
    role: 'status',
    dataset: { model: m.name },
  });
  if (lastOutcome.model === m.name) status.textContent = lastOutcome.text;
  const write = async (change) => {
    // Keeps what the page does not edit (versions, labels), replaces the rest.
    const next = {
      ...(entry.versions ? { versions: entry.versions } : {}),
      labels: entry.labels ?? {},
      ...change,
    };
    lastOutcome = { model: '', text: '', error: false };
    status.className = 'rollout-status';
    const lines = policyDiff(entry, next);
    if (!lines.length) {
      status.textContent = 'Nothing to change: this is what serves now.';
      return;
    }
    status.textContent = '';
    if (!(await confirmChange(`Change what ${m.name} serves?`, lines))) {
      status.textContent = 'Not changed.';
      return;
    }
    try {
      await api(`/admin/v1/serving-policy/models/${encodeURIComponent(m.name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(next),
      });
      lastOutcome = { model: m.name, text: `Changed: ${lines.join('; ')}.`, error: false };
    } catch (err) {
      lastOutcome = { model: m.name, text: `The server refused the change: ${err.message}`, error: true };
    }
    await showModels();
    document
      .querySelector(`.rollout-status[data-model="${CSS.escape(m.name)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
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
      // The last applied default, whatever the dropdown shows now: a version never applied is
      // no state to roll back to.
      { type: 'button', class: 'secondary', onclick: () => write({ default: entry.default ?? m.serving }) },
      'Roll back canary and shadow',
    ),
    status,
  );
}

/** The audit trail: who changed what is served, when, from what to what. */
async function showChanges() {
  const { changes } = await api('/admin/v1/serving-policy/audit?limit=20');
  $('policy-changes').replaceChildren(
    changes.length
      ? table(
          ['When (UTC)', 'Who', 'Model', 'Change'],
          changes.map((c) =>
            h(
              'tr',
              { dataset: { model: c.model } },
              h('td', {}, c.changedAt),
              h('td', {}, c.caller),
              h('td', {}, c.model),
              h('td', {}, policyDiff(c.before, c.after).join('; ') || 'no difference'),
            ),
          ),
        )
      : h('p', { class: 'hint' }, 'No change made through the server yet.'),
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
