import { dayNumber, formatDay } from '../calendar.js';
import { type BgNbdParameters, expectedRepeatPurchases, expectedSpend } from '../models/clv.js';
import type { CustomerHistory } from '../offline/history.js';
import { fitBgNbd, fitGammaGamma } from './clv-fit.js';
import { defineTarget } from './pipeline-config.js';

/** The calibration/holdout split of the CLV literature for CDNOW (see ../shared/datasets/README.md). */
export const CDNOW_CALIBRATION_END = '1997-09-30';
export const CDNOW_HOLDOUT_DAYS = 39 * 7;
/** The last day of the holdout window: the labels read up to here. */
export const CDNOW_END = formatDay(dayNumber(CDNOW_CALIBRATION_END) + CDNOW_HOLDOUT_DAYS);

/**
 * The pipeline's LTV target (Poisson: mean-unbiased) on the features a transaction file can
 * give, as `make cdnow-ltv` and `make cdnow-variants` train it.
 */
export const CDNOW_LTV_TARGET = defineTarget({
  name: 'cdnow_ltv',
  version: '1',
  description: '',
  task: 'regression',
  cutoff: CDNOW_CALIBRATION_END,
  label: {
    days: CDNOW_HOLDOUT_DAYS,
    events: [{ family: 'transactions' }],
    aggregate: 'sum',
    field: 'amount',
  },
  features: [
    'tenure_days',
    'recency_days',
    'txn_count_90d',
    'txn_count_365d',
    'spend_90d',
    'spend_365d',
    'avg_ticket_365d',
    'spend_trend',
  ],
  hidden: [16],
  target: 'poisson',
  inputTransform: 'log1p',
  maxEpochs: 200,
  patience: 15,
  learningRate: 0.003,
  batchSize: 64,
});

/** BG/NBD parameters published for this sample's calibration period. */
export const CDNOW_BGNBD: BgNbdParameters = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };

export interface CalibrationSummary {
  customerId: string;
  /** Repeat purchases in the calibration period, same-day purchases merged. */
  x: number;
  /** Weeks from the first purchase to the last, and to the end of calibration. */
  tx: number;
  T: number;
  /** Spend per purchase day in the calibration period. */
  averageTicket: number;
  /** Spend per purchase day after the first (the Gamma-Gamma model's mean value m); 0 when x is 0. */
  repeatTicket: number;
  /** Purchase days in the holdout period, and spend in it. */
  holdoutPurchases: number;
  holdoutSpend: number;
}

export function summarize(
  history: CustomerHistory,
  calibrationEnd = CDNOW_CALIBRATION_END,
): CalibrationSummary {
  const end = dayNumber(calibrationEnd);
  const spendByDay = new Map<number, number>();
  let holdoutSpend = 0;
  const holdoutDays = new Set<number>();
  for (const t of history.transactions) {
    const day = dayNumber(t.occurredAt);
    if (day <= end) spendByDay.set(day, (spendByDay.get(day) ?? 0) + t.amountCents / 100);
    else if (day <= end + CDNOW_HOLDOUT_DAYS) {
      holdoutSpend += t.amountCents / 100;
      holdoutDays.add(day);
    }
  }
  const days = [...spendByDay.keys()].sort((a, b) => a - b);
  const first = days[0] ?? dayNumber(history.customer.signupDate);
  const last = days[days.length - 1] ?? first;
  const total = [...spendByDay.values()].reduce((s, v) => s + v, 0);
  return {
    customerId: history.customer.customerId,
    x: Math.max(0, days.length - 1),
    tx: (last - first) / 7,
    T: (end - first) / 7,
    averageTicket: days.length ? total / days.length : 0,
    repeatTicket: days.length > 1 ? (total - spendByDay.get(days[0]!)!) / (days.length - 1) : 0,
    holdoutPurchases: holdoutDays.size,
    holdoutSpend,
  };
}

/**
 * Holdout spend by BG/NBD: expected purchases in the holdout times the customer's average ticket
 * shrunk toward the population's (one purchase's weight of the population mean), so a
 * one-purchase customer's odd ticket does not carry the whole prediction.
 */
export function bgNbdSpend(summaries: readonly CalibrationSummary[], params = CDNOW_BGNBD): number[] {
  const purchases = summaries.map((s) => s.x + 1);
  const populationTicket =
    summaries.reduce((sum, s, i) => sum + s.averageTicket * purchases[i]!, 0) /
    purchases.reduce((a, b) => a + b, 0);
  return summaries.map((s, i) => {
    const n = purchases[i]!;
    const ticket = (n * s.averageTicket + populationTicket) / (n + 1);
    return expectedRepeatPurchases(params, s.x, s.tx, s.T, CDNOW_HOLDOUT_DAYS / 7) * ticket;
  });
}

/**
 * Holdout spend by BG/NBD and Gamma-Gamma both fitted here on the calibration period of every
 * customer (no holdout data): expected repeat purchases times the expected value of a purchase.
 */
export function fittedClvSpend(summaries: readonly CalibrationSummary[]): number[] {
  const bgnbd = fitBgNbd(summaries);
  const gg = fitGammaGamma(summaries.map((s) => ({ x: s.x, m: s.repeatTicket })));
  return summaries.map((s) => expectedSpend(bgnbd, gg, s, s.repeatTicket, CDNOW_HOLDOUT_DAYS / 7));
}
