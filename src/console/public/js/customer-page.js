// The Customer page: what every model fed by the store says about one customer.

import { $, api, fmt, h, num, table } from './dom.js';

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
    renderCustomer(await api(`/console/api/customers/${encodeURIComponent(id)}`));
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
