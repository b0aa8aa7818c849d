import { FEATURE_DESCRIPTIONS } from '../features/feature-descriptions.js';
import { FEATURE_NAMES, TIERS } from '../features/feature-set.js';
import { OUTPUT_KINDS } from '../models/manifest.js';
import { RFM_SEGMENTS, SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';

/**
 * The words every front end shares, from one source: the gRPC mappers, the REST endpoints and
 * the console (which reads them from GET /console/api/vocabulary instead of a copy of its own:
 * a copy once drifted and two of its segment boxes never worked).
 */

export { TIERS } from '../features/feature-set.js';
export { OUTPUT_KINDS } from '../models/manifest.js';
export { RFM_SEGMENTS, type RfmSegmentName, SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';

export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const RISK_BANDS = ['low', 'medium', 'high'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

/**
 * The prediction RPCs of LoyaltyService that answer through a configured model: which setting
 * names the model (LOYALTY_<KIND>_MODEL) and the output kind its answer needs.
 */
export const MODEL_KINDS = {
  churn: { rpc: 'PredictChurn', output: 'binary_probability', setting: 'LOYALTY_CHURN_MODEL' },
  nbo: { rpc: 'PredictNbo', output: 'class_probabilities', setting: 'LOYALTY_NBO_MODEL' },
  ltv: { rpc: 'PredictLtv', output: 'regression', setting: 'LOYALTY_LTV_MODEL' },
} as const satisfies Record<string, { rpc: string; output: OutputKind; setting: string }>;

export type ModelKind = keyof typeof MODEL_KINDS;

/** What the console shows and sends, as one JSON document. */
export function vocabulary() {
  return {
    segments: RFM_SEGMENTS.map((code) => ({ code, name: SEGMENT_DISPLAY_NAMES[code] })),
    tiers: [...TIERS],
    outputKinds: [...OUTPUT_KINDS],
    riskBands: [...RISK_BANDS],
    modelKinds: Object.keys(MODEL_KINDS),
    /** The store's loyalty features, in plain words with their units. */
    features: FEATURE_NAMES.map((name) => ({ name, ...FEATURE_DESCRIPTIONS[name] })),
  };
}
