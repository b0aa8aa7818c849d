import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driftValue } from '../drift/drift-value.js';
import { categoryBins, continuousBins } from '../drift/reference.js';
import { loadTfliteModel } from '../inference/tflite-runtime.js';
import { clvInputs } from '../models/clv.js';
import { type ModelManifest, OUTPUT_TENSOR_NAMES, parseManifest } from '../models/manifest.js';
import { Random } from '../random.js';
import { writeDenseModel } from '../tflite/model-writer.js';
import { fitBgNbd, fitGammaGamma } from './clv-fit.js';
import { type Dataset, gatherRows, TEST, TRAIN, VALIDATION } from './dataset.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { evaluateUplift } from './evaluate-uplift.js';
import { describeLabel } from './labels.js';
import { modelCard, withRealDataSection } from './model-card.js';
import { isLabelled } from './pipeline-config.js';
import { bakeNormalization, rowsOf, trainNetwork } from './trainer.js';
import { trainClassTransformation, trainTwoModel } from './uplift-training.js';

/** Largest |tflite - tfjs| / max(1, |tfjs|) tolerated between the exported model and the trained one. */
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

/** Training rows stored in the manifest as the reason codes' background. */
export const BACKGROUND_ROWS = 100;

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
  const uplift = t.task === 'uplift';
  const network = uplift
    ? await trainTwoModel(ds, options.seed, log)
    : await trainNetwork(ds, options.seed, log);
  const tflite = writeDenseModel({
    layers: bakeNormalization(network),
    inputName: 'features',
    outputName: OUTPUT_TENSOR_NAMES[OUTPUT_KIND[t.task]],
    description: `loyalty-inference ${t.name} v${t.version}`,
    inputTransform: t.inputTransform,
  });

  const testRows = rowsOf(ds, TEST);
  const xTest = gatherRows(ds, testRows);
  const [fromTfjs, fromTflite] = await Promise.all([
    network.predict(xTest),
    runTfliteRows(tflite, xTest, ds.featureNames.length),
  ]);
  // Relative above 1: float32 keeps ~7 significant digits whatever a value's size.
  let maxAbsError = 0;
  let maxRelError = 0;
  for (let i = 0; i < fromTfjs.length; i++) {
    const error = Math.abs(fromTfjs[i]! - fromTflite[i]!);
    maxAbsError = Math.max(maxAbsError, error);
    maxRelError = Math.max(maxRelError, error / Math.max(1, Math.abs(fromTfjs[i]!)));
  }
  if (!(maxRelError <= PARITY_TOLERANCE))
    throw new Error(`${t.name}: tflite differs from tfjs by ${maxAbsError} (relative ${maxRelError})`);
  log(
    `${t.name} exported: ${tflite.length} bytes, parity max |tflite - tfjs| = ${maxAbsError.toExponential(2)}`,
  );

  const trainRows = rowsOf(ds, TRAIN);
  const clip =
    t.task === 'regression' ? { min: 0, max: Math.max(...trainRows.map((r) => ds.y[r]!)) } : undefined;
  const classes = ds.classes;
  // The uplift model's comparison in its card: the class-transformation learner on the same rows.
  const classTransformation = uplift
    ? await (await trainClassTransformation(ds, options.seed, log)).predict(xTest)
    : undefined;
  const draft = {
    name: t.name,
    version: t.version,
    description: t.description,
    createdAt: new Date().toISOString(),
    inputs: [...ds.featureNames],
    output: {
      kind: OUTPUT_KIND[t.task],
      labels: classes ? [...classes.codes] : uplift ? ['treated', 'untreated'] : [t.name],
      labelNames: classes ? [...classes.names] : undefined,
      transform: OUTPUT_TRANSFORM[t.target],
      clip,
      currency: t.task === 'regression' && t.unit === 'currency' ? options.currency : undefined,
      unit: t.task === 'regression' && t.unit !== 'currency' ? t.unit : undefined,
      excludeRecentItems: t.task === 'ranking' && !isLabelled(t) ? t.label.excludeRecent === true : undefined,
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
      featuresAsOf: isLabelled(t) ? ds.lastLabelDay! : t.cutoff,
      labelWindowDays: isLabelled(t) ? undefined : t.label.days,
      label: isLabelled(t)
        ? `${typeof t.labels.label === 'string' ? t.labels.label : t.labels.label.expr} (given with each row's time)`
        : describeLabel(t.label),
      rows: {
        train: trainRows.length,
        validation: rowsOf(ds, VALIDATION).length,
        test: testRows.length,
      },
      seed: options.seed,
      epochs: network.epochs,
      backend: network.backend,
      source: isLabelled(t) ? ('labels' as const) : t.source ? ('prediction_log' as const) : undefined,
    },
    parity: { maxAbsError, maxRelError, rows: testRows.length },
    reference: reference(ds, xTest, fromTflite, OUTPUT_KIND[t.task], clip),
    explanation: { background: background(ds, trainRows, options.seed) },
    clv: !isLabelled(t) && t.clv ? fitClv(ds, trainRows, log) : undefined,
  };
  // The metrics describe what is served: the test rows go through the serving post-processing.
  const evaluation = uplift
    ? evaluateUplift(ds, testRows, fromTflite, classTransformation)
    : evaluate(ds, trainRows, testRows, fromTflite, parseManifest(draft));
  const manifest = parseManifest({ ...draft, metrics: evaluation.metrics });
  return { tflite, manifest, evaluation, card: modelCard(manifest, evaluation) };
}

/**
 * The held-out rows' distributions (drift/reference.ts): each input's raw values and the served
 * output's drift value, as serving will see them.
 */
function reference(
  ds: Dataset,
  x: Float32Array,
  raw: Float32Array,
  kind: ModelManifest['output']['kind'],
  clip: ModelManifest['output']['clip'],
): NonNullable<ModelManifest['reference']> {
  const inputs = ds.featureNames.length;
  const rows = x.length / inputs;
  const column = (j: number) => Float64Array.from({ length: rows }, (_, r) => x[r * inputs + j]!);
  const width = raw.length / rows;
  const output = { kind, clip, transform: OUTPUT_TRANSFORM[ds.target.target] };
  const values = Float64Array.from({ length: rows }, (_, r) =>
    driftValue(raw.subarray(r * width, (r + 1) * width), { output }),
  );
  return {
    rows,
    inputs: ds.featureNames.map((_, j) => continuousBins(column(j))),
    output:
      kind === 'binary_probability' || kind === 'regression' || kind === 'uplift'
        ? continuousBins(values)
        : categoryBins(values, width),
  };
}

/**
 * BG/NBD and Gamma-Gamma fitted on the training customers' purchase records as of the cutoff
 * (models/clv.ts: clvInputs); none when Gamma-Gamma's q comes out at 1 or below (no finite mean).
 */
function fitClv(ds: Dataset, trainRows: readonly number[], log: (line: string) => void) {
  if (!ds.tenureDays) throw new Error(`${ds.target.name}: clv needs rows built from purchase histories`);
  const inputs = trainRows.map((r) => clvInputs(ds.tenureDays![r]!, ds.rfm[r]!));
  const bgnbd = fitBgNbd(inputs);
  const gammaGamma = fitGammaGamma(inputs);
  log(`${ds.target.name} BG/NBD ${JSON.stringify(bgnbd)}, Gamma-Gamma ${JSON.stringify(gammaGamma)}`);
  return gammaGamma.q > 1 ? { bgnbd, gammaGamma } : undefined;
}

/** A seeded sample of training rows, raw values, for the reason codes' background. */
function background(ds: Dataset, trainRows: readonly number[], seed: number): number[][] {
  const random = new Random(seed, 0xbac6);
  const pool = [...trainRows];
  const n = Math.min(BACKGROUND_ROWS, pool.length);
  const inputs = ds.featureNames.length;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const k = i + Math.floor(random.uniform() * (pool.length - i));
    [pool[i], pool[k]] = [pool[k]!, pool[i]!];
    const r = pool[i]!;
    rows.push(Array.from(ds.x.subarray(r * inputs, (r + 1) * inputs)));
  }
  return rows;
}

/** What turns a regression network's output into the value, by training target. */
export const OUTPUT_TRANSFORM = { identity: 'none', log1p: 'expm1', poisson: 'exp' } as const;

const OUTPUT_KIND = {
  binary: 'binary_probability',
  multiclass: 'class_probabilities',
  regression: 'regression',
  ranking: 'ranking',
  uplift: 'uplift',
} as const;

/**
 * A manifest as JSON for people to read: indented, with arrays of numbers (normalization,
 * reference bins, background rows) on one line each.
 */
export function manifestJson(manifest: ModelManifest): string {
  const text = JSON.stringify(manifest, null, 2).replace(
    /\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g,
    (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`,
  );
  return `${text}\n`;
}

/** Writes models/<name>/<version>/: model.tflite, manifest.json, MODEL_CARD.md and plots. */
export function writeModelFolder(root: string, artifact: TrainedArtifact): string {
  const dir = join(root, artifact.manifest.name, artifact.manifest.version);
  const cardPath = join(dir, 'MODEL_CARD.md');
  const oldCard = existsSync(cardPath) ? readFileSync(cardPath, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.tflite'), artifact.tflite);
  writeFileSync(join(dir, 'manifest.json'), manifestJson(artifact.manifest));
  writeFileSync(cardPath, withRealDataSection(artifact.card.markdown, oldCard));
  for (const [name, text] of Object.entries(artifact.card.files)) writeFileSync(join(dir, name), text);
  return dir;
}
