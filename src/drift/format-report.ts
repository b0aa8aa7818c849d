import type { DriftEntry } from './drift-sources.js';
import { psiReading } from './reference.js';

/** The drift report as text: per model version, inputs by descending PSI, then the output. */
export function formatDriftReport(entries: readonly DriftEntry[]): string {
  if (entries.length === 0)
    return 'no drift measured yet (no model with a reference has served enough rows)\n';
  const lines: string[] = [];
  const sorted = [...entries].sort(
    (a, b) => a.model.localeCompare(b.model) || Number(a.version) - Number(b.version),
  );
  for (const e of sorted) {
    const where = e.process === undefined ? '' : `, process ${e.process}`;
    lines.push(`${e.model} v${e.version} (${e.rows.toLocaleString('en-US')} rows${where})`);
    const rows = e.names.map((name, i) => [name, e.inputs[i]!] as const).sort((a, b) => b[1] - a[1]);
    rows.push(['(output)', e.output]);
    const width = Math.max(...rows.map(([name]) => name.length), 5);
    lines.push(`  ${'input'.padEnd(width)}      PSI  reading`);
    for (const [name, psi] of rows)
      lines.push(`  ${name.padEnd(width)}  ${psi.toFixed(4).padStart(7)}  ${psiReading(psi)}`);
    lines.push('');
  }
  return `${lines.join('\n')}PSI below 0.1: stable; 0.1-0.2: moderate shift; above 0.2: shifted.\n`;
}
