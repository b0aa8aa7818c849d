// Original file: proto/loyalty/v1/loyalty_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';
import type { ClvForecast as _loyalty_v1_ClvForecast, ClvForecast__Output as _loyalty_v1_ClvForecast__Output } from '../../loyalty/v1/ClvForecast';

export interface LtvPrediction {
  /**
   * Predicted revenue over the horizon.
   */
  'value'?: (_loyalty_v1_Money | null);
  /**
   * Length of the prediction horizon in months.
   */
  'horizonMonths'?: (number);
  /**
   * The probabilistic view of the same horizon (BG/NBD and Gamma-Gamma fitted by
   * the training pipeline); unset for raw features or a model trained without it.
   */
  'forecast'?: (_loyalty_v1_ClvForecast | null);
}

export interface LtvPrediction__Output {
  /**
   * Predicted revenue over the horizon.
   */
  'value': (_loyalty_v1_Money__Output | null);
  /**
   * Length of the prediction horizon in months.
   */
  'horizonMonths': (number);
  /**
   * The probabilistic view of the same horizon (BG/NBD and Gamma-Gamma fitted by
   * the training pipeline); unset for raw features or a model trained without it.
   */
  'forecast': (_loyalty_v1_ClvForecast__Output | null);
}
