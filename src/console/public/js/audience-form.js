// The Audiences page's form: an audience's query in, the form's controls out, and back. The
// query is the one the server reads (src/audiences/audience.ts): what is saved and shared.

import { $, h } from './dom.js';
import { modelLabel } from './names.js';

const BAND_WORDS = { low: 'Low', medium: 'Medium', high: 'High' };
export const COLUMN_WORDS = {
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
export const DEFAULT_COLUMNS = ['risk_band', 'segment', 'tier'];

/** The served models (name, kind, bands, description) and the vocabulary, set by the page. */
let state;
export function useModels(models, words) {
  state = { models, words };
}

export const setChecked = (name, value, on) => {
  const box = $('campaign-form').querySelector(`input[name=${name}][value="${CSS.escape(value)}"]`);
  if (box) box.checked = on;
};

/** The ranking model's risk bands, with the probabilities they start at (binary models only). */
export function showBands() {
  if (!state) return; // the models could not be read: the page says so
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
export function addCondition(c = { model: '', op: 'band', value: 'high' }) {
  if (!state) return; // the models could not be read: the page says so
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

export function addRange(f = { feature: '', min: '', max: '' }) {
  if (!state) return; // the models could not be read: the page says so
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
export function audienceQuery() {
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
    // A row left empty is no condition (the server refuses a half-written one, saying which).
    [...$('campaign-where').children]
      .filter((row) => row.querySelector('.where-value').value.trim() !== '')
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
      .filter(
        (row) => row.querySelector('.range-min').value !== '' || row.querySelector('.range-max').value !== '',
      )
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
export function fill(q) {
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
