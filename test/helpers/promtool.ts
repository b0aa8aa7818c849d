import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/** deploy/'s Prometheus alerting rules, checked with Prometheus's own promtool (`make test-tools`). */
export const ALERT_RULES = new URL('../../deploy/monitoring/loyalty-alerts.yaml', import.meta.url).pathname;

interface Rule {
  alert: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Prometheus's promtool: on PATH, or where `make test-tools` extracted it. */
const PROMTOOL = [
  'promtool',
  new URL('../../node_modules/.cache/prometheus/usr/bin/promtool', import.meta.url).pathname,
].find((p) => spawnSync(p, ['--version']).status === 0);

/** promtool with its arguments: status and output. */
export function promtool(args: string[], cwd?: string): { status: number | null; output: string } {
  if (!PROMTOOL) throw new Error('no promtool: run make test-tools');
  const run = spawnSync(PROMTOOL, args, { encoding: 'utf8', cwd });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The rule `name` of the alerting rules file. */
export function alertRule(name: string): Rule {
  const groups = (parse(readFileSync(ALERT_RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups;
  const rule = groups.flatMap((g) => g.rules).find((r) => r.alert === name);
  if (!rule) throw new Error(`no alert ${name} in ${ALERT_RULES}`);
  return rule;
}

/** The samples of a Prometheus text exposition: name, labels and value. */
export function exposedSamples(
  text: string,
): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * Which alerts of `alertname` the rules fire at `evalMinutes` when the samples of a real
 * exposition hold their values for an hour: a promtool unit test whose expected alerts are
 * `expected` (label sets of the firing series, the rule's own labels and annotations added with
 * {{ $labels.x }} filled in). Resolves with promtool's status and output.
 */
export function promtoolOnExposition(
  exposition: string,
  alertname: string,
  expected: Record<string, string>[],
  evalMinutes = 45,
): { status: number | null; output: string } {
  const rule = alertRule(alertname);
  const fill = (template: string, labels: Record<string, string>) =>
    template.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, k: string) => labels[k] ?? '');
  const series = exposedSamples(exposition)
    .filter((s) => s.name.startsWith('loyalty_') && Number.isFinite(s.value))
    .map((s) => ({
      series: `${s.name}{${Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`,
      values: `${s.value}x60`,
    }));
  const test = {
    rule_files: ['loyalty-alerts.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        alert_rule_test: [
          {
            eval_time: `${evalMinutes}m`,
            alertname,
            exp_alerts: expected.map((labels) => ({
              exp_labels: { ...labels, ...rule.labels },
              exp_annotations: Object.fromEntries(
                Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, fill(v, labels)]),
              ),
            })),
          },
        ],
      },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-alerts-'));
  try {
    copyFileSync(ALERT_RULES, join(dir, 'loyalty-alerts.yaml'));
    writeFileSync(join(dir, 'test.yaml'), stringify(test));
    return promtool(['test', 'rules', 'test.yaml'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
