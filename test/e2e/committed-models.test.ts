import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelManifest, parseManifest } from '../../src/models/manifest.js';
import { generateCustomers } from '../../src/offline/demo/demo-data.js';
import { type Dataset, datasetFromHistories, gatherRows, TEST } from '../../src/training/dataset.js';
import { rfmCellMeans } from '../../src/training/evaluate.js';
import { meanAbsoluteError, rocAuc, rSquared, topKAccuracy } from '../../src/training/metrics.js';
import { runTfliteRows } from '../../src/training/pipeline.js';
import { readPipelineConfig } from '../../src/training/pipeline-config.js';
import { rowsOf } from '../../src/training/trainer.js';

/**
 * The models committed in models/ must beat their baselines by the margins below, measured here
 * again from the .tflite files on demo customers of the test split: not taken from the manifests.
 */
const MODELS = new URL('../../models/', import.meta.url).pathname;
const config = readPipelineConfig(join(MODELS, 'pipeline.json'));
// The first 30,000 customers of the demo base (seed 42); only their test-split rows are scored.
const histories = [...generateCustomers(42, 0, 30_000)];

function load(name: string): { manifest: ModelManifest; tflite: Uint8Array } {
  const dir = join(MODELS, name, '1');
  return {
    manifest: parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))),
    tflite: readFileSync(join(dir, 'model.tflite')),
  };
}

async function scoreTestRows(
  name: string,
): Promise<{ ds: Dataset; test: number[]; out: Float32Array; manifest: ModelManifest }> {
  const target = config.models.find((m) => m.name === name)!;
  const ds = datasetFromHistories(histories, target, config.seed, config.split);
  const test = rowsOf(ds, TEST);
  const { manifest, tflite } = load(name);
  expect(manifest.inputs).toEqual([...ds.featureNames]);
  const out = await runTfliteRows(tflite, gatherRows(ds, test), ds.featureNames.length);
  return { ds, test, out, manifest };
}

describe('the committed models', () => {
  it('are one folder per target of models/pipeline.json, each with a valid manifest', () => {
    const folders = readdirSync(MODELS, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(config.models.map((m) => m.name).sort());
    for (const name of folders) {
      const { manifest } = load(name);
      expect(manifest.name).toBe(name);
      expect(manifest.parity!.maxAbsError).toBeLessThanOrEqual(1e-5);
    }
  });

  it('churn: ROC-AUC at least 0.85 (baseline 0.5) and log loss under 60% of the base-rate log loss', async () => {
    const { ds, test, out } = await scoreTestRows('churn');
    const y = test.map((r) => ds.y[r]!);
    expect(rocAuc(y, out)).toBeGreaterThan(0.85);
    const rate = y.reduce((s, v) => s + v, 0) / y.length;
    const ll = (p: (i: number) => number) =>
      -y.reduce((s, v, i) => s + (v ? Math.log(p(i)) : Math.log(1 - p(i))), 0) / y.length;
    expect(ll((i) => Math.min(1 - 1e-7, Math.max(1e-7, out[i]!)))).toBeLessThan(0.6 * ll(() => rate));
  });

  it('propensity_30d: ROC-AUC at least 0.75', async () => {
    const { ds, test, out } = await scoreTestRows('propensity_30d');
    expect(
      rocAuc(
        test.map((r) => ds.y[r]!),
        out,
      ),
    ).toBeGreaterThan(0.75);
  });

  it('nbo: top-1 accuracy 5 points and top-3 accuracy 10 points above the most popular offers', async () => {
    const { ds, test, out } = await scoreTestRows('nbo');
    const y = test.map((r) => ds.y[r]!);
    const rows = y.map((_, i) => out.subarray(i * 8, (i + 1) * 8));
    const counts = new Array<number>(8).fill(0);
    for (let r = 0; r < ds.y.length; r++) if (ds.split[r] !== TEST) counts[ds.y[r]!]!++;
    const popular = counts
      .map((n, c) => [n, c] as const)
      .sort((a, b) => b[0] - a[0])
      .map(([, c]) => c);
    const baseline = (k: number) => y.filter((c) => popular.slice(0, k).includes(c)).length / y.length;
    expect(topKAccuracy(y, rows, 1)).toBeGreaterThan(baseline(1) + 0.05);
    expect(topKAccuracy(y, rows, 3)).toBeGreaterThan(baseline(3) + 0.1);
  });

  it('ltv: MAE at least 15% below the RFM heuristic and R² above 0.4', async () => {
    const { ds, test, out, manifest } = await scoreTestRows('ltv');
    const clip = manifest.output.clip!;
    const predicted = Array.from(out, (v) => Math.min(clip.max, Math.max(clip.min, Math.expm1(v))));
    const y = test.map((r) => ds.y[r]!);
    const train = Array.from(ds.split.keys()).filter((r) => ds.split[r] !== TEST);
    const rfm = rfmCellMeans(ds, train);
    expect(meanAbsoluteError(y, predicted)).toBeLessThan(
      0.85 *
        meanAbsoluteError(
          y,
          test.map((r) => rfm(r)),
        ),
    );
    expect(rSquared(y, predicted)).toBeGreaterThan(0.4);
  });
});
