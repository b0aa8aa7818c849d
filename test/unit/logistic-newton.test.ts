import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.js';
import { fitLogisticNewton, solveSymmetric } from '../../src/training/logistic-newton.js';

/** Rows of two standardized-ish features and labels drawn from a known logistic model. */
function sample(n: number, seed: number) {
  const rng = new Random(seed, 1);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.uniform() * 4 - 2;
    const b = rng.uniform() * 4 - 2;
    x.set([a, b, a], i * 3); // the third column repeats the first: collinear, as one-hot levels are
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 2 * b))) ? 1 : 0;
  }
  return { x, y, rows: Array.from({ length: n }, (_, i) => i) };
}

describe('logistic regression by Newton', () => {
  it('stops at the penalized optimum: the gradient is zero there, with collinear columns', () => {
    const { x, y, rows } = sample(4000, 3);
    const l2 = 0.001;
    const fit = fitLogisticNewton(x, y, rows, 3, l2);
    expect(fit.iterations).toBeLessThan(15);
    const gradient = [0, 0, 0, 0];
    for (const r of rows) {
      let z = fit.bias;
      for (let j = 0; j < 3; j++) z += fit.weights[j]! * x[r * 3 + j]!;
      const residual = 1 / (1 + Math.exp(-z)) - y[r]!;
      for (let j = 0; j < 3; j++) gradient[j]! += residual * x[r * 3 + j]!;
      gradient[3]! += residual;
    }
    for (let j = 0; j < 3; j++)
      expect(Math.abs(gradient[j]! / rows.length + 2 * l2 * fit.weights[j]!)).toBeLessThan(1e-9);
    expect(Math.abs(gradient[3]! / rows.length)).toBeLessThan(1e-9);
    // The penalty splits the duplicated column's weight evenly; the model is recovered.
    expect(fit.weights[0]).toBeCloseTo(fit.weights[2]!, 6);
    expect(fit.weights[0]! + fit.weights[2]!).toBeCloseTo(1.5, 0);
    expect(fit.weights[1]).toBeCloseTo(-2, 0);
    // The loss only falls.
    for (let i = 1; i < fit.losses.length; i++)
      expect(fit.losses[i]).toBeLessThanOrEqual(fit.losses[i - 1]! + 1e-12);
  });

  it('says when it has not converged instead of returning a half-fitted model', () => {
    const { x, y, rows } = sample(500, 4);
    expect(() => fitLogisticNewton(x, y, rows, 3, 0.001, { maxIterations: 2 })).toThrow(/did not converge/);
  });

  it('solves a symmetric positive definite system', () => {
    const a = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const s = solveSymmetric(a, Float64Array.from([1, 2, 3]), 3);
    const back = [0, 1, 2].map((i) => [0, 1, 2].reduce((t, j) => t + a[i * 3 + j]! * s[j]!, 0));
    for (const [i, v] of back.entries()) expect(v).toBeCloseTo([1, 2, 3][i]!, 12);
    expect(() => solveSymmetric(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(
      /positive definite/,
    );
  });
});
