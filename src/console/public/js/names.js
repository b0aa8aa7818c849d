// Plain-language names for the models a loyalty team runs; any other model's code is shown
// with its underscores as spaces. The code itself stays visible where an engineer needs it.

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

/** "Churn risk (churn)": the words, then the code. */
export function modelLabel(code) {
  const words = MODEL_WORDS[code] ?? code.replaceAll('_', ' ');
  return words === code ? code : `${words} (${code})`;
}
