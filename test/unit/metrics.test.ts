import { describe, expect, it } from 'vitest';
import {
  brierScore,
  calibrationBins,
  confusionMatrix,
  logLoss,
  meanAbsoluteError,
  prAuc,
  rmseAtTotal,
  rocAuc,
  rootMeanSquaredError,
  rSquared,
  topKAccuracy,
  topShareCaptured,
} from '../../src/training/metrics.js';

describe('classification metrics', () => {
  it('ROC-AUC is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all-tied scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('ROC-AUC equals the share of positive-negative pairs ranked right', () => {
    const labels = [1, 0, 1, 0, 0, 1, 0, 1];
    const scores = [0.9, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3, 0.2];
    let right = 0;
    let pairs = 0;
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++)
        if (labels[i] === 1 && labels[j] === 0) {
          pairs++;
          right += scores[i]! > scores[j]! ? 1 : 0;
        }
    expect(rocAuc(labels, scores)).toBeCloseTo(right / pairs, 12);
  });

  it('average precision of a known ranking', () => {
    // Positives at ranks 1 and 3: (1/1 + 2/3) / 2.
    expect(prAuc([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('log loss and Brier score of known predictions', () => {
    expect(logLoss([1, 0], [0.8, 0.2])).toBeCloseTo(-Math.log(0.8), 12);
    expect(brierScore([1, 0], [0.8, 0.2])).toBeCloseTo(0.04, 12);
  });

  it('calibration bins average predictions and outcomes per bin', () => {
    expect(calibrationBins([1, 0, 1, 1], [0.05, 0.05, 0.95, 0.95], 10)).toEqual([
      { predicted: 0.05, observed: 0.5, count: 2 },
      { predicted: 0.95, observed: 1, count: 2 },
    ]);
  });

  it('top-k accuracy and the confusion matrix', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.5, 0.3, 0.2],
      [0.1, 0.3, 0.6],
    ];
    expect(topKAccuracy([0, 1, 0], probs, 1)).toBeCloseTo(1 / 3, 12);
    expect(topKAccuracy([0, 1, 0], probs, 2)).toBeCloseTo(2 / 3, 12);
    expect(confusionMatrix([0, 1, 2], [0, 0, 2], 3)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });
});

describe('regression metrics', () => {
  it('MAE, RMSE and R² of known predictions', () => {
    expect(meanAbsoluteError([1, 2, 3], [2, 2, 2])).toBeCloseTo(2 / 3, 12);
    expect(rootMeanSquaredError([1, 2, 3], [2, 2, 2])).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(rSquared([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(rSquared([1, 2, 3], [1, 2, 3])).toBe(1);
  });

  it('RMSE at equal totals: predicting less than was spent is no longer an advantage', () => {
    const actual = [0, 0, 10, 30];
    // Half of everyone's spend scores better RMSE than the right total spread evenly...
    expect(rootMeanSquaredError(actual, [0, 0, 5, 15])).toBeLessThan(
      rootMeanSquaredError(actual, [10, 10, 10, 10]),
    );
    // ...and at the actual total it is exact, while the even spread is not.
    expect(rmseAtTotal(actual, [0, 0, 5, 15], 40)).toBe(0);
    expect(rmseAtTotal(actual, [1, 1, 1, 1], 40)).toBeCloseTo(
      rootMeanSquaredError(actual, [10, 10, 10, 10]),
      12,
    );
  });

  it('the share of the actual total held by the top rows by prediction', () => {
    const actual = [50, 0, 30, 20, 0, 0, 0, 0, 0, 0];
    expect(topShareCaptured(actual, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 0.2)).toBe(0.5);
    expect(topShareCaptured(actual, [9, 1, 8, 0, 0, 0, 0, 0, 0, 0], 0.2)).toBe(0.8);
    expect(topShareCaptured([0, 0], [1, 2], 0.5)).toBe(0);
  });
});
