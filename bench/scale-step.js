// One step of `make scale`, in a process of its own so that its peak RSS is its own:
//   node bench/scale-step.js synthetic-store PATH CUSTOMERS   a SQLite store of CUSTOMERS customers,
//        each with a signup, a tier and three purchases (cheap to build; what the history
//        features read); prints nothing
//   node bench/scale-step.js materialize PATH                 the built-in materialization of PATH
//        (as the CLI runs it: a worker thread per core reads and computes chunks)
//   node bench/scale-step.js file-view PATH CSV ROWS           a feature view over a CSV file of
//        ROWS rows (written first if missing): apply and materialize into PATH
// Each of the last two prints one JSON line: {step, rows, seconds, peakRssMb}. Run after make build.

import { once } from 'node:events';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { applyRepository } from '../dist/features/repository/apply.js';
import { materializeView } from '../dist/features/repository/materialize-view.js';
import { parseRepository } from '../dist/features/repository/repository-file.js';
import { SqliteBackend } from '../dist/features/sql/sqlite-backend.js';
import { materialize } from '../dist/offline/features/materialize.js';
import { emptyHistory } from '../dist/offline/history.js';
import { OfflineStore } from '../dist/offline/offline-store.js';

const [step, path, ...rest] = process.argv.slice(2);
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const TIERS = ['basic', 'silver', 'gold', 'platinum'];
const day = (n) => new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);

async function syntheticStore(customers) {
  const backend = new SqliteBackend(path);
  const store = new OfflineStore(backend);
  await store.resetSchema();
  const chunk = 10_000;
  for (let start = 0; start < customers; start += chunk) {
    const histories = [];
    for (let i = start; i < Math.min(customers, start + chunk); i++) {
      const signup = i % 700;
      const history = emptyHistory({
        customerId: `S${String(i).padStart(9, '0')}`,
        signupDate: day(signup),
        tier: TIERS[i % 4],
        region: 'north',
        plan: 'postpaid',
        birthYear: 1950 + (i % 50),
      });
      for (const k of [1, 2, 3])
        history.transactions.push({
          occurredAt: `${day(signup + ((i * k * 37) % 400))} 12:00:00`,
          amountCents: 500 + ((i * k) % 9000),
          channel: 'store',
        });
      histories.push(history);
    }
    await store.insertHistories(histories);
  }
  await backend.close();
}

async function builtIn() {
  const backend = new SqliteBackend(path);
  const started = performance.now();
  // As node dist/cli/materialize.js runs it: chunks read and computed by a worker per core.
  const summary = await materialize(new OfflineStore(backend), {
    asOf: '2025-12-31',
    currency: 'EUR',
    workersOpen: { kind: 'sqlite', path },
  });
  await backend.close();
  return { step: 'materialize', rows: summary.customers, seconds: (performance.now() - started) / 1000 };
}

async function fileView(csv, rows) {
  if (!existsSync(csv)) {
    // ROWS rows over ROWS / 10 customers, ten dated rows each, eight features.
    const out = createWriteStream(csv);
    out.write('customer,updated_at,f1,f2,f3,f4,f5,f6,f7,f8\n');
    const customers = Math.max(1, Math.floor(rows / 10));
    for (let r = 0; r < rows; r++) {
      const c = r % customers;
      const line = `K${String(c).padStart(9, '0')},${day(Math.floor(r / customers) * 30)} 00:00:00,${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => ((r * k) % 1000) / 10).join(',')}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  const yaml = `sources:\n  big: { file: ${JSON.stringify(csv)} }\nviews:\n  - name: big\n    source: big\n    entityColumn: customer\n    timestampColumn: updated_at\n    features: [${[1, 2, 3, 4, 5, 6, 7, 8].map((k) => `{ name: f${k} }`).join(', ')}]\n`;
  const file = `${path}.features.yaml`;
  writeFileSync(file, yaml);
  const loaded = parseRepository(yaml, file);
  const backend = new SqliteBackend(path);
  const started = performance.now();
  await applyRepository(backend, loaded.repository);
  const done = await materializeView(backend, loaded, 'big', { asOf: '2026-01-01 00:00:00' });
  await backend.close();
  return {
    step: 'file-view',
    rows: done.rows,
    sourceRows: rows,
    seconds: (performance.now() - started) / 1000,
  };
}

if (step === 'synthetic-store') await syntheticStore(Number(rest[0]));
else if (step === 'materialize')
  console.log(JSON.stringify({ ...(await builtIn()), peakRssMb: peakRssMb() }));
else if (step === 'file-view')
  console.log(JSON.stringify({ ...(await fileView(rest[0], Number(rest[1]))), peakRssMb: peakRssMb() }));
else {
  console.error('usage: node bench/scale-step.js synthetic-store|materialize|file-view PATH ...');
  process.exit(2);
}
