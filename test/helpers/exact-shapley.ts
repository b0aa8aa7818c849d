/**
 * Exact interventional Shapley values by brute force over every coalition: v(S) is the mean of
 * f over the background rows with the features of S taken from x. 2^M x K evaluations: for
 * small models only, the reference the sampled reason codes are checked against.
 */
export function exactShapley(
  f: (row: Float64Array) => number,
  x: readonly number[],
  background: readonly (readonly number[])[],
): { base: number; value: number; contributions: number[] } {
  const m = x.length;
  const v = new Float64Array(1 << m);
  for (let s = 0; s < 1 << m; s++) {
    let sum = 0;
    for (const b of background) {
      const z = Float64Array.from(b, (bj, j) => (s & (1 << j) ? x[j]! : bj));
      sum += f(z);
    }
    v[s] = sum / background.length;
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const contributions = Array.from({ length: m }, (_, j) => {
    let phi = 0;
    for (let s = 0; s < 1 << m; s++) {
      if (s & (1 << j)) continue;
      let size = 0;
      for (let t = s; t; t &= t - 1) size++;
      phi += ((factorial(size) * factorial(m - size - 1)) / factorial(m)) * (v[s | (1 << j)]! - v[s]!);
    }
    return phi;
  });
  return { base: v[0]!, value: v[(1 << m) - 1]!, contributions };
}
