import { type Dataset, gatherRows, splitOf, TEST } from './dataset.js';
import { rocAuc } from './metrics.js';
import { rowsOf, trainNetwork } from './trainer.js';
import { averageEffect, qiniCoefficient, upliftAtK } from './uplift-metrics.js';
import { trainClassTransformation, trainTwoModel } from './uplift-training.js';

/** One split of a benchmark: the customers held out for the test, by id. */
export interface TestSplit {
  name: string;
  seed: number;
  testIds: readonly string[];
}

/** A binary target's test ROC-AUC on one split, and how long its network trained. */
export interface SplitResult {
  name: string;
  rocAuc: number;
  epochs: number;
  seconds: number;
}

/**
 * The dataset with the split's customers as its test rows and, of the others, `validationShare`
 * (by a hash of the id and the seed, as the pipeline splits) as the validation rows that early
 * stopping reads. An id of the split that the dataset lacks is an error: both sides of a
 * comparison must score the same customers.
 */
export function withTestSplit(ds: Dataset, split: TestSplit, validationShare: number): Dataset {
  const test = new Set(split.testIds);
  const assigned = new Uint8Array(ds.customerIds.length);
  let found = 0;
  ds.customerIds.forEach((id, i) => {
    if (test.has(id)) {
      assigned[i] = TEST;
      found++;
    } else assigned[i] = splitOf(id, split.seed, { test: 0, validation: validationShare });
  });
  if (found !== test.size)
    throw new Error(
      `${split.name}: ${test.size - found} test customers are not in the ${ds.target.name} rows`,
    );
  return { ...ds, split: assigned };
}

/**
 * Trains the dataset's target on one split exactly as the pipeline trains it (same settings, the
 * split's seed) and scores its test rows: the trained network's output, which the exported model
 * reproduces to 1e-5 (the pipeline's parity check).
 */
export async function binaryAucOnSplit(
  ds: Dataset,
  split: TestSplit,
  validationShare: number,
): Promise<SplitResult> {
  if (ds.target.task !== 'binary') throw new Error(`${ds.target.name} is not a binary target`);
  const started = performance.now();
  const assigned = withTestSplit(ds, split, validationShare);
  const net = await trainNetwork(assigned, split.seed);
  const rows = rowsOf(assigned, TEST);
  const scores = await net.predict(gatherRows(ds, rows));
  return {
    name: split.name,
    rocAuc: rocAuc(
      rows.map((r) => ds.y[r]!),
      scores,
    ),
    epochs: net.bestEpoch,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * How an uplift model is learned from treated and control rows:
 * - two-model: one network on the treated rows, one on the control rows (the pipeline's settings
 *   for both); the uplift is the difference of their probabilities;
 * - class-transformation: one network for Z = 1 when (treated, responded) or (control, did not
 *   respond); the uplift is 2 P(Z = 1) - 1 (valid when about half the rows are treated).
 */
export type UpliftLearner = 'two-model' | 'class-transformation';

export interface UpliftResult {
  name: string;
  /** uplift@30%, the 'overall' strategy. */
  upliftAt30: number;
  qini: number;
  /** Random targeting's expected uplift@k: the test rows' average effect. */
  averageEffect: number;
  seconds: number;
}

/** An uplift learner trained on one split's other rows and measured on its test rows. */
export async function upliftOnSplit(
  ds: Dataset,
  split: TestSplit,
  validationShare: number,
  learner: UpliftLearner,
): Promise<UpliftResult> {
  const treated = ds.treatment;
  if (!treated) throw new Error(`${ds.target.name}: the label source declares no treatment`);
  const started = performance.now();
  const assigned = withTestSplit(ds, split, validationShare);
  const test = rowsOf(assigned, TEST);
  const xTest = gatherRows(assigned, test);
  let scores: Float32Array;
  if (learner === 'two-model') {
    const p = await (await trainTwoModel(assigned, split.seed)).predict(xTest);
    scores = Float32Array.from(test, (_, i) => p[2 * i]! - p[2 * i + 1]!);
  } else scores = await (await trainClassTransformation(assigned, split.seed)).predict(xTest);
  const y = test.map((r) => ds.y[r]!);
  const t = test.map((r) => treated[r]!);
  return {
    name: split.name,
    upliftAt30: upliftAtK(y, t, scores, 0.3),
    qini: qiniCoefficient(y, t, scores),
    averageEffect: averageEffect(y, t),
    seconds: (performance.now() - started) / 1000,
  };
}
