// The campaign planner's assignment (src/decisioning/campaign-planner.ts) at the size:
// 1,000,000 customers x 8 actions of synthetic expected net values (15% of the pairs
// ineligible), a budget of 10% of what contacting everyone with their best action would cost,
// two actions with capacities. Prints the time, the value against the unconstrained bound, and
// the peak RSS. What PlanCampaign adds on top (reading the base, the models) is measured by
// `node bench/run.js --only decisions` in customers per second.
// Usage: node bench/plan-assignment.js [--customers 1000000] [--actions 8]
import { parseArgs } from 'node:util';
import { planAssignment } from '../dist/decisioning/campaign-planner.js';
import { Random } from '../dist/random.js';

const { values: args } = parseArgs({
  options: { customers: { type: 'string', default: '1000000' }, actions: { type: 'string', default: '8' } },
});
const n = Number(args.customers);
const m = Number(args.actions);
const rng = new Random(11, 1);
const unitCost = Array.from({ length: m }, (_, j) => [0.05, 0.1, 0.4, 3, 4][j % 5]);
const net = new Float32Array(n * m);
const cost = new Float32Array(n * m);
let everyone = 0;
for (let i = 0; i < n; i++) {
  let best = -1;
  for (let j = 0; j < m; j++) {
    const k = i * m + j;
    cost[k] = unitCost[j];
    net[k] = rng.chance(0.15) ? Number.NEGATIVE_INFINITY : rng.normal(0.5, 2) * (1 + unitCost[j]);
    if (net[k] > 0 && (best < 0 || net[k] > net[i * m + best])) best = j;
  }
  if (best >= 0) everyone += unitCost[best];
}
const capacities = unitCost.map((_, j) => (j === 3 ? 20_000 : j === 4 ? 10_000 : Number.POSITIVE_INFINITY));
const budget = 0.1 * everyone;
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const a = planAssignment({ customers: n, actions: m, net, cost, budget, capacities });
const seconds = (performance.now() - started) / 1000;
let assigned = 0;
for (const j of a.choice) if (j >= 0) assigned++;
const mb = (b) => (b / 1024 / 1024).toFixed(0);
process.stdout.write(
  `${n} customers x ${m} actions: assigned ${assigned} in ${seconds.toFixed(1)} s; value ${a.value.toFixed(0)}, spent ${a.spent.toFixed(0)} of ${budget.toFixed(0)}; ` +
    `RSS ${mb(rssBefore)} MB with the pairs, ${mb(process.memoryUsage().rss)} MB after (pairs: ${mb(net.byteLength + cost.byteLength)} MB)\n`,
);
