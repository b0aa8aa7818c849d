import type { ModelManifest } from './manifest.js';

/** Turning a model's raw output row into what the RPCs answer, as its manifest says. */

export type RiskBandName = 'low' | 'medium' | 'high';

/** Default bands for a binary model whose manifest sets none. */
const DEFAULT_BANDS = { medium: 0.3, high: 0.6 };

export function riskBand(probability: number, manifest: ModelManifest): RiskBandName {
  const bands = manifest.thresholds.riskBands ?? DEFAULT_BANDS;
  if (probability >= bands.high) return 'high';
  if (probability >= bands.medium) return 'medium';
  return 'low';
}

export interface RankedLabel {
  code: string;
  name: string;
  probability: number;
  rank: number;
}

/** Labels by descending probability (ties by label order), the first topK (0: all). */
export function rankLabels(row: ArrayLike<number>, manifest: ModelManifest, topK: number): RankedLabel[] {
  return ranked(row, manifest, topK, () => true).map(({ code, name, value, rank }) => ({
    code,
    name,
    probability: value,
    rank,
  }));
}

/**
 * The output positions kept, by descending value (ties by position), the first topK (0: all),
 * with their labels' codes and names. A bounded insertion instead of sorting every position: a
 * ranking answers its top 5 or 10 of many, once per customer of a stream.
 */
function ranked(
  row: ArrayLike<number>,
  manifest: ModelManifest,
  topK: number,
  keep: (code: string) => boolean,
): { code: string; name: string; value: number; rank: number }[] {
  const codes = manifest.output.labels;
  const names = manifest.output.labelNames ?? codes;
  const k = topK > 0 ? topK : row.length;
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (!keep(codes[i] ?? '')) continue;
    const v = row[i]!;
    let at = best.length;
    // Strictly greater moves ahead: an equal value stays after the earlier position.
    while (at > 0 && row[best[at - 1]!]! < v) at--;
    if (at >= k) continue;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best.map((i, r) => ({
    code: codes[i] ?? String(i),
    name: names[i] ?? codes[i] ?? String(i),
    value: row[i]!,
    rank: r + 1,
  }));
}

/** The served value of a regression output: the manifest's transform, then its clip. */
export function regressionValue(
  raw: number,
  manifest: { output: Pick<ModelManifest['output'], 'transform' | 'clip'> },
): number {
  const t = manifest.output.transform;
  const value = t === 'expm1' ? Math.expm1(raw) : t === 'exp' ? Math.exp(raw) : raw;
  const clip = manifest.output.clip;
  return clip ? Math.min(clip.max, Math.max(clip.min, value)) : value;
}

export interface RankedItem {
  code: string;
  name: string;
  score: number;
  rank: number;
}

/**
 * A ranking output's items by descending score (ties by item order), without the customer's
 * recent purchases when the manifest says so, the first topK (0: all that remain).
 */
export function rankItems(
  row: ArrayLike<number>,
  manifest: ModelManifest,
  topK: number,
  recentItems: readonly string[] = [],
): RankedItem[] {
  const excluded = manifest.output.excludeRecentItems ? recentItems : [];
  const keep = excluded.length === 0 ? () => true : (code: string) => !excluded.includes(code);
  return ranked(row, manifest, topK, keep).map(({ code, name, value, rank }) => ({
    code,
    name,
    score: value,
    rank,
  }));
}
