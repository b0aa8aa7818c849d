import { readFileSync } from 'node:fs';
import { regressionValue } from '../models/postprocess.js';
import {
  CDNOW_MAPPING,
  historiesFromTransactions,
  parseTransactions,
} from '../offline/import/transactions-csv.js';
import {
  bgNbdSpend,
  CDNOW_CALIBRATION_END,
  CDNOW_END,
  CDNOW_LTV_TARGET,
  fittedClvSpend,
  summarize,
} from '../training/cdnow-ltv.js';
import { type Dataset, datasetFromHistories, gatherRows, TEST, TRAIN } from '../training/dataset.js';
import { rfmCellMeans } from '../training/evaluate.js';
import { meanAbsoluteError, rootMeanSquaredError } from '../training/metrics.js';
import { OUTPUT_TRANSFORM } from '../training/pipeline.js';
import type { TargetConfig } from '../training/pipeline-config.js';
import { rowsOf, trainNetwork } from '../training/trainer.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/cdnow-ltv.js [--input ../shared/datasets/cdnow-sample.txt] [--splits 10]
LTV check on CDNOW through the transaction import: features as of ${CDNOW_CALIBRATION_END}, holdout
spend over the next 39 weeks, per-customer MAE of the pipeline's LTV network against the mean,
zero, RFM-cell and BG/NBD baselines, on the test customers of --splits customer splits.`;

/** The same network fitting log(1 + spend) with squared error, as the pipeline did before. */
const logTarget: TargetConfig = { ...CDNOW_LTV_TARGET, target: 'log1p' };

/** A network's served values on the test rows: its output transform, clamped to the training labels. */
async function served(ds: Dataset, t: TargetConfig, seed: number, train: number[], test: number[]) {
  const net = await trainNetwork({ ...ds, target: t }, seed);
  const clip = { min: 0, max: Math.max(...train.map((r) => ds.y[r]!)) };
  const output = { transform: OUTPUT_TRANSFORM[t.target], clip };
  return Array.from(await net.predict(gatherRows(ds, test)), (v) => regressionValue(v, { output }));
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    {
      input: { type: 'string', default: '../shared/datasets/cdnow-sample.txt' },
      splits: { type: 'string', default: '10' },
    },
    USAGE,
  );
  const histories = historiesFromTransactions(
    parseTransactions(readFileSync(f.input!, 'utf8'), CDNOW_MAPPING),
  );
  const bgnbdById = new Map<string, number>();
  const summaries = histories.map((h) => summarize(h));
  bgNbdSpend(summaries).forEach((v, i) => {
    bgnbdById.set(summaries[i]!.customerId, v);
  });
  const fittedById = new Map<string, number>();
  fittedClvSpend(summaries).forEach((v, i) => {
    fittedById.set(summaries[i]!.customerId, v);
  });
  const methods = [
    'network',
    'network_at_bgnbd_total',
    'network_log1p',
    'bgnbd_gamma_gamma_fitted',
    'bgnbd',
    'bgnbd_at_network_total',
    'rfm_cell_mean',
    'mean',
    'zero',
  ] as const;
  const scores = Object.fromEntries(
    methods.map((m) => [m, { mae: [] as number[], rmse: [] as number[], total: [] as number[] }]),
  );
  for (let seed = 0; seed < Number(f.splits); seed++) {
    const ds = datasetFromHistories(
      histories,
      CDNOW_LTV_TARGET,
      seed,
      { validation: 0.15, test: 0.3 },
      { lastDay: CDNOW_END },
    );
    const test = rowsOf(ds, TEST);
    const train = rowsOf(ds, TRAIN);
    const y = test.map((r) => ds.y[r]!);
    const trainMean = train.reduce((s, r) => s + ds.y[r]!, 0) / train.length;
    const rfm = rfmCellMeans(ds, train);
    const network = await served(ds, CDNOW_LTV_TARGET, seed, train, test);
    const bgnbd = test.map((r) => bgnbdById.get(ds.customerIds[r]!)!);
    // Each scaled to the other's predicted total: how well they tell customers apart, without
    // the advantage a lower total gives on MAE (and on RMSE, when predictions are noisy).
    const toBgnbdTotal = sum(bgnbd) / sum(network);
    const predictions: Record<(typeof methods)[number], number[]> = {
      network,
      network_at_bgnbd_total: network.map((v) => v * toBgnbdTotal),
      network_log1p: await served(ds, logTarget, seed, train, test),
      bgnbd_gamma_gamma_fitted: test.map((r) => fittedById.get(ds.customerIds[r]!)!),
      bgnbd,
      bgnbd_at_network_total: bgnbd.map((v) => v / toBgnbdTotal),
      rfm_cell_mean: test.map((r) => rfm(r)),
      mean: y.map(() => trainMean),
      zero: y.map(() => 0),
    };
    const actualTotal = sum(y);
    for (const m of methods) {
      const p = predictions[m];
      scores[m]!.mae.push(meanAbsoluteError(y, p));
      scores[m]!.rmse.push(rootMeanSquaredError(y, p));
      scores[m]!.total.push(sum(p) / actualTotal);
    }
    process.stderr.write(
      `split ${seed}: ${methods.map((m) => `${m} ${scores[m]!.mae.at(-1)!.toFixed(2)}`).join(', ')}\n`,
    );
  }
  const avg = (values: number[]) => sum(values) / values.length;
  process.stdout.write(`holdout spend per test customer, mean over ${f.splits} customer splits:\n`);
  process.stdout.write(
    '| method | MAE ($) | RMSE ($) | predicted total / actual total |\n|---|---|---|---|\n',
  );
  for (const m of methods) {
    const s = scores[m]!;
    process.stdout.write(
      `| ${m} | ${avg(s.mae).toFixed(2)} | ${avg(s.rmse).toFixed(2)} | ${avg(s.total).toFixed(2)} |\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `cdnow ltv failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
