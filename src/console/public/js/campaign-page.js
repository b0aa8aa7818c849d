// The Campaign lists page: the base scored by a model, kept above a threshold or as the top N.

import { $, api, h, readNdjson, vocabulary } from './dom.js';

export async function showCampaigns() {
  const [data, words] = await Promise.all([api('/console/api/models'), vocabulary()]);
  const select = $('campaign-model');
  const fed = data.models.filter((m) => m.versions.some((v) => v.version === m.serving && v.fedByStore));
  // Coming back to the page keeps the model the ticked filters were chosen for.
  const chosen = select.value;
  select.replaceChildren(
    ...fed.map((m) => h('option', { value: m.name, selected: m.name === chosen }, m.name)),
  );
  const checks = (root, name, values) =>
    root.replaceChildren(
      ...values.map((v) =>
        h('label', {}, h('input', { type: 'checkbox', name, value: v.code }), ` ${v.name.toLowerCase()}`),
      ),
    );
  // Segment and tier codes as the server names them: the page keeps no copy of its own.
  if (!$('campaign-segments').children.length) checks($('campaign-segments'), 'segments', words.segments);
  if (!$('campaign-tiers').children.length)
    checks(
      $('campaign-tiers'),
      'tiers',
      words.tiers.map((t) => ({ code: t, name: t })),
    );
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
  result.className = '';
  result.textContent = preview ? 'Counting…' : 'Scoring…';
  const rows = [];
  try {
    const last = await readNdjson(`/console/api/campaign?${campaignQuery(preview)}`, (line) => {
      if (line.total) progress.value = Math.min(1, line.scored / line.total);
      rows.push(...(line.rows ?? []));
      if (!line.done) result.textContent = `Scored ${line.scored} of ${line.total} customers…`;
    });
    if (!last?.done) throw new Error('the list stopped before its end');
    progress.value = 1;
    if (preview) {
      result.textContent = `${last.count} customers of ${last.scored} scored would be in this list.`;
      result.dataset.count = String(last.count);
      return;
    }
    // Columns a marketer reads: the band of a probability, the top label or item, the unit of a
    // value, the customer's segment and tier (rows: id, version, score, band, top, unit, segment, tier).
    const model = $('campaign-model').value;
    const csv = [
      'customer_id,model,model_version,score,risk_band,top_label,unit,segment,tier',
      ...rows.map((r) => [r[0], model, ...r.slice(1)].map(csvCell).join(',')),
    ].join('\n');
    const versions = new Set(rows.map((r) => r[1]));
    const version = versions.size === 1 ? `v${[...versions][0]}` : 'mixed-versions';
    const day = new Date().toISOString().slice(0, 10);
    const link = h(
      'a',
      {
        href: URL.createObjectURL(new Blob([`${csv}\n`], { type: 'text/csv' })),
        download: `campaign-${model}-${version}-${day}.csv`,
      },
      'the CSV',
    );
    result.replaceChildren(`${rows.length} customers. Downloading `, link, '.');
    result.dataset.count = String(rows.length);
    link.click();
  } catch (err) {
    result.className = 'error';
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
