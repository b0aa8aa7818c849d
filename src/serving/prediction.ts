import type { Explanation } from '../explain/explainer.js';
import type { RankedItem, RankedLabel } from '../models/postprocess.js';
import type { RiskBand } from './vocabulary.js';

/**
 * What the serving core answers, transport aside: domain values that every front end (gRPC,
 * REST, the console) maps to its own shapes. Amounts are in cents with their currency; dates
 * are YYYY-MM-DD.
 */

export interface ModelRef {
  name: string;
  version: string;
}

export interface Money {
  cents: number;
  currency: string;
}

/** BG/NBD and Gamma-Gamma's view of a customer over the model's horizon. */
export interface Forecast {
  probabilityAlive: number;
  expectedTransactions: number;
  expectedSpend: Money;
  spendP10: Money;
  spendP90: Money;
}

/** One customer's answer, typed by the model's output kind. */
export type Prediction =
  | { kind: 'binary_probability'; label: string; probability: number; riskBand: RiskBand }
  | { kind: 'class_probabilities'; labels: RankedLabel[] }
  | {
      kind: 'regression';
      value: number;
      /** The value as money, for a model whose output is an amount. */
      money: Money | undefined;
      /** 0 when the manifest names none. */
      horizonMonths: number;
      unit: string;
      forecast: Forecast | undefined;
    }
  | { kind: 'ranking'; items: RankedItem[]; excludedRecent: number }
  | {
      kind: 'uplift';
      /** treated - untreated: what a contact changes in the probability of the response. */
      uplift: number;
      treated: number;
      untreated: number;
    };

/** Why one subject of a call has no answer (the call itself succeeded). */
export interface ItemError {
  reason: 'customer_not_found' | 'feature_value_missing';
  message: string;
}

export type CustomerResult =
  | {
      /** The customer id, or the caller's reference of raw features. */
      id: string;
      /** The version that answered (the canary's for its customers). */
      version: string;
      prediction: Prediction;
      /** The as-of day of the store's features; undefined for raw features. */
      featuresAsOf: string | undefined;
      explanation: Explanation | undefined;
    }
  | { id: string; error: ItemError };

/** A per-customer call's answer: the primary version, and one result per subject in order. */
export interface PredictionAnswer {
  model: ModelRef;
  results: CustomerResult[];
}

/** A chunk of a scored base: the customers in id order, each with its answering version. */
export interface ScoredChunk {
  model: ModelRef;
  /** Each customer's tier and RFM segment (empty for a view's customers, who have none). */
  customers: { id: string; version: string; prediction: Prediction; tier: string; segment: string }[];
}
