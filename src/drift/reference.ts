/**
 * Reference distributions and the population stability index (PSI). At training time each input
 * and the output of a model get bins (the deciles of the held-out rows, repeated values merged)
 * and the share of rows in each; serving counts its rows into the same bins and compares.
 */

/** One distribution as the manifest stores it. */
export interface ReferenceBins {
  /**
   * Upper bounds of the bins, ascending: bin i holds values v <= edges[i] (and above the
   * previous edge); the last bin holds everything above the last edge.
   */
  edges: number[];
  /** Share of the reference rows in each bin (edges.length + 1 values, summing to 1). */
  shares: number[];
  /** The reference median: what "typical" means in a reason code's phrase. */
  median: number;
}

/** Quantiles cut for the bins: deciles. */
const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * A share below this counts as this in the PSI: an empty bin on either side would otherwise
 * make it infinite (the usual floor; it bounds one bin's term at about 0.92 per unit of share).
 */
export const SHARE_FLOOR = 1e-4;

/** The usual reading of a PSI: below 0.1 stable, 0.1-0.2 moderate shift, above 0.2 shifted. */
export const PSI_SHIFTED = 0.2;
export const PSI_MODERATE = 0.1;

/** Most bins of one reference (the manifest's bound). */
export const MAX_BINS = 64;

/** Bins of a continuous value from a sample (decile edges, duplicates merged). */
export function continuousBins(values: ArrayLike<number>): ReferenceBins {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error('a reference needs at least one row');
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const edges = [...new Set(QUANTILES.map(at))].filter((e) => e < sorted[sorted.length - 1]!);
  return { edges, shares: sharesOf(edges, sorted), median: at(0.5) };
}

/** Bins of a category index 0..k-1 (the top label of a classes or ranking model), one per category. */
export function categoryBins(indexes: ArrayLike<number>, categories: number): ReferenceBins {
  // Past the bins a manifest holds (a catalogue of thousands of products): ranges of indexes in
  // quantile bins, which a shift of the most-recommended items still moves.
  if (categories > MAX_BINS) return continuousBins(indexes);
  const edges = Array.from({ length: categories - 1 }, (_, i) => i);
  const sorted = Float64Array.from(indexes).sort();
  return { edges, shares: sharesOf(edges, sorted), median: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

function sharesOf(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(edges, values[i]!)]!++;
  return counts.map((c) => c / values.length);
}

/** The bin of a value: the first edge it does not exceed (NaN goes to the last bin). */
export function binOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** PSI = sum over bins of (actual - expected) * ln(actual / expected), shares floored. */
export function populationStabilityIndex(expected: readonly number[], counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return 0;
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(SHARE_FLOOR, expected[i]!);
    const a = Math.max(SHARE_FLOOR, (counts[i] ?? 0) / total);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** How a PSI reads. */
export function psiReading(psi: number): 'stable' | 'moderate' | 'shifted' {
  return psi > PSI_SHIFTED ? 'shifted' : psi > PSI_MODERATE ? 'moderate' : 'stable';
}
