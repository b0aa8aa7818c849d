// Original file: proto/loyalty/v1/common.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';

/**
 * What BG/NBD and Gamma-Gamma say of a customer over the prediction horizon.
 * Their inputs are the store's purchase record: purchases, the last one's
 * recency, spend, and the customer's tenure (README, Lifetime value).
 */
export interface ClvForecast {
  /**
   * Probability that the customer is still active (has not silently left).
   */
  'probabilityAlive'?: (number | string);
  /**
   * Expected number of purchases over the horizon.
   */
  'expectedTransactions'?: (number | string);
  /**
   * Expected spend over the horizon: expected purchases times the expected
   * value of a purchase.
   */
  'expectedSpend'?: (_loyalty_v1_Money | null);
  /**
   * 10th and 90th percentiles of the spend over the horizon (simulated from
   * the models' posterior, the same for the same customer on every call).
   */
  'spendP10'?: (_loyalty_v1_Money | null);
  'spendP90'?: (_loyalty_v1_Money | null);
}

/**
 * What BG/NBD and Gamma-Gamma say of a customer over the prediction horizon.
 * Their inputs are the store's purchase record: purchases, the last one's
 * recency, spend, and the customer's tenure (README, Lifetime value).
 */
export interface ClvForecast__Output {
  /**
   * Probability that the customer is still active (has not silently left).
   */
  'probabilityAlive': (number);
  /**
   * Expected number of purchases over the horizon.
   */
  'expectedTransactions': (number);
  /**
   * Expected spend over the horizon: expected purchases times the expected
   * value of a purchase.
   */
  'expectedSpend': (_loyalty_v1_Money__Output | null);
  /**
   * 10th and 90th percentiles of the spend over the horizon (simulated from
   * the models' posterior, the same for the same customer on every call).
   */
  'spendP10': (_loyalty_v1_Money__Output | null);
  'spendP90': (_loyalty_v1_Money__Output | null);
}
