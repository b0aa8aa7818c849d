import { describe, expect, it } from 'vitest';
import { averageEffect, qiniCoefficient, qiniCurve, upliftAtK } from '../../src/training/uplift-metrics.js';

describe('uplift metrics (scikit-uplift 0.5.1 definitions)', () => {
  it('uplift@k: treated minus control response rate in the top floor(k n) rows', () => {
    const y = [1, 0, 1, 0, 1, 0];
    const t = [1, 1, 0, 0, 1, 0];
    // Top 3: rows 0, 1 treated (1 of 2 responded), row 2 control (responded).
    expect(upliftAtK(y, t, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 0.5)).toBe(-0.5);
    // Top 4 adds a control non-responder: 1/2 - 1/2.
    expect(upliftAtK(y, t, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 4 / 6 + 1e-9)).toBe(0);
    expect(() => upliftAtK(y, t, y, 1)).toThrow(RangeError);
  });

  it('uplift@k cuts inside a block of tied scores as a stable sort reversed does: the later row first', () => {
    // Rows 0-2 tie; the top two are rows 2 and 1 (not 0 and 1, which are both treated).
    expect(upliftAtK([1, 0, 1, 0], [1, 1, 0, 0], [1, 1, 1, 0], 0.5)).toBe(-1);
    // A group absent from the top rows: NaN, as scikit-uplift answers.
    expect(upliftAtK([1, 0, 1, 0], [1, 1, 0, 0], [4, 3, 2, 1], 0.5)).toBeNaN();
  });

  it('the Qini curve, from (0, 0), one point per block of tied scores', () => {
    const y = [1, 0, 1, 0];
    const t = [1, 0, 1, 0];
    expect(qiniCurve(y, t, [4, 3, 2, 1])).toEqual({ x: [0, 1, 2, 3, 4], q: [0, 1, 1, 2, 2] });
    expect(qiniCurve(y, t, [1, 1, 0, 0])).toEqual({ x: [0, 2, 4], q: [0, 1, 2] });
    // Control responders count against the treated ones in proportion: Q = R_T - R_C N_T / N_C.
    expect(qiniCurve([0, 1, 1], [1, 0, 1], [3, 2, 1]).q).toEqual([0, 0, -1, 1 - (1 * 2) / 1]);
  });

  it('the Qini coefficient: 1 for the perfect ranking, below 0 for it reversed, 0 for a constant score', () => {
    const y = [1, 0, 1, 0, 0, 1, 0, 1, 1, 0];
    const t = [1, 1, 1, 0, 0, 0, 1, 0, 1, 0];
    const perfect = y.map((v, i) => v * t[i]! - v * (1 - t[i]!));
    expect(qiniCoefficient(y, t, perfect)).toBeCloseTo(1, 12);
    expect(
      qiniCoefficient(
        y,
        t,
        perfect.map((v) => -v),
      ),
    ).toBeLessThan(0);
    // One block of ties: the curve is the straight line of random targeting.
    expect(qiniCoefficient(y, t, new Array(10).fill(0.5))).toBeCloseTo(0, 12);
  });

  it("random targeting's expected uplift: the set's treated minus control rate", () => {
    expect(averageEffect([1, 0, 1, 1], [1, 1, 0, 0])).toBe(-0.5);
  });
});
