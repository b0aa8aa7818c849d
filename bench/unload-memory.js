// What unloading gives back. A registry with 2 workers loads --versions versions of the largest
// committed model (product_recommendation) one after another, either keeping them all ("keep") or
// under a policy of "latest 1", which unloads each replaced version ("unload"); then "keep"
// unloads all but one. Prints the process RSS every --every versions and the workers' loaded
// counts; then recycles the workers (fresh threads), which is what returns memory to the system.
// Usage: node bench/unload-memory.js [--versions 80] [--every 20] [--json] (after make build)
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WorkerPool } from '../dist/inference/worker-pool.js';
import { createLogger } from '../dist/logger.js';
import { ModelRegistry } from '../dist/models/model-registry.js';

const { values: args } = parseArgs({
  options: {
    versions: { type: 'string', default: '80' },
    every: { type: 'string', default: '20' },
    /** Prints the rows as JSON (for test/e2e/unload-memory.test.ts). */
    json: { type: 'boolean', default: false },
  },
});
const SOURCE = new URL('../models/product_recommendation/1/', import.meta.url).pathname;
const mb = () => Math.round(process.memoryUsage().rss / 1e6);

async function run(mode) {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-unload-'));
  const models = join(dir, 'models');
  mkdirSync(join(models, 'rec'), { recursive: true });
  const writePolicy = (policy) => {
    writeFileSync(join(dir, 'policy.next'), JSON.stringify(policy));
    renameSync(join(dir, 'policy.next'), join(models, 'serving-policy.json'));
  };
  const publish = (version) => {
    const staging = join(dir, `staging-${version}`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'model.tflite'), readFileSync(join(SOURCE, 'model.tflite')));
    const manifest = JSON.parse(readFileSync(join(SOURCE, 'manifest.json'), 'utf8'));
    writeFileSync(
      join(staging, 'manifest.json'),
      JSON.stringify({ ...manifest, name: 'rec', version: String(version) }),
    );
    renameSync(staging, join(models, 'rec', String(version)));
  };
  if (mode === 'unload') writePolicy({ models: { rec: { versions: { latest: 1 } } } });
  const pool = new WorkerPool({ workers: 2, taskTimeoutMs: 10_000 });
  const registry = new ModelRegistry(pool, { dir: models, overrides: {} }, createLogger('silent'));
  const rows = [];
  const sample = (version) =>
    rows.push({
      mode,
      versions: version,
      rssMb: mb(),
      heldPerWorker: Object.values(registry.stats.workerModels).join('/'),
    });
  try {
    for (let v = 1; v <= Number(args.versions); v++) {
      publish(v);
      await registry.scan();
      if (v === 1 || v % Number(args.every) === 0) sample(v);
    }
    if (mode === 'keep') {
      const held = () => Object.values(registry.stats.workerModels).join('/');
      writePolicy({ models: { rec: { versions: { latest: 1 } } } });
      await registry.scan();
      await new Promise((r) => setTimeout(r, 500));
      rows.push({ mode: 'keep, then latest 1', versions: 1, rssMb: mb(), heldPerWorker: held() });
      const started = performance.now();
      await registry.recycleWorkers();
      const ms = Math.round(performance.now() - started);
      // The old threads' memory leaves as they are torn down, later on a busy machine: the
      // lowest RSS within 10 s.
      let lowest = mb();
      for (let i = 0; i < 40 && lowest > rows[0].rssMb + 20; i++) {
        await new Promise((r) => setTimeout(r, 250));
        lowest = Math.min(lowest, mb());
      }
      rows.push({ mode: `then recycled (${ms} ms)`, versions: 1, rssMb: lowest, heldPerWorker: held() });
    }
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// Each mode in a process of its own would be cleaner; one after the other, "unload" runs second
// so that it starts from a heap "keep" already grew (its growth is then the stricter measure).
const results = [...(await run('keep')), ...(await run('unload'))];
if (args.json) console.log(JSON.stringify(results));
else console.table(results);
