// `make scale`: the feature store's jobs and lookups at scale. For each base size: a synthetic
// store (each customer a signup, a tier and three purchases: cheap to build, the same code path as
// the demo's richer histories), the built-in materialization (wall time, peak RSS, in a process of
// its own), then a server on the store and GetRfm of one random customer per call (p50/p99: the
// online lookup, cache misses mostly). Then a feature view over a CSV file of --file-rows rows
// (ten dated rows per customer): apply + materialize (wall time, peak RSS), and PredictCustomers by
// id of a model reading the view (a logistic layer written with fixed weights: it exists to time
// the lookups, not to predict anything). Stores are kept in --dir and reused when present.
// Usage: node bench/scale.js [--sizes 100000,1000000] [--file-rows 10000000] [--dir /tmp/loyalty-scale]
//        [--calls 2000] [--demo PATH]   (--demo: also materialize a demo store built by seed.js)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { loadContract } from '../dist/server/proto.js';
import { writeDenseModel } from '../dist/tflite/model-writer.js';
import { machine, startServer } from './harness.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    'file-rows': { type: 'string', default: '10000000' },
    dir: { type: 'string', default: '/tmp/loyalty-scale' },
    calls: { type: 'string', default: '2000' },
    demo: { type: 'string' },
  },
});
const STEP = new URL('./scale-step.js', import.meta.url).pathname;
const MODELS = new URL('../models/', import.meta.url).pathname;
const dir = args.dir;
mkdirSync(dir, { recursive: true });
const calls = Number(args.calls);

const step = (...a) => {
  const started = performance.now();
  const out = execFileSync(process.execPath, [STEP, ...a], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - started) / 1000;
  return out.trim() ? JSON.parse(out.trim().split('\n').pop()) : { seconds };
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Sequential unary calls of one random id each: latency percentiles in ms. */
async function lookups(port, call) {
  const { grpcObject } = loadContract();
  const loyalty = new grpcObject.loyalty.v1.LoyaltyService(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const models = new grpcObject.loyalty.v1.ModelService(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  const one = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      call({ loyalty, models }, (err, response) =>
        err ? reject(err) : resolve([performance.now() - started, response]),
      );
    });
  for (let i = 0; i < 200; i++) await one();
  const times = [];
  for (let i = 0; i < calls; i++) times.push((await one())[0]);
  loyalty.close();
  models.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const rows = [];
const baseModels = join(dir, 'models');
for (const name of ['churn', 'nbo', 'ltv'])
  cpSync(join(MODELS, name, '1'), join(baseModels, name, '1'), { recursive: true });

for (const size of args.sizes.split(',').map(Number)) {
  const path = join(dir, `synthetic-${size}.sqlite`);
  if (!existsSync(path)) step('synthetic-store', path, String(size));
  const m = step('materialize', path);
  const server = await startServer({ LOYALTY_SQLITE_PATH: path, LOYALTY_MODELS_DIR: baseModels });
  const id = () => `S${String(Math.floor(Math.random() * size)).padStart(9, '0')}`;
  const l = await lookups(server.port, (c, done) =>
    c.loyalty.GetRfm({ customers: [{ customerId: id() }] }, done),
  );
  await server.stop();
  rows.push({
    what: `built-in view, ${size.toLocaleString('en')} customers (synthetic)`,
    seconds: m.seconds,
    peakRssMb: m.peakRssMb,
    ...l,
  });
}

if (args.demo) {
  const m = step('materialize', args.demo);
  rows.push({
    what: `built-in view, ${m.rows.toLocaleString('en')} customers (demo generator)`,
    seconds: m.seconds,
    peakRssMb: m.peakRssMb,
  });
}

const fileRows = Number(args['file-rows']);
if (fileRows > 0) {
  const store = join(dir, `fileview-${fileRows}.sqlite`);
  const csv = join(dir, `fileview-${fileRows}.csv`);
  const f = step('file-view', store, csv, String(fileRows));
  // A model reading the view: one logistic unit over its eight features.
  const models = join(dir, 'view-models');
  const folder = join(models, 'big_view_score', '1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'model.tflite'),
    writeDenseModel({
      layers: [
        {
          inputs: 8,
          units: 1,
          kernel: Float32Array.from({ length: 8 }, (_, i) => 0.01 * (i + 1)),
          bias: Float32Array.of(-1),
          activation: 'sigmoid',
        },
      ],
      inputName: 'features',
      outputName: 'probability',
      description: 'bench/scale.js: times lookups of a view',
    }),
  );
  writeFileSync(
    join(folder, 'manifest.json'),
    JSON.stringify({
      name: 'big_view_score',
      version: '1',
      description: 'A fixed logistic unit over the big view, to time lookups (bench/scale.js)',
      createdAt: new Date().toISOString(),
      inputs: [1, 2, 3, 4, 5, 6, 7, 8].map((k) => `big.f${k}`),
      output: { kind: 'binary_probability' },
    }),
  );
  for (const name of ['churn', 'nbo', 'ltv'])
    cpSync(join(MODELS, name, '1'), join(models, name, '1'), { recursive: true });
  const server = await startServer({ LOYALTY_SQLITE_PATH: store, LOYALTY_MODELS_DIR: models });
  const customers = Math.floor(fileRows / 10);
  const id = () => `K${String(Math.floor(Math.random() * customers)).padStart(9, '0')}`;
  const l = await lookups(server.port, (c, done) =>
    c.models.PredictCustomers({ modelName: 'big_view_score', customers: [{ customerId: id() }] }, (err, r) =>
      done(err ?? (r.results[0].error ? new Error(r.results[0].error.message) : null), r),
    ),
  );
  await server.stop();
  rows.push({
    what: `file view, ${fileRows.toLocaleString('en')} rows (${customers.toLocaleString('en')} customers)`,
    seconds: f.seconds,
    peakRssMb: f.peakRssMb,
    ...l,
  });
}

const fmt = (v, d = 1) => (v === undefined ? '-' : v.toFixed(d));
console.log(`\n${JSON.stringify(machine())}\n`);
console.log('| job | wall time (s) | peak RSS (MB) | lookup p50 (ms) | lookup p99 (ms) |');
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.what} | ${fmt(r.seconds)} | ${r.peakRssMb} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`);
