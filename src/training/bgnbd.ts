/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005), used as the classic
 * baseline for customer-lifetime-value predictions: the expected number of repeat purchases in
 * the next t periods of a customer with x repeat purchases, the last at t_x, observed for T.
 */
export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gauss's hypergeometric function 2F1(a, b; c; z) by its series, for 0 <= z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 10_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (Math.abs(term) < 1e-14 * Math.abs(sum)) return sum;
  }
  throw new Error('hyp2f1: series did not converge');
}

export function expectedRepeatPurchases(
  p: BgNbdParameters,
  x: number,
  tx: number,
  T: number,
  t: number,
): number {
  const { r, alpha, a, b } = p;
  const front = (a + b + x - 1) / (a - 1);
  const ratio = (alpha + T) / (alpha + T + t);
  const hyp = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const numerator = front * (1 - ratio ** (r + x) * hyp);
  const denominator = x > 0 ? 1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 1;
  return numerator / denominator;
}
