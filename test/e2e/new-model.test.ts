import { cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { buildDatasets } from '../../src/training/dataset.js';
import { runTfliteRows, trainTarget, writeModelFolder } from '../../src/training/pipeline.js';
import { parsePipelineConfig } from '../../src/training/pipeline-config.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { until } from '../helpers/load.js';
import { type TestServer, withTestServer } from '../helpers/server.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-new-model-'));
const FEATURES = ['recency_days', 'txn_count_90d', 'share_data_365d', 'share_travel_365d', 'data_gb_avg_3m'];

/**
 * A model nobody wrote code for: a target in a pipeline config (nothing else), trained on the
 * store, published into the folder of a running server, then served by customer id.
 */
const pipeline = parsePipelineConfig({
  seed: 7,
  split: { validation: 0.15, test: 0.15 },
  models: [
    {
      name: 'buys_addon_60d',
      version: '1',
      description: 'Probability of buying a data or travel add-on in the 60 days after the cutoff.',
      task: 'binary',
      cutoff: '2025-10-31',
      population: { activeWithinDays: 365 },
      label: {
        days: 60,
        events: [{ family: 'lines', where: { category: ['data', 'travel'] } }],
        aggregate: 'exists',
      },
      features: FEATURES,
      inputTransform: 'log1p',
      hidden: [8],
      maxEpochs: 3,
    },
  ],
});

describe('a new model from a pipeline entry, with no code change', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let server: TestServer;

  beforeAll(async () => {
    for (const name of ['churn', 'nbo', 'ltv'])
      cpSync(join(MODELS, name, '1'), join(dir, 'models', name, '1'), { recursive: true });
    demo = await buildTestSqliteStore();
    server = await withTestServer({
      LOYALTY_SQLITE_PATH: demo.path,
      LOYALTY_MODELS_DIR: join(dir, 'models'),
      LOYALTY_MODEL_POLL_MS: '100',
    });
  });

  afterAll(async () => {
    await server?.close();
    demo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is trained, dropped into the running server, answers PredictCustomers by id and streams by name', async () => {
    const backend = new SqliteBackend(demo.path);
    const [dataset] = await buildDatasets(new OfflineStore(backend), pipeline);
    await backend.close();
    const artifact = await trainTarget(dataset!, { seed: pipeline.seed, currency: 'EUR' });
    // Published as a deployment should: built aside, renamed in whole.
    const staged = writeModelFolder(join(dir, 'staging'), artifact);
    renameSync(join(dir, 'staging', 'buys_addon_60d'), join(dir, 'models', 'buys_addon_60d'));
    expect(staged).toContain('buys_addon_60d');

    await until(() => server.app.registry.has('buys_addon_60d'), 15_000);
    const ids = [customerId(3), customerId(30), customerId(300)];
    const { error, response } = await server.models.unary('PredictCustomers', {
      modelName: 'buys_addon_60d',
      customers: ids.map((id) => ({ customerId: id })),
    });
    expect(error).toBeNull();
    expect(response!.model).toEqual({ name: 'buys_addon_60d', version: '1' });

    // The same customers' store rows, run directly through the exported file.
    const reader = new OnlineFeatureStore(new SqliteBackend(demo.path));
    const rows = await reader.getRows(ids);
    await reader.close();
    const index = FEATURES.map((n) => (FEATURE_NAMES as readonly string[]).indexOf(n));
    const x = Float32Array.from(ids.flatMap((id) => index.map((f) => rows.get(id)!.features[f]!)));
    const direct = await runTfliteRows(artifact.tflite, x, FEATURES.length);
    response!.results.forEach((r, i) => {
      expect(r.customerId).toBe(ids[i]);
      expect(r.prediction!.binary!.probability).toBeCloseTo(direct[i]!, 6);
    });

    const stream = await server.loyalty.stream('ScoreCustomers', {
      modelName: 'buys_addon_60d',
      chunkSize: 500,
    });
    expect(stream.error).toBeNull();
    const streamed = stream.messages.flatMap((m) => m.customers);
    expect(streamed).toHaveLength(demo.summary.customers);
    const first = streamed.find((c) => c.customerId === ids[0])!;
    expect(first.prediction!.binary!.probability).toBeCloseTo(direct[0]!, 6);
  });
});
