// The throughput cost of the metrics, measured A/B: servers with metrics on and off started in
// alternating order, each warmed for 2 s and then driven for --seconds with PredictChurn for one
// id at c=64. Usage: node bench/metrics-cost.js [--rounds 3] [--seconds 6]
import { parseArgs } from 'node:util';
import { loadTool, runLoad, startServer } from './harness.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '6' } },
});
const tool = loadTool();
const load = (port, seconds) =>
  runLoad({
    tool,
    port,
    path: '/loyalty.v1.LoyaltyService/PredictChurn',
    request: { customers: [{ customer_id: 'C0000001' }] },
    concurrency: 64,
    seconds,
  });

const rps = { on: [], off: [] };
for (let round = 0; round < Number(args.rounds); round++) {
  for (const mode of round % 2 ? ['off', 'on'] : ['on', 'off']) {
    const server = await startServer(mode === 'off' ? { LOYALTY_METRICS_PORT: 'off' } : {});
    try {
      await load(server.port, 2);
      const r = await load(server.port, Number(args.seconds));
      if (r.errors > 0) throw new Error(`${r.errors} failed calls`);
      rps[mode].push(r.rps);
      process.stderr.write(`round ${round} metrics ${mode}: ${Math.round(r.rps)} req/s\n`);
    } finally {
      await server.stop();
    }
  }
}
const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;
process.stdout.write(
  `metrics on ${Math.round(mean(rps.on))} req/s, off ${Math.round(mean(rps.off))} req/s: cost ${(100 * (1 - mean(rps.on) / mean(rps.off))).toFixed(1)}%\n`,
);
