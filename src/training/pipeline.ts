import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTfliteModel } from '../inference/tflite-runtime.js';
import { type ModelManifest, parseManifest } from '../models/manifest.js';
import { OFFER_TYPES } from '../offline/history.js';
import { writeDenseModel } from '../tflite/model-writer.js';
import { type Dataset, gatherRows, TEST, TRAIN, VALIDATION } from './dataset.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { modelCard } from './model-card.js';
import { bakeNormalization, rowsOf, trainNetwork } from './trainer.js';

/** Largest |tflite - tfjs| tolerated between the exported model and the trained one. */
export const PARITY_TOLERANCE = 1e-5;

export interface TrainedArtifact {
  tflite: Uint8Array;
  manifest: ModelManifest;
  evaluation: Evaluation;
  card: { markdown: string; files: Record<string, string> };
}

export interface TrainOptions {
  seed: number;
  currency: string;
  log?: (line: string) => void;
}

/** Runs a batch-1 .tflite over rows one by one: the reference path, independent of any batching. */
export async function runTfliteRows(
  bytes: Uint8Array,
  x: Float32Array,
  inputs: number,
): Promise<Float32Array> {
  const model = await loadTfliteModel(bytes);
  const runner = model.modelRunner;
  const input = runner.getInputs()[0]!;
  const rows = x.length / inputs;
  let out: Float32Array | undefined;
  for (let r = 0; r < rows; r++) {
    input.data().set(x.subarray(r * inputs, (r + 1) * inputs));
    if (!runner.infer()) throw new Error('tflite inference failed');
    const y = runner.getOutputs()[0]!.data();
    out ??= new Float32Array(rows * y.length);
    out.set(y, r * y.length);
  }
  runner.cleanUp();
  return out ?? new Float32Array();
}

/**
 * Trains one target, exports it to TFLite, checks the export against the trained model on the
 * test rows, evaluates the served outputs, and writes its manifest and model card.
 */
export async function trainTarget(ds: Dataset, options: TrainOptions): Promise<TrainedArtifact> {
  const t = ds.target;
  const log = options.log ?? (() => {});
  const network = await trainNetwork(ds, options.seed, log);
  const tflite = writeDenseModel({
    layers: bakeNormalization(network),
    inputName: 'features',
    outputName: t.task === 'binary' ? 'probability' : t.task === 'multiclass' ? 'probabilities' : 'value',
    description: `loyalty-inference ${t.name} v${t.version}`,
    inputTransform: t.inputTransform,
  });

  const testRows = rowsOf(ds, TEST);
  const xTest = gatherRows(ds, testRows);
  const [fromTfjs, fromTflite] = await Promise.all([
    network.predict(xTest),
    runTfliteRows(tflite, xTest, ds.featureNames.length),
  ]);
  let maxAbsError = 0;
  for (let i = 0; i < fromTfjs.length; i++)
    maxAbsError = Math.max(maxAbsError, Math.abs(fromTfjs[i]! - fromTflite[i]!));
  if (!(maxAbsError <= PARITY_TOLERANCE))
    throw new Error(`${t.name}: tflite differs from tfjs by ${maxAbsError}`);
  log(
    `${t.name} exported: ${tflite.length} bytes, parity max |tflite - tfjs| = ${maxAbsError.toExponential(2)}`,
  );

  const clip =
    t.task === 'regression'
      ? { min: 0, max: Math.max(...rowsOf(ds, TRAIN).map((r) => ds.y[r]!)) }
      : undefined;
  const served = clip
    ? fromTflite.map((v) => Math.min(clip.max, Math.max(clip.min, t.target === 'log1p' ? Math.expm1(v) : v)))
    : fromTflite;
  const labels = t.task === 'multiclass' ? OFFER_TYPES.map((o) => o.code) : [];
  const evaluation = evaluate(ds, rowsOf(ds, TRAIN), testRows, served, labels);

  const manifest = parseManifest({
    name: t.name,
    version: t.version,
    description: t.description,
    createdAt: new Date().toISOString(),
    inputs: [...ds.featureNames],
    output: {
      kind:
        t.task === 'binary'
          ? 'binary_probability'
          : t.task === 'multiclass'
            ? 'class_probabilities'
            : 'regression',
      labels: labels.length ? labels : [t.name],
      labelNames: t.task === 'multiclass' ? OFFER_TYPES.map((o) => o.name) : undefined,
      transform: t.target === 'log1p' ? 'expm1' : 'none',
      clip,
      currency: t.task === 'regression' ? options.currency : undefined,
      horizonMonths: t.horizonMonths,
    },
    thresholds: t.riskBands ? { riskBands: t.riskBands } : {},
    normalization: {
      baked: true,
      inputTransform: t.inputTransform,
      mean: Array.from(network.mean),
      std: Array.from(network.std),
    },
    training: {
      featuresAsOf: t.cutoff,
      labelWindowDays: t.label.days,
      label: t.label.kind,
      rows: {
        train: rowsOf(ds, TRAIN).length,
        validation: rowsOf(ds, VALIDATION).length,
        test: testRows.length,
      },
      seed: options.seed,
      epochs: network.epochs,
      backend: network.backend,
    },
    metrics: evaluation.metrics,
    parity: { maxAbsError, rows: testRows.length },
  });
  return { tflite, manifest, evaluation, card: modelCard(manifest, evaluation) };
}

/** Writes models/<name>/<version>/: model.tflite, manifest.json, MODEL_CARD.md and plots. */
export function writeModelFolder(root: string, artifact: TrainedArtifact): string {
  const dir = join(root, artifact.manifest.name, artifact.manifest.version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.tflite'), artifact.tflite);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(artifact.manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'MODEL_CARD.md'), artifact.card.markdown);
  for (const [name, text] of Object.entries(artifact.card.files)) writeFileSync(join(dir, name), text);
  return dir;
}
