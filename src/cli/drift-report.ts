import { driftFromLog, driftFromMetrics } from '../drift/drift-sources.js';
import { formatDriftReport } from '../drift/format-report.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/drift-report.js --metrics http://127.0.0.1:9464/metrics
       node dist/cli/drift-report.js --log data/prediction-log [--models models] [--window 10000]
The population stability index of each model input and output against the reference stored in
its manifest at training time: from a running server's drift gauges (LOYALTY_DRIFT_WINDOW), or
from the newest --window records per model version of a JSON lines prediction log.`;

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    {
      metrics: { type: 'string' },
      log: { type: 'string' },
      models: { type: 'string', default: 'models' },
      window: { type: 'string', default: '10000' },
    },
    USAGE,
  );
  const window = Number(f.window);
  if ((f.metrics === undefined) === (f.log === undefined) || !(Number.isInteger(window) && window > 0)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  let entries: Awaited<ReturnType<typeof driftFromLog>>;
  if (f.metrics) {
    const response = await fetch(f.metrics, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${f.metrics}: HTTP ${response.status}`);
    entries = driftFromMetrics(await response.text());
  } else entries = await driftFromLog(f.log!, f.models!, window);
  process.stdout.write(formatDriftReport(entries));
}

main().catch((err: unknown) => {
  process.stderr.write(`drift report failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
