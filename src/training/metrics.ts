/** Evaluation metrics of the model pipeline; pure functions over plain arrays. */

/** ROC curve points (false positive rate, true positive rate) from the highest score down. */
export function rocCurve(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): { fpr: number[]; tpr: number[] } {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = Array.from(labels).filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    // One point per distinct score, so tied scores form one diagonal step.
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(negatives ? fp / negatives : 0);
      tpr.push(positives ? tp / positives : 0);
    }
  }
  return { fpr, tpr };
}

/** Area under the ROC curve (trapezoids; ties count one half). */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(labels, scores);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/** Area under the precision-recall curve as average precision (the sum of precision at each recall step). */
export function prAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const positives = Array.from(labels).filter((y) => y === 1).length;
  if (positives === 0) return 0;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let k = 0;
  while (k < order.length) {
    // A group of tied scores is one threshold.
    let groupTp = 0;
    const score = scores[order[k]!]!;
    while (k < order.length && scores[order[k]!] === score) {
      if (labels[order[k]!] === 1) groupTp++;
      seen++;
      k++;
    }
    tp += groupTp;
    ap += (groupTp / positives) * (tp / seen);
  }
  return ap;
}

const EPS = 1e-7;

export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, probabilities[i]!));
    sum += labels[i] === 1 ? -Math.log(p) : -Math.log(1 - p);
  }
  return sum / labels.length;
}

export function brierScore(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / labels.length;
}

/** Mean predicted probability and observed rate in equal-width probability bins. */
export function calibrationBins(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  bins = 10,
): { predicted: number; observed: number; count: number }[] {
  const sums = Array.from({ length: bins }, () => ({ p: 0, y: 0, n: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probabilities[i]! * bins));
    sums[b]!.p += probabilities[i]!;
    sums[b]!.y += labels[i]!;
    sums[b]!.n++;
  }
  return sums.filter((s) => s.n > 0).map((s) => ({ predicted: s.p / s.n, observed: s.y / s.n, count: s.n }));
}

/** Share of rows whose true class is among the k highest probabilities. */
export function topKAccuracy(
  labels: ArrayLike<number>,
  probabilities: readonly ArrayLike<number>[],
  k: number,
): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probabilities[i]!;
    const truth = row[labels[i]!]!;
    let better = 0;
    for (let c = 0; c < row.length; c++)
      if (row[c]! > truth || (row[c] === truth && c < labels[i]!)) better++;
    if (better < k) hits++;
  }
  return hits / labels.length;
}

export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![predicted[i]!]!++;
  return m;
}

export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
  return sum / actual.length;
}

export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(sum / actual.length);
}

/**
 * RMSE of `predicted` scaled so that its total is `total`: two predictors compared at equal
 * totals, so that one predicting less than was spent is not rewarded for it (MAE rewards it).
 */
export function rmseAtTotal(actual: ArrayLike<number>, predicted: ArrayLike<number>, total: number): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += predicted[i]!;
  const scale = sum === 0 ? 0 : total / sum;
  return rootMeanSquaredError(
    actual,
    Array.from(predicted, (v) => v * scale),
  );
}

/**
 * The share of the actual total held by the top `share` of rows by prediction (ties broken by
 * row order): how much of next period's spend a campaign on the top 20% reaches.
 */
export function topShareCaptured(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  share: number,
): number {
  const order = Array.from(predicted, (_, i) => i).sort((a, b) => predicted[b]! - predicted[a]! || a - b);
  const top = Math.round(order.length * share);
  let total = 0;
  let captured = 0;
  for (let i = 0; i < order.length; i++) {
    total += actual[order[i]!]!;
    if (i < top) captured += actual[order[i]!]!;
  }
  return total === 0 ? 0 : captured / total;
}

export function rSquared(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const mean = Array.from(actual).reduce((s, v) => s + v, 0) / actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i]! - predicted[i]!) ** 2;
    total += (actual[i]! - mean) ** 2;
  }
  return total === 0 ? 0 : 1 - residual / total;
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
