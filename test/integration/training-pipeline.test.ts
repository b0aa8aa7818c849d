import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { parseManifest } from '../../src/models/manifest.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { buildDatasets, type Dataset } from '../../src/training/dataset.js';
import { PARITY_TOLERANCE, trainTarget, writeModelFolder } from '../../src/training/pipeline.js';
import { type PipelineConfig, readPipelineConfig } from '../../src/training/pipeline-config.js';
import { buildTestSqliteStore } from '../helpers/demo.js';

const out = mkdtempSync(join(tmpdir(), 'loyalty-models-'));
let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let config: PipelineConfig;
let datasets: Dataset[];

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  config = readPipelineConfig(new URL('../../models/pipeline.json', import.meta.url).pathname);
  // Few epochs: this checks the pipeline, not the models (test/e2e/committed-models checks those).
  for (const m of config.models) m.maxEpochs = 4;
  const backend = new SqliteBackend(demo.path);
  datasets = await buildDatasets(new OfflineStore(backend), config);
  await backend.close();
});

afterAll(() => {
  demo?.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('the model pipeline on an embedded store', () => {
  it('builds a training set for every target, split by customer', () => {
    expect(datasets.map((d) => d.target.name)).toEqual(config.models.map((m) => m.name));
    for (const ds of datasets) {
      const rows = ds.customerIds.length;
      expect(rows).toBeGreaterThan(100);
      expect(ds.x.length).toBe(rows * ds.featureNames.length);
      expect(ds.y.length).toBe(rows * ds.outputs);
      expect(new Set(ds.split)).toEqual(new Set([0, 1, 2]));
    }
  });

  it('exports each target to TFLite within the parity tolerance and writes a valid manifest and model card', async () => {
    for (const ds of datasets) {
      const artifact = await trainTarget(ds, { seed: config.seed, currency: 'EUR' });
      expect(artifact.manifest.parity!.maxRelError).toBeLessThanOrEqual(PARITY_TOLERANCE);
      const dir = writeModelFolder(out, artifact);
      const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
      expect(manifest.inputs).toEqual([...ds.featureNames]);
      expect(readFileSync(join(dir, 'model.tflite')).subarray(4, 8).toString()).toBe('TFL3');
      const card = readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8');
      for (const plot of Object.keys(artifact.card.files)) {
        expect(card).toContain(`](${plot})`);
        expect(existsSync(join(dir, plot))).toBe(true);
      }
    }
  });

  it('is reproducible: the same seed gives the same model file', async () => {
    const churn = datasets[0]!;
    const a = await trainTarget(churn, { seed: config.seed, currency: 'EUR' });
    const b = await trainTarget(churn, { seed: config.seed, currency: 'EUR' });
    expect(Buffer.from(a.tflite).equals(Buffer.from(b.tflite))).toBe(true);
    const c = await trainTarget(churn, { seed: config.seed + 1, currency: 'EUR' });
    expect(Buffer.from(a.tflite).equals(Buffer.from(c.tflite))).toBe(false);
  });

  it('refuses a target whose label window runs past the data', async () => {
    const late = { ...config, models: [{ ...config.models[0]!, cutoff: '2025-12-15' }] };
    const backend = new SqliteBackend(demo.path);
    await expect(buildDatasets(new OfflineStore(backend), late)).rejects.toThrow(
      /runs past the last recorded day 2025-12-31/,
    );
    await backend.close();
  });
});
