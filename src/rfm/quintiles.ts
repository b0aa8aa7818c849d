/**
 * RFM quintile thresholds over the whole customer base. A metric's four cut points are the
 * values at the 20th, 40th, 60th and 80th percentiles (nearest rank on the sorted values). A
 * value scores 1 + the number of cut points it lies strictly above, so equal values always get
 * the same score (ties broken deterministically, toward the lower score), and a raw value of
 * a customer outside the base scores by the same rule. Recency is inverted: fewer days is better.
 */
export interface QuintileThresholds {
  /** Ascending cut points: q1 <= q2 <= q3 <= q4. */
  cuts: [number, number, number, number];
}

export interface RfmThresholds {
  asOf: string;
  recency: QuintileThresholds;
  frequency: QuintileThresholds;
  monetary: QuintileThresholds;
}

export function quintileCuts(values: ArrayLike<number>): QuintileThresholds {
  if (values.length === 0) throw new Error('quintile cuts need at least one value');
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { cuts: [at(0.2), at(0.4), at(0.6), at(0.8)] };
}

/** Score 1-5 where larger values are better (frequency, monetary). */
export function scoreHigherIsBetter(value: number, t: QuintileThresholds): number {
  let score = 1;
  for (const cut of t.cuts) if (value > cut) score++;
  return score;
}

/** Score 1-5 where smaller values are better (recency in days). */
export function scoreLowerIsBetter(value: number, t: QuintileThresholds): number {
  let score = 5;
  for (const cut of t.cuts) if (value > cut) score--;
  return score;
}
