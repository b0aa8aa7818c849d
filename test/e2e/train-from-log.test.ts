import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId, DEMO_CURRENCY, HISTORY_END } from '../../src/offline/demo/demo-data.js';
import { materialize } from '../../src/offline/features/materialize.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { buildDatasets, type Dataset } from '../../src/training/dataset.js';
import { parsePipelineConfig } from '../../src/training/pipeline-config.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { inSeconds, withTestServer } from '../helpers/server.js';

/**
 * Retraining on production traffic: a server logs what it served (its store materialized at two
 * different days), and the pipeline trains a target from that log, features as served, labels
 * from the history after each row's own as-of day.
 */
const run = promisify(execFile);
const TRAIN = new URL('../../dist/cli/train-models.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-train-log-'));
const LOG = join(dir, 'log');
const EARLIER = '2025-06-30';
const churn = JSON.parse(readFileSync(new URL('../../models/pipeline.json', import.meta.url), 'utf8'))
  .models[0];
const target = (name: string, cutoff: string, source?: unknown) => ({
  ...churn,
  name,
  cutoff,
  hidden: [8],
  maxEpochs: 3,
  ...(source ? { source } : {}),
});
const config = parsePipelineConfig({
  seed: 42,
  split: { validation: 0.15, test: 0.15 },
  models: [
    target('churn_served', HISTORY_END, { predictionLog: { dir: LOG, model: 'churn' } }),
    target('churn_store', EARLIER),
    target('churn_table', HISTORY_END, { predictionLog: { table: true, model: 'churn' } }),
  ],
});

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;

/**
 * A server on the demo store with the prediction log on, for the customers given: JSON lines
 * files, or the prediction_log table of the store's own database.
 */
async function serve(ids: string[], sink: 'jsonl' | 'table') {
  const server = await withTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_PREDICTION_LOG: sink,
    LOYALTY_PREDICTION_LOG_DIR: LOG,
  });
  try {
    for (let i = 0; i < ids.length; i += 200) {
      const { error } = await server.loyalty.unary(
        'PredictChurn',
        { customers: ids.slice(i, i + 200).map((id) => ({ customerId: id })) },
        { deadline: inSeconds(20) },
      );
      expect(error).toBeNull();
    }
    // A raw row: no customer, nothing to label.
    const raw = await server.models.unary(
      'Predict',
      { modelName: 'churn', rows: [{ values: churn.features.map(() => 1) }] },
      { deadline: inSeconds(10) },
    );
    expect(raw.error).toBeNull();
  } finally {
    await server.close();
  }
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => customerId(from + i));

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  // Served as of the end of the history: their label window is not over. Each phase is logged
  // by both sinks.
  for (const sink of ['jsonl', 'table'] as const) await serve(ids(0, 50), sink);
  const backend = new SqliteBackend(demo.path);
  await materialize(new OfflineStore(backend), { asOf: EARLIER, currency: DEMO_CURRENCY });
  await backend.close();
  // Served as of an earlier day, 0-99 twice.
  for (const sink of ['jsonl', 'table'] as const) await serve([...ids(0, 600), ...ids(0, 100)], sink);
}, 180_000);

afterAll(() => {
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('a target trained from the prediction log', () => {
  let served: Dataset;
  let store: Dataset;
  let table: Dataset;

  it('takes each served customer once per as-of day, with the features as served and later labels', async () => {
    const backend = new SqliteBackend(demo.path);
    [served, store, table] = (await buildDatasets(new OfflineStore(backend), config)) as [
      Dataset,
      Dataset,
      Dataset,
    ];
    await backend.close();
    // The 50 rows served as of the end of the history wait for their labels.
    expect(served.servedRowsPending).toBe(50);
    // The population (active in the 90 days before) among the 600 served as of the earlier day,
    // each once: exactly the store's rows at that cutoff for the same customers.
    const logged = new Set(ids(0, 600));
    const expected = store.customerIds.filter((id) => logged.has(id));
    expect(expected.length).toBeGreaterThan(100);
    expect([...served.customerIds].sort()).toEqual([...expected].sort());
    const width = served.featureNames.length;
    const storeRow = new Map(store.customerIds.map((id, r) => [id, r]));
    served.customerIds.forEach((id, r) => {
      const s = storeRow.get(id)!;
      // Served features: the store's, as the model got them (float32); the label: the same.
      expect(Array.from(served.x.subarray(r * width, (r + 1) * width))).toEqual(
        Array.from(store.x.subarray(s * width, (s + 1) * width)),
      );
      expect(served.y[r]).toBe(store.y[s]);
      expect(served.split[r]).toBe(store.split[s]);
    });
  });

  it('reads the same rows from the prediction_log table as from the files', () => {
    expect(table.servedRowsPending).toBe(50);
    expect(table.customerIds).toEqual(served.customerIds);
    expect(Array.from(table.x)).toEqual(Array.from(served.x));
    expect(Array.from(table.y)).toEqual(Array.from(served.y));
  });

  it('is what train-models trains from a pipeline entry, and says so in its manifest', async () => {
    const file = join(dir, 'pipeline.json');
    writeFileSync(file, JSON.stringify({ ...config, models: [config.models[0]] }));
    const { stderr } = await run(
      'node',
      [TRAIN, '--config', file, '--sqlite', demo.path, '--out', join(dir, 'models')],
      {
        timeout: 120_000,
      },
    );
    expect(stderr).toMatch(
      /churn_served: \d+ rows, 16 features from the prediction log \(50 served rows left out/,
    );
    const manifest = JSON.parse(
      readFileSync(join(dir, 'models', 'churn_served', '1', 'manifest.json'), 'utf8'),
    );
    expect(manifest.training.source).toBe('prediction_log');
    const rows = manifest.training.rows;
    expect(rows.train + rows.validation + rows.test).toBe(served.customerIds.length);
    expect(readFileSync(join(dir, 'models', 'churn_served', '1', 'MODEL_CARD.md'), 'utf8')).toContain(
      'Features as served (prediction log)',
    );
  }, 150_000);
});
