import { clvInputs, expectedSpend, probabilityAlive } from '../models/clv.js';
import type { ModelManifest } from '../models/manifest.js';
import { rankItems, rankLabels, regressionValue } from '../models/postprocess.js';
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
  rmseAtTotal,
  rocAuc,
  rocCurve,
  rootMeanSquaredError,
  rSquared,
  topShareCaptured,
} from './metrics.js';
import { isLabelled } from './pipeline-config.js';

/** What the model card plots. */
export type EvaluationPlots =
  | {
      kind: 'binary';
      roc: { fpr: number[]; tpr: number[] };
      calibration: { predicted: number; observed: number; count: number }[];
    }
  | { kind: 'multiclass'; confusion: number[][]; labels: string[] }
  | { kind: 'regression'; actual: number[]; predicted: number[] }
  | { kind: 'ranking'; recallAtK: { k: number; model: number; baseline: number }[] }
  | { kind: 'uplift'; curves: { name: string; x: number[]; q: number[] }[] };

export interface Evaluation {
  metrics: Record<string, number>;
  plots: EvaluationPlots;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * Test-set metrics of what the server answers: the model's raw outputs go through the serving
 * post-processing (models/postprocess.ts) with the model's own manifest. Each metric sits beside
 * the baseline a team would otherwise use: the base rate (binary), the most popular class
 * (multiclass), the mean, the RFM-cell mean and the recent level (regression), the most popular
 * items (ranking). Baselines are fitted on the training rows only.
 */
export function evaluate(
  ds: Dataset,
  trainRows: readonly number[],
  testRows: readonly number[],
  raw: Float32Array,
  manifest: ModelManifest,
): Evaluation {
  if (ds.target.task === 'ranking') return evaluateRanking(ds, trainRows, testRows, raw, manifest);
  const classLabels = manifest.output.kind === 'class_probabilities' ? manifest.output.labels : [];
  const served = manifest.output.kind === 'regression' ? raw.map((v) => regressionValue(v, manifest)) : raw;
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
    // Served answers: labels ranked by the serving code, best first.
    const ranked = rows.map((r) => rankLabels(r, manifest, 3).map((l) => l.code));
    const topK = (kk: number) =>
      mean(y.map((c, i) => (ranked[i]!.slice(0, kk).includes(classLabels[c]!) ? 1 : 0)));
    return {
      metrics: {
        top1_accuracy: topK(1),
        top3_accuracy: topK(3),
        log_loss: ll / y.length,
        baseline_top1_accuracy: baselineTop(1),
        baseline_top3_accuracy: baselineTop(3),
      },
      plots: { kind: 'multiclass', confusion: confusionMatrix(y, predicted, k), labels: [...classLabels] },
    };
  }

  const predicted = Array.from(served);
  const meanTrain = mean(yTrain);
  const recent = recentLevelBaseline(ds, trainRows);
  // Rows joined from labels carry no RFM values: no RFM-cell baseline for them.
  const rfm = ds.rfm.length > 0 ? testRows.map(rfmCellMeans(ds, trainRows)) : undefined;
  const meanBase = y.map(() => meanTrain);
  return {
    metrics: {
      mae: meanAbsoluteError(y, predicted),
      rmse: rootMeanSquaredError(y, predicted),
      r2: rSquared(y, predicted),
      actual_mean: mean(y),
      predicted_mean: mean(predicted),
      // What a budget over the test customers needs: the predicted total over the actual.
      total_ratio: mean(predicted) / mean(y),
      baseline_mean_mae: meanAbsoluteError(y, meanBase),
      baseline_mean_rmse: rootMeanSquaredError(y, meanBase),
      baseline_mean_r2: rSquared(y, meanBase),
      ...(rfm
        ? {
            baseline_rfm_mae: meanAbsoluteError(y, rfm),
            baseline_rfm_rmse: rootMeanSquaredError(y, rfm),
            baseline_rfm_r2: rSquared(y, rfm),
          }
        : {}),
      ...(recent
        ? {
            baseline_recent_mae: meanAbsoluteError(y, testRows.map(recent)),
            baseline_recent_rmse: rootMeanSquaredError(y, testRows.map(recent)),
            baseline_recent_r2: rSquared(y, testRows.map(recent)),
          }
        : {}),
      ...clvBaseline(ds, testRows, y, predicted, manifest),
    },
    plots: { kind: 'regression', actual: y, predicted },
  };
}

/**
 * Persistence, for a target that says which feature holds its recent level: the label predicted
 * as that feature times the factor least-squares fitted on the training rows (a level per month
 * scaled to the window, say).
 */
function recentLevelBaseline(
  ds: Dataset,
  trainRows: readonly number[],
): ((row: number) => number) | undefined {
  const name = isLabelled(ds.target) ? undefined : ds.target.persistenceFeature;
  if (!name) return undefined;
  const j = ds.featureNames.indexOf(name);
  if (j < 0) return undefined;
  const d = ds.featureNames.length;
  const level = (r: number) => ds.x[r * d + j]!;
  let xy = 0;
  let xx = 0;
  for (const r of trainRows) {
    xy += level(r) * ds.y[r]!;
    xx += level(r) ** 2;
  }
  const factor = xx > 0 ? xy / xx : 0;
  return (r) => factor * level(r);
}

const RANKING_K = 10;

/**
 * Recall@10 and NDCG@10 of the served top 10 (recent purchases left out as the server leaves them
 * out) against the items the customer bought in the window, beside the same for the items most
 * bought by training customers, ranked by the same serving code.
 */
function evaluateRanking(
  ds: Dataset,
  trainRows: readonly number[],
  testRows: readonly number[],
  raw: Float32Array,
  manifest: ModelManifest,
): Evaluation {
  const k = ds.outputs;
  const codes = manifest.output.labels;
  const popularity = new Float32Array(k);
  for (const r of trainRows) for (let j = 0; j < k; j++) popularity[j]! += ds.y[r * k + j]!;
  for (let j = 0; j < k; j++) popularity[j]! /= trainRows.length;
  const curve = [1, 3, 5, 10, 20].filter((n) => n <= k);
  const scores = { model: new Map<number, number[]>(), baseline: new Map<number, number[]>() };
  const ndcg = { model: [] as number[], baseline: [] as number[] };
  testRows.forEach((r, i) => {
    const bought = new Set(codes.filter((_, j) => ds.y[r * k + j]! > 0));
    const recent = ds.recentItems[r] ?? [];
    const rankings = {
      model: rankItems(raw.subarray(i * k, (i + 1) * k), manifest, 0, recent).map((it) => it.code),
      baseline: rankItems(popularity, manifest, 0, recent).map((it) => it.code),
    };
    for (const which of ['model', 'baseline'] as const) {
      const ranking = rankings[which];
      for (const n of new Set([...curve, RANKING_K])) {
        const hits = ranking.slice(0, n).filter((c) => bought.has(c)).length;
        const list = scores[which].get(n) ?? [];
        list.push(hits / bought.size);
        scores[which].set(n, list);
      }
      ndcg[which].push(ndcgAt(ranking, bought, RANKING_K));
    }
  });
  const recall = (which: 'model' | 'baseline', n: number) => mean(scores[which].get(n) ?? [0]);
  return {
    metrics: {
      recall_at_10: recall('model', RANKING_K),
      ndcg_at_10: mean(ndcg.model),
      items_per_customer: mean(
        testRows.map((r) => ds.y.subarray(r * k, (r + 1) * k).reduce((s, v) => s + v, 0)),
      ),
      baseline_popular_recall_at_10: recall('baseline', RANKING_K),
      baseline_popular_ndcg_at_10: mean(ndcg.baseline),
    },
    plots: {
      kind: 'ranking',
      recallAtK: curve.map((n) => ({ k: n, model: recall('model', n), baseline: recall('baseline', n) })),
    },
  };
}

/** NDCG@n with binary relevance. */
function ndcgAt(ranking: readonly string[], relevant: ReadonlySet<string>, n: number): number {
  let dcg = 0;
  ranking.slice(0, n).forEach((c, i) => {
    if (relevant.has(c)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(n, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

/**
 * The RFM heuristic: a customer is predicted the mean label of training customers in the same
 * RFM cell (R, F and M quintile scores as of the cutoff, cut over the training rows); a cell
 * with no training customers falls back to the overall mean.
 */
export function rfmCellMeans(ds: Dataset, trainRows: readonly number[]): (row: number) => number {
  const thresholds: RfmThresholds = {
    asOf: isLabelled(ds.target) ? (ds.lastLabelDay ?? '') : ds.target.cutoff,
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

/**
 * The manifest's own BG/NBD x Gamma-Gamma over the label window, as a baseline of the network:
 * its expected spend's errors and total, and how well P(alive) tells who buys at all (ROC-AUC).
 */
function clvBaseline(
  ds: Dataset,
  testRows: readonly number[],
  y: number[],
  predicted: number[],
  manifest: ModelManifest,
): Record<string, number> {
  const clv = manifest.clv;
  if (!clv || !ds.tenureDays || isLabelled(ds.target)) return {};
  const weeks = ds.target.label.days / 7;
  const forecasts = testRows.map((r) => {
    const { m, ...history } = clvInputs(ds.tenureDays![r]!, ds.rfm[r]!);
    return {
      spend: expectedSpend(clv.bgnbd, clv.gammaGamma, history, m, weeks),
      alive: probabilityAlive(clv.bgnbd, history),
    };
  });
  const spend = forecasts.map((f) => f.spend);
  return {
    baseline_bgnbd_mae: meanAbsoluteError(y, spend),
    baseline_bgnbd_rmse: rootMeanSquaredError(y, spend),
    baseline_bgnbd_total_ratio: mean(spend) / mean(y),
    // At equal totals: each scaled to the other's total (the network's RMSE is `rmse`, BG/NBD's
    // baseline_bgnbd_rmse), and the spend the top 20% by each prediction holds.
    rmse_at_bgnbd_total: rmseAtTotal(y, predicted, mean(spend) * y.length),
    baseline_bgnbd_rmse_at_model_total: rmseAtTotal(y, spend, mean(predicted) * y.length),
    top20_capture: topShareCaptured(y, predicted, 0.2),
    baseline_bgnbd_top20_capture: topShareCaptured(y, spend, 0.2),
    bgnbd_alive_roc_auc: rocAuc(
      y.map((v) => (v > 0 ? 1 : 0)),
      forecasts.map((f) => f.alive),
    ),
  };
}
