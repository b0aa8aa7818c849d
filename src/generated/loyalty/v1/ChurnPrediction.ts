// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RiskBand as _loyalty_v1_RiskBand, RiskBand__Output as _loyalty_v1_RiskBand__Output } from '../../loyalty/v1/RiskBand';

export interface ChurnPrediction {
  /**
   * Probability of churn within the model's label window, 0 to 1.
   */
  'probability'?: (number | string);
  /**
   * Risk band of the probability.
   */
  'riskBand'?: (_loyalty_v1_RiskBand);
}

export interface ChurnPrediction__Output {
  /**
   * Probability of churn within the model's label window, 0 to 1.
   */
  'probability': (number);
  /**
   * Risk band of the probability.
   */
  'riskBand': (_loyalty_v1_RiskBand__Output);
}
