// A CPU profile of the server's main thread under one fixed load (h2load, one connection, 64
// streams), then its shares by owner (bench/profile-shares.js). Usage, after `make build`:
//   node bench/profile.js [--scenario churn_one|customers_ranking_one|churn_batch100] [--seconds 8]
// The profile (.cpuprofile, loadable in Chrome's DevTools) stays in --dir (default /tmp/loyalty-prof).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTool, runLoad, startServer } from './harness.js';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'churn_one' },
    seconds: { type: 'string', default: '8' },
    dir: { type: 'string', default: '/tmp/loyalty-prof' },
  },
});
const customers = (n) =>
  Array.from({ length: n }, (_, i) => ({ customer_id: `C${String(i + 1).padStart(7, '0')}` }));
const SCENARIOS = {
  churn_one: { path: '/loyalty.v1.LoyaltyService/PredictChurn', request: { customers: customers(1) } },
  churn_batch100: { path: '/loyalty.v1.LoyaltyService/PredictChurn', request: { customers: customers(100) } },
  customers_ranking_one: {
    path: '/loyalty.v1.ModelService/PredictCustomers',
    request: { model_name: 'product_recommendation', customers: customers(1), top_k: 10 },
  },
};
const scenario = SCENARIOS[args.scenario];
if (!scenario) throw new Error(`--scenario is one of ${Object.keys(SCENARIOS).join(', ')}`);
rmSync(args.dir, { recursive: true, force: true });
mkdirSync(args.dir, { recursive: true });
const server = await startServer({}, ['--cpu-prof', `--cpu-prof-dir=${args.dir}`]);
let load;
try {
  load = await runLoad({
    tool: loadTool(),
    port: server.port,
    ...scenario,
    concurrency: 64,
    seconds: Number(args.seconds),
    warmupSeconds: 2,
  });
} finally {
  await server.stop();
}
console.log(`${args.scenario}: ${Math.round(load.rps)} req/s, p50 ${load.p50} ms, ${load.errors} errors`);
// The main thread's profile is the largest (workers idle most of the time).
const [main] = readdirSync(args.dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => join(args.dir, f))
  .sort((a, b) => statSync(b).size - statSync(a).size);
spawnSync(process.execPath, [new URL('./profile-shares.js', import.meta.url).pathname, main], {
  stdio: 'inherit',
});
