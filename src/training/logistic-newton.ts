/**
 * An L2-penalized logistic regression fitted to convergence by Newton's method: the convex
 * problem a plain logistic regression reference (scikit-learn's lbfgs) solves, solved exactly
 * rather than approximated by stochastic gradient steps and early stopping. Minimizes
 * mean(log loss) + l2 * |w|^2 (the intercept is not penalized) over the given rows of
 * standardized inputs.
 */
export interface LogisticFit {
  weights: Float64Array;
  bias: number;
  iterations: number;
  /** The penalized mean log loss after each iteration. */
  losses: number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function fitLogisticNewton(
  /** rows x d, standardized. */
  x: Float32Array,
  y: ArrayLike<number>,
  rows: readonly number[],
  d: number,
  l2: number,
  options: { maxIterations?: number; tolerance?: number } = {},
): LogisticFit {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const n = rows.length;
  const m = d + 1; // the intercept is the last coefficient
  const beta = new Float64Array(m);
  const losses: number[] = [];
  // A floor on the penalty keeps the Hessian invertible with collinear columns (one-hot levels).
  const penalty = Math.max(l2, 1e-10);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = new Float64Array(m);
    const hessian = new Float64Array(m * m);
    let loss = 0;
    const row = new Float64Array(m);
    for (const r of rows) {
      let z = beta[d]!;
      for (let j = 0; j < d; j++) {
        row[j] = x[r * d + j]!;
        z += beta[j]! * row[j]!;
      }
      row[d] = 1;
      const p = sigmoid(z);
      const label = y[r]!;
      loss -= label * Math.log(Math.max(p, 1e-300)) + (1 - label) * Math.log(Math.max(1 - p, 1e-300));
      const residual = p - label;
      const weight = p * (1 - p);
      for (let i = 0; i < m; i++) {
        gradient[i]! += residual * row[i]!;
        const wi = weight * row[i]!;
        for (let j = 0; j <= i; j++) hessian[i * m + j]! += wi * row[j]!;
      }
    }
    let penaltyTerm = 0;
    for (let i = 0; i < m; i++) {
      gradient[i]! /= n;
      for (let j = 0; j <= i; j++) {
        hessian[i * m + j]! /= n;
        hessian[j * m + i] = hessian[i * m + j]!;
      }
      if (i < d) {
        gradient[i]! += 2 * penalty * beta[i]!;
        hessian[i * m + i]! += 2 * penalty;
        penaltyTerm += penalty * beta[i]! ** 2;
      }
    }
    losses.push(loss / n + penaltyTerm);
    const step = solveSymmetric(hessian, gradient, m);
    let largest = 0;
    for (let i = 0; i < m; i++) {
      beta[i]! -= step[i]!;
      largest = Math.max(largest, Math.abs(step[i]!));
    }
    if (largest < tolerance)
      return { weights: beta.slice(0, d), bias: beta[d]!, iterations: iteration, losses };
  }
  throw new Error(
    `the logistic regression did not converge in ${maxIterations} Newton iterations (give a larger l2)`,
  );
}

/** Solves A s = b for a symmetric positive definite A (m x m) by Cholesky decomposition. */
export function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j]!;
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('the Hessian is not positive definite (give a larger l2)');
        l[i * m + i] = Math.sqrt(s);
      } else l[i * m + j] = s / l[j * m + j]!;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * m + k]! * z[k]!;
    z[i] = s / l[i * m + i]!;
  }
  const out = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < m; k++) s -= l[k * m + i]! * out[k]!;
    out[i] = s / l[i * m + i]!;
  }
  return out;
}
