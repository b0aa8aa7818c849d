import type { RfmScores, RfmValues } from '../features/feature-set.js';
import { type RfmThresholds, scoreHigherIsBetter, scoreLowerIsBetter } from './quintiles.js';
import { segmentOf } from './segments.js';

/** Scores raw RFM values against the base's thresholds and names the segment. */
export function scoreRfm(values: RfmValues, thresholds: RfmThresholds): RfmScores {
  const r = scoreLowerIsBetter(values.recencyDays, thresholds.recency);
  const f = scoreHigherIsBetter(values.frequency, thresholds.frequency);
  const m = scoreHigherIsBetter(values.monetaryCents, thresholds.monetary);
  return { r, f, m, segment: segmentOf(r, f, m) };
}
