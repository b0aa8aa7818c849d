// The Plans page: a campaign plan over the action catalogue (budget, capacities, control group),
// its expected totals before any export, the plan as CSV, and the measured outcomes of past campaigns.

import { $, api, fmt, h, readNdjson, table, vocabulary } from './dom.js';

let planned;

export async function showPlans() {
  const [catalog, words] = await Promise.all([api('/console/api/actions'), vocabulary()]);
  $('plan-currency').textContent = catalog.currency;
  const checks = (root, name, values) => {
    if (root.children.length) return;
    root.replaceChildren(
      ...values.map((v) =>
        h('label', {}, h('input', { type: 'checkbox', name, value: v.code }), ` ${v.name.toLowerCase()}`),
      ),
    );
  };
  // Names of their own: the Campaign lists page's boxes are in the same document.
  checks($('plan-segments'), 'plan-segments', words.segments);
  checks(
    $('plan-tiers'),
    'plan-tiers',
    words.tiers.map((t) => ({ code: t, name: t })),
  );
  if (!$('plan-capacities').children.length)
    $('plan-capacities').replaceChildren(
      ...catalog.actions.map((a) =>
        h(
          'label',
          { class: 'capacity' },
          `${a.name} (${a.channel}, ${fmt(a.cost, 2)} ${catalog.currency}) `,
          h('input', {
            type: 'number',
            min: 0,
            step: 1,
            name: `cap.${a.code}`,
            'aria-label': `capacity of ${a.name}`,
          }),
        ),
      ),
    );
  $('plan-form').onsubmit = (e) => {
    e.preventDefault();
    runPlan(catalog);
  };
  $('plan-download').onclick = () => download();
  showOutcomes();
}

function planQuery() {
  const form = $('plan-form');
  const q = new URLSearchParams();
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  if (checked('plan-segments').length) q.set('segments', checked('plan-segments').join(','));
  if (checked('plan-tiers').length) q.set('tiers', checked('plan-tiers').join(','));
  q.set('budget', form.budget.value);
  q.set('control', String(Number(form.control.value || 0) / 100));
  if (form.at.value) q.set('at', form.at.value);
  if (form.plan.value) q.set('plan', form.plan.value);
  for (const input of form.querySelectorAll('input[name^="cap."]'))
    if (input.value !== '') q.set(input.name, input.value);
  return q;
}

async function runPlan(catalog) {
  const result = $('plan-result');
  const progress = $('plan-progress');
  $('plan-run').disabled = true;
  $('plan-download').disabled = true;
  $('plan-totals').replaceChildren();
  result.className = '';
  result.textContent = 'Weighing the customers…';
  progress.value = 0;
  const rows = [];
  try {
    const last = await readNdjson(`/console/api/plan?${planQuery()}`, (line) => {
      if (line.considered) result.textContent = `Weighed ${line.considered} customers…`;
      rows.push(...(line.rows ?? []));
    });
    if (!last?.done) throw new Error('the plan stopped before its end');
    progress.value = 1;
    planned = { rows, planId: last.planId };
    showTotals(last.totals, catalog);
    result.textContent = `${rows.length} customers planned (${last.totals.control} of them as the control group).`;
    result.dataset.count = String(rows.length);
    $('plan-download').disabled = rows.length === 0;
  } catch (err) {
    result.className = 'error';
    result.textContent = `The plan could not be made: ${err.message}`;
  } finally {
    $('plan-run').disabled = false;
  }
}

function showTotals(t, catalog) {
  const money = (v) => `${fmt(v, 2)} ${t.currency}`;
  const names = new Map(catalog.actions.map((a) => [a.code, a.name]));
  $('plan-totals').replaceChildren(
    h(
      'dl',
      { class: 'totals', id: 'plan-summary' },
      ...[
        ['Customers considered', String(t.considered)],
        ['Given an action', String(t.assigned)],
        ['Control group (not contacted)', String(t.control)],
        ['Expected incremental responses', fmt(t.expectedResponses, 1)],
        ['Cost', money(t.cost)],
        ['Expected value', money(t.expectedValue)],
        ['Expected net value', money(t.expectedNet)],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', { dataset: { total: k } }, v)]),
    ),
    table(
      ['Action', 'Contacted', 'Control', 'Cost', 'Expected net value'],
      t.perAction
        .filter((a) => a.treated + a.control > 0)
        .map((a) =>
          h(
            'tr',
            { dataset: { action: a.action } },
            h('td', {}, names.get(a.action) ?? a.action),
            h('td', {}, String(a.treated)),
            h('td', {}, String(a.control)),
            h('td', {}, money(a.cost)),
            h('td', {}, money(a.expectedNet)),
          ),
        ),
    ),
  );
}

function download() {
  if (!planned) return;
  const csv = [
    'customer_id,action,probability,expected_net_value,cost,control',
    ...planned.rows.map((r) =>
      [r[0], r[1], r[2].toFixed(6), r[3].toFixed(2), r[4].toFixed(2), r[5]].join(','),
    ),
  ].join('\n');
  const link = h(
    'a',
    {
      href: URL.createObjectURL(new Blob([`${csv}\n`], { type: 'text/csv' })),
      download: `plan-${planned.planId}-${new Date().toISOString().slice(0, 10)}.csv`,
    },
    'the CSV',
  );
  link.click();
}

async function showOutcomes() {
  const root = $('plan-outcomes');
  try {
    const { campaigns } = await api('/console/api/campaigns');
    if (campaigns.length === 0) {
      root.textContent = 'The store holds no campaign history.';
      return;
    }
    const recent = campaigns.slice(0, 12);
    const { lifts } = await api(`/console/api/outcomes?campaigns=${recent.map((c) => c.code).join(',')}`);
    const byCode = new Map(lifts.map((l) => [l.campaign, l]));
    const pct = (v) => `${fmt(100 * v, 1)}%`;
    root.replaceChildren(
      table(
        [
          'Campaign',
          'Channel',
          'Sent',
          'Contacted',
          'Control',
          'Response contacted',
          'Response control',
          'Lift (95% interval)',
        ],
        recent
          .filter((c) => byCode.has(c.code))
          .map((c) => {
            const l = byCode.get(c.code);
            return h(
              'tr',
              { dataset: { campaign: c.code } },
              h('td', {}, c.name),
              h('td', {}, c.channel),
              h('td', {}, c.startedOn),
              h('td', {}, String(l.treated.customers)),
              h('td', {}, String(l.control.customers)),
              h('td', {}, pct(l.treatedRate)),
              h('td', {}, pct(l.controlRate)),
              h(
                'td',
                { dataset: { lift: String(l.lift) } },
                `${pct(l.lift)} (${pct(l.low)} to ${pct(l.high)})`,
              ),
            );
          }),
      ),
    );
  } catch (err) {
    root.className = 'error';
    root.textContent = `Outcomes could not be read: ${err.message}`;
  }
}
