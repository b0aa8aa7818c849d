import type { FeatureName } from './feature-set.js';

/**
 * What each built-in loyalty feature means to a reader, and its unit: `money` in the store's
 * currency, `share` a fraction 0 to 1 shown as a percentage, `count` a whole number. The console
 * shows these instead of the column names.
 */
export type FeatureUnit =
  | 'days'
  | 'count'
  | 'money'
  | 'share'
  | 'ratio'
  | 'GB'
  | 'minutes'
  | 'level'
  | 'years';

export const FEATURE_DESCRIPTIONS: Record<FeatureName, { label: string; unit: FeatureUnit }> = {
  tenure_days: { label: 'Customer for', unit: 'days' },
  recency_days: { label: 'Since last purchase', unit: 'days' },
  txn_count_90d: { label: 'Purchases, last 90 days', unit: 'count' },
  txn_count_365d: { label: 'Purchases, last year', unit: 'count' },
  spend_90d: { label: 'Spend, last 90 days', unit: 'money' },
  spend_365d: { label: 'Spend, last year', unit: 'money' },
  avg_ticket_365d: { label: 'Average purchase, last year', unit: 'money' },
  spend_trend: { label: 'Spend trend (last 90 days against the year)', unit: 'ratio' },
  points_balance: { label: 'Points balance', unit: 'count' },
  redemptions_365d: { label: 'Points redemptions, last year', unit: 'count' },
  data_gb_avg_3m: { label: 'Mobile data a month, last 3 months', unit: 'GB' },
  voice_min_avg_3m: { label: 'Call minutes a month, last 3 months', unit: 'minutes' },
  support_contacts_90d: { label: 'Support contacts, last 90 days', unit: 'count' },
  offer_accept_rate_365d: { label: 'Offers accepted, last year', unit: 'share' },
  tier_level: { label: 'Tier level (0 basic to 3 platinum)', unit: 'level' },
  age_years: { label: 'Age', unit: 'years' },
  bills_late_365d: { label: 'Bills paid late, last year', unit: 'count' },
  bills_missed_365d: { label: 'Bills missed, last year', unit: 'count' },
  overdue_amount: { label: 'Overdue amount', unit: 'money' },
  bill_avg_3m: { label: 'Average bill, last 3 months', unit: 'money' },
  share_devices_365d: { label: 'Devices, share of purchases', unit: 'share' },
  share_accessories_365d: { label: 'Accessories, share of purchases', unit: 'share' },
  share_data_365d: { label: 'Data plans, share of purchases', unit: 'share' },
  share_entertainment_365d: { label: 'Entertainment, share of purchases', unit: 'share' },
  share_travel_365d: { label: 'Travel, share of purchases', unit: 'share' },
  share_premium_365d: { label: 'Premium, share of purchases', unit: 'share' },
  app_sessions_avg_3m: { label: 'App sessions a month, last 3 months', unit: 'count' },
  logins_avg_3m: { label: 'Logins a month, last 3 months', unit: 'count' },
  feature_uses_avg_3m: { label: 'App feature uses a month, last 3 months', unit: 'count' },
  app_sessions_trend: { label: 'App sessions trend (3 months against the year)', unit: 'ratio' },
  campaign_contacts_365d: { label: 'Campaign contacts, last year', unit: 'count' },
  campaign_response_rate_365d: { label: 'Campaigns answered, last year', unit: 'share' },
};
