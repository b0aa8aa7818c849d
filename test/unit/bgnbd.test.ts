import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CDNOW_MAPPING,
  historiesFromTransactions,
  parseTransactions,
} from '../../src/offline/import/transactions-csv.js';
import { expectedRepeatPurchases, hyp2f1 } from '../../src/training/bgnbd.js';
import { bgNbdSpend, CDNOW_BGNBD, summarize } from '../../src/training/cdnow-ltv.js';
import { meanAbsoluteError } from '../../src/training/metrics.js';

const CDNOW = new URL('../fixtures/cdnow-sample.txt', import.meta.url);

describe('BG/NBD', () => {
  it('evaluates 2F1 against closed forms', () => {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    // 2F1(a, b; b; z) = (1 - z)^-a
    expect(hyp2f1(2.5, 3, 3, 0.3)).toBeCloseTo(0.7 ** -2.5, 12);
  });

  it('reproduces the published holdout figures on the CDNOW sample', () => {
    const histories = historiesFromTransactions(
      parseTransactions(readFileSync(CDNOW, 'utf8'), CDNOW_MAPPING),
    );
    const summaries = histories.map((h) => summarize(h));
    const expected = summaries.map((s) => expectedRepeatPurchases(CDNOW_BGNBD, s.x, s.tx, s.T, 39));
    const actual = summaries.map((s) => s.holdoutPurchases);
    // ../shared/datasets/README.md: 1,882 repeat purchases; BG/NBD predicts 1,654, MAE 0.786.
    expect(actual.reduce((a, b) => a + b, 0)).toBe(1_882);
    expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(1_654 * 0.98);
    expect(expected.reduce((a, b) => a + b, 0)).toBeLessThan(1_654 * 1.02);
    expect(meanAbsoluteError(actual, expected)).toBeCloseTo(0.786, 2);
    const spend = bgNbdSpend(summaries);
    expect(
      meanAbsoluteError(
        summaries.map((s) => s.holdoutSpend),
        spend,
      ),
    ).toBeLessThan(32);
  });
});
