// A serving-policy change in words: what the confirmation lists and the audit trail shows.

const version = (v) => (v ? `v${v}` : 'none');
const canary = (c) => (c ? `v${c.version} for ${c.percent}% of customers` : 'none');
const versions = (v) =>
  !v ? 'all' : 'latest' in v ? `the latest ${v.latest}` : `only ${v.specific.map((x) => `v${x}`).join(', ')}`;
const labels = (l) =>
  Object.entries(l ?? {})
    .map(([k, v]) => `${k}=v${v}`)
    .join(', ') || 'none';

/**
 * The fields of a model's policy entry that differ between `before` and `after` (null: no entry,
 * the defaults: every version, the highest serves), as "Default version: v1 → v2" lines.
 */
export function policyDiff(before, after) {
  const b = before ?? {};
  const a = after ?? {};
  const lines = [];
  const field = (name, show, x, y) => {
    if (show(x) !== show(y)) lines.push(`${name}: ${show(x)} → ${show(y)}`);
  };
  field('Default version', (v) => (v ? `v${v}` : 'the highest'), b.default, a.default);
  field('Canary', canary, b.canary, a.canary);
  field('Shadow', version, b.shadow, a.shadow);
  field('Versions loaded', versions, b.versions, a.versions);
  field('Labels', labels, b.labels, a.labels);
  return lines;
}
