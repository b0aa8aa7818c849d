// Original file: proto/loyalty/v1/loyalty_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';

export interface LtvPrediction {
  /**
   * Predicted revenue over the horizon.
   */
  'value'?: (_loyalty_v1_Money | null);
  /**
   * Length of the prediction horizon in months.
   */
  'horizonMonths'?: (number);
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
}
