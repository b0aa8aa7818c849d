import { Random } from '../random.js';

/**
 * Shapley values of one row by antithetic permutation sampling against a background sample
 * (interventional Shapley, as SHAP's sampling explainers compute it): for each background row
 * b, features are switched from b's value to the explained row's value one at a time in a random
 * order, and again in the reverse order; each switch's change of the score is that feature's
 * marginal contribution, and a feature's Shapley value is its mean over the 2K walks.
 *
 * Every walk goes from f(b) to f(x), so the contributions sum to f(x) minus the mean of f over
 * the background (the base value) exactly, whatever the sampling error of each value.
 */
export interface ShapleyPlan {
  inputs: number;
  backgroundRows: number;
  /** The rows to evaluate, row-major: x, then the background rows, then each walk's inner steps. */
  rows: Float32Array;
  count: number;
  /** Feature order of each walk (two per background row: an order and its reverse). */
  orders: Uint16Array[];
}

export interface ShapleyValues {
  /** f(x). */
  value: number;
  /** Mean of f over the background rows. */
  base: number;
  /** One per input; they sum to value - base. */
  contributions: Float64Array;
}

/**
 * The rows a row's explanation evaluates: 1 + K + 2K(M - 1) for K background rows and M inputs.
 * `seed` fixes the orders, so a customer gets the same reasons on every call.
 */
export function planShapley(x: ArrayLike<number>, background: Float32Array, seed: number): ShapleyPlan {
  const inputs = x.length;
  const k = background.length / inputs;
  const inner = Math.max(0, inputs - 1);
  const count = 1 + k + 2 * k * inner;
  const rows = new Float32Array(count * inputs);
  rows.set(Array.from(x), 0);
  rows.set(background, inputs);
  const random = new Random(seed, 0x5ba9);
  const orders: Uint16Array[] = [];
  let at = (1 + k) * inputs;
  for (let b = 0; b < k; b++) {
    const order = Uint16Array.from({ length: inputs }, (_, i) => i);
    for (let i = inputs - 1; i > 0; i--) {
      const j = Math.floor(random.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const walk of [order, order.slice().reverse()]) {
      orders.push(walk);
      const z = background.slice(b * inputs, (b + 1) * inputs);
      for (let step = 0; step < inner; step++) {
        const feature = walk[step]!;
        z[feature] = x[feature]!;
        rows.set(z, at);
        at += inputs;
      }
    }
  }
  return { inputs, backgroundRows: k, rows, count, orders };
}

/** The Shapley values from the scores of a plan's rows (in the plan's order). */
export function shapleyValues(plan: ShapleyPlan, scores: ArrayLike<number>): ShapleyValues {
  const { inputs, backgroundRows: k } = plan;
  const value = scores[0]!;
  let base = 0;
  for (let b = 0; b < k; b++) base += scores[1 + b]!;
  base /= k;
  const sums = new Float64Array(inputs);
  let at = 1 + k;
  plan.orders.forEach((order, w) => {
    let before = scores[1 + Math.floor(w / 2)]!;
    for (let step = 0; step < inputs; step++) {
      const after = step === inputs - 1 ? value : scores[at++]!;
      sums[order[step]!]! += after - before;
      before = after;
    }
  });
  const walks = plan.orders.length;
  return { value, base, contributions: sums.map((s) => s / walks) };
}
