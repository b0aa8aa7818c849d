// Original file: proto/loyalty/v1/common.proto

import type { RiskBand as _loyalty_v1_RiskBand, RiskBand__Output as _loyalty_v1_RiskBand__Output } from '../../loyalty/v1/RiskBand';

export interface BinaryPrediction {
  /**
   * Probability of the positive class, 0 to 1.
   */
  'probability'?: (number | string);
  /**
   * Band of the probability, by the thresholds of the model's manifest.
   */
  'riskBand'?: (_loyalty_v1_RiskBand);
  /**
   * What the positive class is (the manifest's label), e.g. "churn".
   */
  'label'?: (string);
}

export interface BinaryPrediction__Output {
  /**
   * Probability of the positive class, 0 to 1.
   */
  'probability': (number);
  /**
   * Band of the probability, by the thresholds of the model's manifest.
   */
  'riskBand': (_loyalty_v1_RiskBand__Output);
  /**
   * What the positive class is (the manifest's label), e.g. "churn".
   */
  'label': (string);
}
