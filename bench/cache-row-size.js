// The heap a cached row of the built-in view costs: 100,000 rows read from a store by the online
// store's own scan (what the feature cache holds), held, measured after a full GC (heap used and
// array buffers per row). Usage: node --expose-gc bench/cache-row-size.js [--sqlite data/bench-smoke.sqlite]
import { parseArgs } from 'node:util';
import { OnlineFeatureStore } from '../dist/features/online-store.js';
import { SqliteBackend } from '../dist/features/sql/sqlite-backend.js';

const { values: args } = parseArgs({
  options: {
    sqlite: { type: 'string', default: 'data/bench-smoke.sqlite' },
    rows: { type: 'string', default: '100000' },
  },
});
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const store = new OnlineFeatureStore(new SqliteBackend(args.sqlite));
const wanted = Number(args.rows);
const held = [];
await store.scan('', 10);
gc();
const before = process.memoryUsage();
// Rows are read again until `wanted` are held: every read makes fresh objects, as cache misses do.
while (held.length < wanted) {
  let after = '';
  for (;;) {
    const page = await store.scan(after, 2000);
    if (page.length === 0 || held.length >= wanted) break;
    held.push(...page.slice(0, wanted - held.length));
    after = page[page.length - 1].customerId;
  }
}
gc();
const after = process.memoryUsage();
const heap = (after.heapUsed - before.heapUsed) / held.length;
const buffers = (after.arrayBuffers - before.arrayBuffers) / held.length;
process.stdout.write(
  `${held.length} rows: ${heap.toFixed(0)} bytes of heap and ${buffers.toFixed(0)} of array buffers per row (${(heap + buffers).toFixed(0)} in all)\n`,
);
