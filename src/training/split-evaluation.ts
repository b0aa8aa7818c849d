import { type Dataset, splitOf, TEST } from './dataset.js';
import { rocAuc } from './metrics.js';
import { rowsOf, trainNetwork } from './trainer.js';

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
  const d = ds.featureNames.length;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    x.set(ds.x.subarray(r * d, (r + 1) * d), i * d);
  });
  const scores = await net.predict(x);
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
