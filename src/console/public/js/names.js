// Plain-language names for the models: a manifest's displayName first, then these words for the
// models this project ships, else the code with its underscores as spaces. The code itself stays
// visible where an engineer needs it.

const MODEL_WORDS = {
  churn: 'Churn risk',
  nbo: 'Next best offer',
  ltv: 'Lifetime value',
  propensity_30d: 'Purchase in the next 30 days',
  product_recommendation: 'Product recommendations',
  campaign_response: 'Campaign response',
  campaign_uplift: 'Campaign uplift (extra responses if contacted)',
  default_risk: 'Payment default risk',
  upsell: 'Upsell',
  engagement: 'Engagement',
};

/** Models whose higher scores are worse news (a risk): their rising reasons are shown as bad. */
const HIGHER_IS_WORSE = new Set(['churn', 'default_risk']);
export const higherIsWorse = (code) => HIGHER_IS_WORSE.has(code);

/** Display names the manifests gave, learnt from the server's answers (model code -> words). */
const fromManifests = new Map();
export function learnNames(pairs) {
  for (const [code, name] of pairs) if (name) fromManifests.set(code, name);
}

/** "Churn risk (churn)": the words, then the code. */
export function modelLabel(code) {
  const words = fromManifests.get(code) ?? MODEL_WORDS[code] ?? code.replaceAll('_', ' ');
  return words === code ? code : `${words} (${code})`;
}

/**
 * A feature's value in its unit: money with the currency, shares as percentages, counts whole,
 * days as days (units from GET /console/api/vocabulary).
 */
export function featureValue(value, unit, currency) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '–';
  const n = Number(value);
  const whole = (x) => Math.round(x).toLocaleString('en-US');
  switch (unit) {
    case 'money':
      return `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
    case 'share':
      return `${(n * 100).toFixed(0)}%`;
    case 'count':
    case 'level':
      return Number.isInteger(n) ? whole(n) : n.toFixed(1);
    case 'days':
      return `${whole(n)} days`;
    case 'years':
      return `${whole(n)} years`;
    case 'GB':
      return `${n.toFixed(1)} GB`;
    case 'minutes':
      return `${whole(n)} min`;
    default:
      return n.toFixed(2);
  }
}
