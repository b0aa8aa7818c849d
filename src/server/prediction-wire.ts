import type { Explanation } from '../explain/explainer.js';
import type { ClvForecast } from '../generated/loyalty/v1/ClvForecast.js';
import type { CustomerRef__Output } from '../generated/loyalty/v1/CustomerRef.js';
import type { Explanation as ExplanationWire } from '../generated/loyalty/v1/Explanation.js';
import type { ItemError as ItemErrorWire } from '../generated/loyalty/v1/ItemError.js';
import type { ModelPrediction } from '../generated/loyalty/v1/ModelPrediction.js';
import type { RfmScores as RfmScoresWire } from '../generated/loyalty/v1/RfmScores.js';
import type { RiskBand as RiskBandWire } from '../generated/loyalty/v1/RiskBand.js';
import { SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';
import type { CustomerResult, Forecast, ItemError, Money, Prediction } from '../serving/prediction.js';
import type { RfmReading } from '../serving/rfm-reader.js';
import type { SubjectRef } from '../serving/subjects.js';
import type { RiskBand } from '../serving/vocabulary.js';
import { moneyFromCents, segmentToWire, timestampOfDate } from './wire.js';

/** The serving core's domain values as the loyalty.v1 messages carry them, and back. */

const STATUS_NOT_FOUND = 5;
const STATUS_FAILED_PRECONDITION = 9;

/** A request's subjects as the core takes them (the core validates them). */
export function subjectRefs(customers: readonly CustomerRef__Output[]): SubjectRef[] {
  return customers.map((c): SubjectRef => {
    if (c.subject === 'customerId') return { customerId: c.customerId ?? '' };
    if (c.subject === 'features' && c.features)
      return { reference: c.features.reference, values: c.features.values };
    return {};
  });
}

export const moneyToWire = (m: Money) => moneyFromCents(m.cents, m.currency);

const RISK_BANDS_ON_THE_WIRE: Record<RiskBand, RiskBandWire> = {
  low: 'RISK_BAND_LOW',
  medium: 'RISK_BAND_MEDIUM',
  high: 'RISK_BAND_HIGH',
};

export function riskBandToWire(band: RiskBand): RiskBandWire {
  return RISK_BANDS_ON_THE_WIRE[band];
}

export function forecastToWire(f: Forecast | undefined): ClvForecast | null {
  if (!f) return null;
  return {
    probabilityAlive: f.probabilityAlive,
    expectedTransactions: f.expectedTransactions,
    expectedSpend: moneyToWire(f.expectedSpend),
    spendP10: moneyToWire(f.spendP10),
    spendP90: moneyToWire(f.spendP90),
  };
}

export function predictionToWire(p: Prediction): ModelPrediction {
  switch (p.kind) {
    case 'binary_probability':
      return { binary: { probability: p.probability, riskBand: riskBandToWire(p.riskBand), label: p.label } };
    case 'class_probabilities':
      return { classes: { labels: p.labels } };
    case 'regression':
      return {
        regression: {
          value: p.value,
          money: p.money ? moneyToWire(p.money) : null,
          horizonMonths: p.horizonMonths,
          unit: p.unit,
          forecast: forecastToWire(p.forecast),
        },
      };
    case 'ranking':
      return { ranking: { items: p.items, excludedRecent: p.excludedRecent } };
    case 'uplift':
      return {
        uplift: { uplift: p.uplift, treatedProbability: p.treated, untreatedProbability: p.untreated },
      };
  }
}

export function itemErrorToWire(e: ItemError): ItemErrorWire {
  return e.reason === 'feature_value_missing'
    ? { code: STATUS_FAILED_PRECONDITION, reason: 'ERROR_REASON_FEATURE_VALUE_MISSING', message: e.message }
    : { code: STATUS_NOT_FOUND, reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND', message: e.message };
}

export function explanationToWire(e: Explanation | undefined): ExplanationWire | null {
  if (!e) return null;
  return {
    target: e.target,
    value: e.value,
    baseValue: e.baseValue,
    evaluations: e.evaluations,
    contributions: Array.from(e.contributions),
    reasons: e.reasons.map((r) => ({
      feature: r.feature,
      value: r.value,
      ...(r.typical === undefined ? {} : { typical: r.typical }),
      contribution: r.contribution,
      phrase: r.phrase,
    })),
  };
}

/**
 * One result of a per-customer RPC: the shared fields, and the prediction as `shape` maps it
 * (the model-specific message of PredictChurn/Nbo/Ltv, or ModelPrediction).
 */
export function resultToWire<P>(r: CustomerResult, shape: (p: Prediction) => P) {
  if ('error' in r) return { customerId: r.id, error: itemErrorToWire(r.error) };
  return {
    customerId: r.id,
    prediction: shape(r.prediction),
    provenance: r.featuresAsOf ? { featuresAsOf: timestampOfDate(r.featuresAsOf) } : {},
    modelVersion: r.version,
    explanation: explanationToWire(r.explanation),
  };
}

export function rfmToWire(r: RfmReading): RfmScoresWire {
  return {
    recencyScore: r.scores.r,
    frequencyScore: r.scores.f,
    monetaryScore: r.scores.m,
    segment: segmentToWire(r.scores.segment),
    segmentName: SEGMENT_DISPLAY_NAMES[r.scores.segment],
    recencyDays: r.values.recencyDays,
    frequency: r.values.frequency,
    monetary: moneyFromCents(r.values.monetaryCents, r.currency),
  };
}
