import type { ModelManifest } from '../models/manifest.js';

type Format = 'days' | 'count' | 'money' | 'share' | 'number' | 'years' | 'tier';

/** How a marketer reads each store feature; a model's other inputs read as their names. */
const FEATURES: Record<string, { label: string; format: Format }> = {
  tenure_days: { label: 'days as a customer', format: 'days' },
  recency_days: { label: 'days since the last purchase', format: 'days' },
  txn_count_90d: { label: 'purchases in the last 90 days', format: 'count' },
  txn_count_365d: { label: 'purchases in the last year', format: 'count' },
  spend_90d: { label: 'spend in the last 90 days', format: 'money' },
  spend_365d: { label: 'spend in the last year', format: 'money' },
  avg_ticket_365d: { label: 'average ticket over the year', format: 'money' },
  spend_trend: { label: 'spend trend (last 90 days against the year)', format: 'number' },
  points_balance: { label: 'points balance', format: 'count' },
  redemptions_365d: { label: 'point redemptions in the last year', format: 'count' },
  data_gb_avg_3m: { label: 'mobile data per month (GB)', format: 'number' },
  voice_min_avg_3m: { label: 'voice minutes per month', format: 'count' },
  support_contacts_90d: { label: 'support contacts in the last 90 days', format: 'count' },
  offer_accept_rate_365d: { label: 'share of offers accepted', format: 'share' },
  tier_level: { label: 'loyalty tier (0 basic to 3 platinum)', format: 'tier' },
  age_years: { label: 'age', format: 'years' },
  bills_late_365d: { label: 'bills paid late in the last year', format: 'count' },
  bills_missed_365d: { label: 'bills missed in the last year', format: 'count' },
  overdue_amount: { label: 'amount overdue', format: 'money' },
  bill_avg_3m: { label: 'average monthly bill', format: 'money' },
  share_devices_365d: { label: 'share of purchases in devices', format: 'share' },
  share_accessories_365d: { label: 'share of purchases in accessories', format: 'share' },
  share_data_365d: { label: 'share of purchases in data plans', format: 'share' },
  share_entertainment_365d: { label: 'share of purchases in entertainment', format: 'share' },
  share_travel_365d: { label: 'share of purchases in travel', format: 'share' },
  share_premium_365d: { label: 'share of purchases in premium', format: 'share' },
  app_sessions_avg_3m: { label: 'app sessions per month', format: 'count' },
  logins_avg_3m: { label: 'logins per month', format: 'count' },
  feature_uses_avg_3m: { label: 'app feature uses per month', format: 'count' },
  app_sessions_trend: { label: 'app sessions trend', format: 'number' },
  campaign_contacts_365d: { label: 'campaign contacts in the last year', format: 'count' },
  campaign_response_rate_365d: { label: 'share of campaigns answered', format: 'share' },
};

function formatValue(value: number, format: Format): string {
  switch (format) {
    case 'share':
      return `${Math.round(value * 100)}%`;
    case 'money':
      return value.toFixed(2);
    case 'number':
      return Number(value.toPrecision(3)).toString();
    default:
      return Math.round(value).toString();
  }
}

/** What the explained score is, in words: "the churn probability", "the probability of Double points". */
export function targetWords(manifest: ModelManifest, label: string | undefined): string {
  const o = manifest.output;
  switch (o.kind) {
    case 'binary_probability':
      return `the ${(o.labels[0] ?? manifest.name).replaceAll('_', ' ')} probability`;
    case 'class_probabilities':
      return `the probability of ${label}`;
    case 'ranking':
      return `the score of ${label}`;
    case 'uplift':
      return 'the effect of a contact on the response probability';
    case 'regression':
      return `the predicted ${o.unit ?? (o.currency ? 'value' : manifest.name.replaceAll('_', ' '))}`;
  }
}

/**
 * One reason as a sentence: the feature, the customer's value, the reference median, and which
 * way it moved the score, e.g. "days since the last purchase: 74 (typical: 12) raises the churn
 * probability by 0.081".
 */
export function reasonPhrase(
  feature: string,
  value: number,
  typical: number | undefined,
  contribution: number,
  target: string,
  probability: boolean,
): string {
  const known = FEATURES[feature];
  const format = known?.format ?? 'number';
  const label = known?.label ?? feature.replaceAll('_', ' ');
  const usual = typical === undefined ? '' : ` (typical: ${formatValue(typical, format)})`;
  const size = Math.abs(contribution).toFixed(probability ? 3 : 2);
  return `${label}: ${formatValue(value, format)}${usual} ${contribution >= 0 ? 'raises' : 'lowers'} ${target} by ${size}`;
}
