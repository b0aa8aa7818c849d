import type { RfmScores, RfmValues } from '../rfm/rfm-scoring.js';

/**
 * The customer features the feature store materializes, in the order of a model's input row
 * unless its manifest says otherwise. Adding a feature is one entry here plus its computation
 * in offline/features/compute-features.ts; the online table's columns follow from this list.
 */
export const FEATURE_NAMES = [
  'tenure_days',
  'recency_days',
  'txn_count_90d',
  'txn_count_365d',
  'spend_90d',
  'spend_365d',
  'avg_ticket_365d',
  'spend_trend',
  'points_balance',
  'redemptions_365d',
  'data_gb_avg_3m',
  'voice_min_avg_3m',
  'support_contacts_90d',
  'offer_accept_rate_365d',
  'tier_level',
  'age_years',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Loyalty tiers, lowest first; a tier's index is the tier_level feature. */
export const TIERS = ['basic', 'silver', 'gold', 'platinum'] as const;
export type Tier = (typeof TIERS)[number];

// RFM's own types live in rfm/ (which needs nothing from here); rows of the store carry them.
export type { RfmScores, RfmValues } from '../rfm/rfm-scoring.js';

/** One customer's row of the online table. */
export interface FeatureRow {
  customerId: string;
  /** YYYY-MM-DD. */
  asOf: string;
  tier: string;
  /** Values in FEATURE_NAMES order. */
  features: Float64Array;
  rfm: RfmValues;
  scores: RfmScores;
}

/** What the last materialization produced. */
export interface FeatureSetInfo {
  asOf: string;
  currency: string;
  featureNames: readonly string[];
  customerCount: number;
  materializedAt: string;
}
