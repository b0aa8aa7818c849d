import { quintileCuts, type RfmThresholds } from '../rfm/quintiles.js';
import { scoreRfm } from '../rfm/rfm-scoring.js';
import type { Dataset } from './dataset.js';
import {
  argmax,
  brierScore,
  calibrationBins,
  confusionMatrix,
  logLoss,
  meanAbsoluteError,
  prAuc,
  rocAuc,
  rocCurve,
  rootMeanSquaredError,
  rSquared,
  topKAccuracy,
} from './metrics.js';

/** What the model card plots. */
export type EvaluationPlots =
  | {
      kind: 'binary';
      roc: { fpr: number[]; tpr: number[] };
      calibration: { predicted: number; observed: number; count: number }[];
    }
  | { kind: 'multiclass'; confusion: number[][]; labels: string[] }
  | { kind: 'regression'; actual: number[]; predicted: number[] };

export interface Evaluation {
  metrics: Record<string, number>;
  plots: EvaluationPlots;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Test-set metrics of a model's served outputs (after any output transform), each beside the
 * baseline a team would otherwise use: the base rate (binary), the most popular class
 * (multiclass), the mean and the RFM-cell mean (regression). Baselines are fitted on the
 * training rows only.
 */
export function evaluate(
  ds: Dataset,
  trainRows: readonly number[],
  testRows: readonly number[],
  served: Float32Array,
  classLabels: readonly string[] = [],
): Evaluation {
  const y = testRows.map((r) => ds.y[r]!);
  const yTrain = trainRows.map((r) => ds.y[r]!);
  const task = ds.target.task;

  if (task === 'binary') {
    const p = Array.from(served);
    const rate = mean(yTrain);
    const base = y.map(() => rate);
    return {
      metrics: {
        roc_auc: rocAuc(y, p),
        pr_auc: prAuc(y, p),
        log_loss: logLoss(y, p),
        brier: brierScore(y, p),
        positive_rate: mean(y),
        baseline_roc_auc: 0.5,
        baseline_pr_auc: mean(y),
        baseline_log_loss: logLoss(y, base),
        baseline_brier: brierScore(y, base),
      },
      plots: { kind: 'binary', roc: rocCurve(y, p), calibration: calibrationBins(y, p) },
    };
  }

  if (task === 'multiclass') {
    const k = classLabels.length;
    const rows = y.map((_, i) => served.subarray(i * k, (i + 1) * k));
    const counts = new Array<number>(k).fill(0);
    for (const c of yTrain) counts[c]!++;
    const popular = counts.map((n, c) => [n, c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const rank = new Map(popular.map(([, c], i) => [c, i]));
    const baselineTop = (kk: number) => mean(y.map((c) => (rank.get(c)! < kk ? 1 : 0)));
    const predicted = rows.map((r) => argmax(r));
    let ll = 0;
    rows.forEach((r, i) => {
      ll -= Math.log(Math.max(1e-7, r[y[i]!]!));
    });
    return {
      metrics: {
        top1_accuracy: topKAccuracy(y, rows, 1),
        top3_accuracy: topKAccuracy(y, rows, 3),
        log_loss: ll / y.length,
        baseline_top1_accuracy: baselineTop(1),
        baseline_top3_accuracy: baselineTop(3),
      },
      plots: { kind: 'multiclass', confusion: confusionMatrix(y, predicted, k), labels: [...classLabels] },
    };
  }

  const predicted = Array.from(served);
  const meanTrain = mean(yTrain);
  const rfmPrediction = rfmCellMeans(ds, trainRows);
  const rfm = testRows.map((r) => rfmPrediction(r));
  const meanBase = y.map(() => meanTrain);
  return {
    metrics: {
      mae: meanAbsoluteError(y, predicted),
      rmse: rootMeanSquaredError(y, predicted),
      r2: rSquared(y, predicted),
      actual_mean: mean(y),
      predicted_mean: mean(predicted),
      baseline_mean_mae: meanAbsoluteError(y, meanBase),
      baseline_mean_rmse: rootMeanSquaredError(y, meanBase),
      baseline_mean_r2: rSquared(y, meanBase),
      baseline_rfm_mae: meanAbsoluteError(y, rfm),
      baseline_rfm_rmse: rootMeanSquaredError(y, rfm),
      baseline_rfm_r2: rSquared(y, rfm),
    },
    plots: { kind: 'regression', actual: y, predicted },
  };
}

/**
 * The RFM heuristic: a customer is predicted the mean label of training customers in the same
 * RFM cell (R, F and M quintile scores as of the cutoff, cut over the training rows); a cell
 * with no training customers falls back to the overall mean.
 */
export function rfmCellMeans(ds: Dataset, trainRows: readonly number[]): (row: number) => number {
  const thresholds: RfmThresholds = {
    asOf: ds.target.cutoff,
    recency: quintileCuts(trainRows.map((r) => ds.rfm[r]!.recencyDays)),
    frequency: quintileCuts(trainRows.map((r) => ds.rfm[r]!.frequency)),
    monetary: quintileCuts(trainRows.map((r) => ds.rfm[r]!.monetaryCents)),
  };
  const cell = (row: number) => {
    const s = scoreRfm(ds.rfm[row]!, thresholds);
    return `${s.r}${s.f}${s.m}`;
  };
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of trainRows) {
    const c = cell(r);
    const entry = sums.get(c) ?? { sum: 0, n: 0 };
    entry.sum += ds.y[r]!;
    entry.n++;
    sums.set(c, entry);
  }
  const overall = mean(trainRows.map((r) => ds.y[r]!));
  return (row) => {
    const entry = sums.get(cell(row));
    return entry ? entry.sum / entry.n : overall;
  };
}
