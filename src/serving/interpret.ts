import { FEATURE_NAMES, type FeatureRow } from '../features/feature-set.js';
import { clvInputs, forecastSpend } from '../models/clv.js';
import type { ModelManifest } from '../models/manifest.js';
import { rankItems, rankLabels, regressionValue, riskBand } from '../models/postprocess.js';
import { seedOfKey } from '../random.js';
import type { Forecast, Money, Prediction } from './prediction.js';

const TENURE = FEATURE_NAMES.indexOf('tenure_days');

/** What a model's output row needs beside its manifest to be read. */
export interface Reading {
  /** Labels or items answered (0: all); capped by the model's own labels. */
  topK: number;
  /** The currency of a money regression; undefined when its output is no amount. */
  currency: string | undefined;
  /** The customer's recent purchases, which a ranking may leave out. */
  recentItems: readonly string[];
  /**
   * The customer's store row, for the BG/NBD forecast of a money regression trained with it;
   * streams leave it out (the simulation would cost their main thread ~0.1 ms per customer).
   */
  row: FeatureRow | undefined;
}

/** A raw output row as its manifest's output kind says: the one interpreter of every front end. */
export function interpret(
  manifest: ModelManifest,
  name: string,
  output: Float32Array,
  r: Reading,
): Prediction {
  const out = manifest.output;
  const topK = Math.min(r.topK, out.labels.length);
  switch (out.kind) {
    case 'binary_probability': {
      const probability = output[0]!;
      return {
        kind: 'binary_probability',
        label: out.labels[0] ?? name,
        probability,
        riskBand: riskBand(probability, manifest),
      };
    }
    case 'class_probabilities':
      return { kind: 'class_probabilities', labels: rankLabels(output, manifest, topK) };
    case 'regression': {
      const value = regressionValue(output[0]!, manifest);
      return {
        kind: 'regression',
        value,
        money: r.currency ? { cents: Math.round(value * 100), currency: r.currency } : undefined,
        horizonMonths: out.horizonMonths ?? 0,
        unit: out.unit ?? '',
        forecast: r.currency && r.row ? forecast(manifest, r.row, r.currency) : undefined,
      };
    }
    case 'uplift':
      return { kind: 'uplift', uplift: output[0]! - output[1]!, treated: output[0]!, untreated: output[1]! };
    case 'ranking': {
      const excluded = out.excludeRecentItems
        ? r.recentItems.filter((code) => out.labels.includes(code)).length
        : 0;
      return {
        kind: 'ranking',
        items: rankItems(output, manifest, topK, r.recentItems),
        excludedRecent: excluded,
      };
    }
  }
}

/**
 * The currency of a regression's amounts: its manifest's; for a manifest of an earlier pipeline,
 * which named its label "revenue" and no currency, or a model served as lifetime value, the
 * store's. Other outputs are not money.
 */
export function moneyCurrency(
  manifest: ModelManifest,
  storeCurrency: () => string,
  asMoney = false,
): string | undefined {
  if (manifest.output.kind !== 'regression') return undefined;
  if (manifest.output.currency) return manifest.output.currency;
  return asMoney || manifest.training?.label === 'revenue' ? storeCurrency() : undefined;
}

/** Default horizon of a lifetime value whose manifest names none. */
export const DEFAULT_HORIZON_MONTHS = 12;

/**
 * BG/NBD and Gamma-Gamma's view of a customer over the model's horizon, for a model trained
 * with them (clv in its manifest); undefined otherwise.
 */
function forecast(manifest: ModelManifest, row: FeatureRow, currency: string): Forecast | undefined {
  const clv = manifest.clv;
  if (!clv) return undefined;
  const horizonMonths = manifest.output.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const money = (v: number): Money => ({ cents: Math.round(v * 100), currency });
  const { m, ...history } = clvInputs(row.features[TENURE]!, row.rfm);
  const f = forecastSpend(
    clv.bgnbd,
    clv.gammaGamma,
    history,
    m,
    (horizonMonths * 52) / 12,
    seedOfKey(row.customerId),
  );
  return {
    probabilityAlive: f.probabilityAlive,
    expectedTransactions: f.expectedTransactions,
    expectedSpend: money(f.expectedSpend),
    spendP10: money(f.p10),
    spendP90: money(f.p90),
  };
}
