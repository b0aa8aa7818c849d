import { type RfmThresholds, scoreHigherIsBetter, scoreLowerIsBetter } from './quintiles.js';
import { type RfmSegmentName, segmentOf } from './segments.js';

/** Raw RFM values of one customer as of the materialization date. */
export interface RfmValues {
  /** Days from the last purchase (or from sign-up, when there was none) to the as-of date. */
  recencyDays: number;
  /** Number of purchases up to the as-of date. */
  frequency: number;
  /** Total spend up to the as-of date, in cents of the store's currency. */
  monetaryCents: number;
}

/** R, F and M scores, each 1 to 5, and the segment they name. */
export interface RfmScores {
  r: number;
  f: number;
  m: number;
  segment: RfmSegmentName;
}

/** Scores raw RFM values against the base's thresholds and names the segment. */
export function scoreRfm(values: RfmValues, thresholds: RfmThresholds): RfmScores {
  const r = scoreLowerIsBetter(values.recencyDays, thresholds.recency);
  const f = scoreHigherIsBetter(values.frequency, thresholds.frequency);
  const m = scoreHigherIsBetter(values.monetaryCents, thresholds.monetary);
  return { r, f, m, segment: segmentOf(r, f, m) };
}
