// The Customer page: what every model fed by the store says about one customer.

import { $, api, fmt, h, num, table, vocabulary } from './dom.js';
import { featureValue, higherIsWorse, learnNames, modelLabel } from './names.js';

export async function showCustomer() {
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
    const [customer, words] = await Promise.all([
      api(`/console/api/customers/${encodeURIComponent(id)}`),
      vocabulary(),
    ]);
    renderCustomer(customer, words);
  } catch (err) {
    $('customer-view').replaceChildren(
      h('p', { class: 'error', role: 'alert' }, `Customer ${id}: ${err.message}`),
    );
  }
}

function predictionView(m) {
  const p = m.prediction;
  const data = { model: m.name };
  if (!p) return [h('p', {}, '–')];
  if (p.kind === 'binary_probability')
    return [
      h('p', {}, `P(${p.label}) `, num(p.probability, 4, { ...data, field: 'probability' })),
      h(
        'p',
        {},
        'Band ',
        h('span', { class: `band-${p.riskBand}`, dataset: { ...data, field: 'band' } }, p.riskBand),
      ),
    ];
  if (p.kind === 'regression')
    return [
      h(
        'p',
        {},
        num(p.value, 2, { ...data, field: 'value' }),
        ` ${p.money ? p.money.currency : p.unit}`,
        p.horizonMonths ? ` over ${p.horizonMonths} months` : '',
      ),
      forecastView(p.forecast, data),
    ];
  if (p.kind === 'uplift')
    return [
      h('p', {}, 'Uplift of a contact ', num(p.uplift, 4, { ...data, field: 'uplift' })),
      h(
        'p',
        { class: 'hint' },
        'Response if contacted ',
        num(p.treated, 4, { ...data, field: 'treated' }),
        ', if not ',
        num(p.untreated, 4, { ...data, field: 'untreated' }),
      ),
    ];
  const list = p.kind === 'class_probabilities' ? p.labels : p.items;
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

/** An amount as the gRPC API's Money reads (whole units plus nanos), so both show the same number. */
const amount = (money) => {
  const units = Math.trunc(money.cents / 100);
  return units + ((money.cents - units * 100) * 10_000_000) / 1e9;
};

/** BG/NBD and Gamma-Gamma's view beside a lifetime value, when the model carries them. */
function forecastView(f, data) {
  if (!f) return '';
  const currency = ` ${f.expectedSpend.currency}`;
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

/**
 * The reason codes of a model's score: the phrases, raising ones first; coloured by what they
 * mean for the customer (a reason raising churn risk is bad news, one raising value good news).
 */
function reasonsView(m) {
  const reasons = m.explanation?.reasons ?? [];
  if (reasons.length === 0) return '';
  const worse = higherIsWorse(m.name);
  // On demand: the page is a summary first.
  return h(
    'details',
    {},
    h('summary', {}, `Why: ${reasons.length} reasons`),
    h(
      'ul',
      { class: 'reasons', dataset: { model: m.name, field: 'reasons' } },
      reasons.map((r) =>
        h(
          'li',
          { class: r.contribution > 0 === worse ? 'reason-worse' : 'reason-better' },
          r.contribution > 0 ? '▲ ' : '▼ ',
          r.phrase,
        ),
      ),
    ),
  );
}

const BAND_WORDS = { low: 'Low', medium: 'Medium', high: 'High' };
/** A probability as a whole percentage ("<1%" below one). */
const percent = (p) => (p < 0.005 ? '<1%' : `${(p * 100).toFixed(0)}%`);

/** The answers a marketer looks for first, in words: risk, value, the offer, where they sit. */
function summaryView(c, words) {
  const of = (name) => c.models.find((m) => m.name === name)?.prediction;
  const churn = of('churn');
  const ltv = of('ltv');
  const nbo = of('nbo');
  const segment = words.segments.find((s) => s.code === c.rfm?.scores.segment)?.name ?? '–';
  const item = (label, field, value) =>
    h('div', {}, h('dt', {}, label), h('dd', { dataset: { summary: field } }, value));
  return h(
    'dl',
    { class: 'summary', 'aria-label': 'At a glance' },
    churn?.kind === 'binary_probability'
      ? item(
          'Churn risk',
          'churn',
          `${BAND_WORDS[churn.riskBand] ?? churn.riskBand} (${percent(churn.probability)})`,
        )
      : '',
    ltv?.kind === 'regression'
      ? item(
          'Lifetime value',
          'ltv',
          `${featureValue(ltv.value, 'money', ltv.money?.currency ?? ltv.unit)}${ltv.horizonMonths ? ` over ${ltv.horizonMonths} months` : ''}`,
        )
      : '',
    nbo?.kind === 'class_probabilities' && nbo.labels[0]
      ? item(
          'Next best offer',
          'nbo',
          `${nbo.labels[0].name || nbo.labels[0].code} (${percent(nbo.labels[0].probability)})`,
        )
      : '',
    item('Segment', 'segment', segment),
    item('Tier', 'tier', c.tier ?? '–'),
  );
}

function renderCustomer(c, words) {
  learnNames(c.models.map((m) => [m.name, m.displayName]));
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
            rfm.scores.segment.replaceAll('_', ' ').toLowerCase(),
          ),
        ),
        h('p', {}, `R ${rfm.scores.r} · F ${rfm.scores.f} · M ${rfm.scores.m}`),
        h('p', {}, `${rfm.values.recencyDays} days since last purchase, ${rfm.values.frequency} purchases`),
      ),
    ...c.models.map((m) =>
      h(
        'div',
        { class: 'card', dataset: { model: m.name, version: m.version } },
        h('h3', {}, `${modelLabel(m.name)} `, h('small', {}, `v${m.version}`)),
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
    summaryView(c, words),
    h('div', { class: 'cards' }, cards),
    h(
      'details',
      { id: 'customer-facts' },
      h('summary', {}, `Customer facts (${Object.keys(c.features).length}), as the models read them`),
      table(
        ['fact', 'value', 'feature'],
        Object.entries(c.features).map(([k, v]) => {
          const d = words.features.find((f) => f.name === k);
          return h(
            'tr',
            { dataset: { feature: k } },
            h('td', {}, d?.label ?? k),
            h('td', { class: 'num' }, d ? featureValue(v, d.unit, c.store.currency) : fmt(v, 2)),
            h('td', {}, h('code', {}, k)),
          );
        }),
      ),
    ),
    c.recentItems.length ? h('p', {}, `Recent purchases: ${c.recentItems.join(', ')}`) : '',
  );
}
