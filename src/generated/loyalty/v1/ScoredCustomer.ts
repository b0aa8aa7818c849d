// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ChurnPrediction as _loyalty_v1_ChurnPrediction, ChurnPrediction__Output as _loyalty_v1_ChurnPrediction__Output } from '../../loyalty/v1/ChurnPrediction';
import type { NboPrediction as _loyalty_v1_NboPrediction, NboPrediction__Output as _loyalty_v1_NboPrediction__Output } from '../../loyalty/v1/NboPrediction';
import type { LtvPrediction as _loyalty_v1_LtvPrediction, LtvPrediction__Output as _loyalty_v1_LtvPrediction__Output } from '../../loyalty/v1/LtvPrediction';
import type { RfmScores as _loyalty_v1_RfmScores, RfmScores__Output as _loyalty_v1_RfmScores__Output } from '../../loyalty/v1/RfmScores';
import type { ModelPrediction as _loyalty_v1_ModelPrediction, ModelPrediction__Output as _loyalty_v1_ModelPrediction__Output } from '../../loyalty/v1/ModelPrediction';

export interface ScoredCustomer {
  /**
   * The customer id.
   */
  'customerId'?: (string);
  'churn'?: (_loyalty_v1_ChurnPrediction | null);
  'nbo'?: (_loyalty_v1_NboPrediction | null);
  'ltv'?: (_loyalty_v1_LtvPrediction | null);
  'rfm'?: (_loyalty_v1_RfmScores | null);
  /**
   * The answer of the model named in the request.
   */
  'prediction'?: (_loyalty_v1_ModelPrediction | null);
  /**
   * The model version that scored this customer; empty for RFM.
   */
  'modelVersion'?: (string);
  'score'?: "churn"|"nbo"|"ltv"|"rfm"|"prediction";
}

export interface ScoredCustomer__Output {
  /**
   * The customer id.
   */
  'customerId': (string);
  'churn'?: (_loyalty_v1_ChurnPrediction__Output | null);
  'nbo'?: (_loyalty_v1_NboPrediction__Output | null);
  'ltv'?: (_loyalty_v1_LtvPrediction__Output | null);
  'rfm'?: (_loyalty_v1_RfmScores__Output | null);
  /**
   * The answer of the model named in the request.
   */
  'prediction'?: (_loyalty_v1_ModelPrediction__Output | null);
  /**
   * The model version that scored this customer; empty for RFM.
   */
  'modelVersion': (string);
  'score'?: "churn"|"nbo"|"ltv"|"rfm"|"prediction";
}
