// Original file: proto/loyalty/v1/common.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';
import type { ClvForecast as _loyalty_v1_ClvForecast, ClvForecast__Output as _loyalty_v1_ClvForecast__Output } from '../../loyalty/v1/ClvForecast';

export interface RegressionPrediction {
  /**
   * The served value: the model's output through the manifest's transform and
   * clip.
   */
  'value'?: (number | string);
  /**
   * The value as money, when the model predicts an amount (a currency in its
   * manifest, or the store's currency for revenue models).
   */
  'money'?: (_loyalty_v1_Money | null);
  /**
   * The horizon the value covers, in months, when the manifest gives one.
   */
  'horizonMonths'?: (number);
  /**
   * What the value counts when it is not money (e.g. "app sessions").
   */
  'unit'?: (string);
  /**
   * For a model trained with BG/NBD and Gamma-Gamma (clv in its manifest), asked
   * by customer id: their probabilistic view of the same horizon. Unset for raw
   * rows, in ScoreCustomers streams, and for other models.
   */
  'forecast'?: (_loyalty_v1_ClvForecast | null);
}

export interface RegressionPrediction__Output {
  /**
   * The served value: the model's output through the manifest's transform and
   * clip.
   */
  'value': (number);
  /**
   * The value as money, when the model predicts an amount (a currency in its
   * manifest, or the store's currency for revenue models).
   */
  'money': (_loyalty_v1_Money__Output | null);
  /**
   * The horizon the value covers, in months, when the manifest gives one.
   */
  'horizonMonths': (number);
  /**
   * What the value counts when it is not money (e.g. "app sessions").
   */
  'unit': (string);
  /**
   * For a model trained with BG/NBD and Gamma-Gamma (clv in its manifest), asked
   * by customer id: their probabilistic view of the same horizon. Unset for raw
   * rows, in ScoreCustomers streams, and for other models.
   */
  'forecast': (_loyalty_v1_ClvForecast__Output | null);
}
