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
  // Payment behaviour (postpaid bills; 0 for prepaid customers).
  'bills_late_365d',
  'bills_missed_365d',
  'overdue_amount',
  'bill_avg_3m',
  // Share of the last 365 days' purchase lines per product category (PRODUCT_CATEGORIES).
  'share_devices_365d',
  'share_accessories_365d',
  'share_data_365d',
  'share_entertainment_365d',
  'share_travel_365d',
  'share_premium_365d',
  // Digital engagement over the last three whole months, and its trend against the year.
  'app_sessions_avg_3m',
  'logins_avg_3m',
  'feature_uses_avg_3m',
  'app_sessions_trend',
  // Campaigns: contacts received (control group excluded) and the share answered.
  'campaign_contacts_365d',
  'campaign_response_rate_365d',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Customer ids: what the store accepts, and nothing a log line or a query could trip on. */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The window of the products a customer bought "recently": the online table keeps them so a
 * ranking model can leave out what the customer has just bought.
 */
export const RECENT_ITEMS_DAYS = 90;

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
  /**
   * Values in FEATURE_NAMES order: a plain array of doubles in rows read from the store (held by
   * the cache: a typed array per row costs 450 bytes where the 32 values take 256).
   */
  features: ArrayLike<number>;
  rfm: RfmValues;
  scores: RfmScores;
  /** Product codes bought in the RECENT_ITEMS_DAYS up to asOf, sorted. */
  recentItems: readonly string[];
}

/** What the last materialization produced. */
export interface FeatureSetInfo {
  asOf: string;
  currency: string;
  featureNames: readonly string[];
  customerCount: number;
  materializedAt: string;
}
