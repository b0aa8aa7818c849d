// Original file: proto/loyalty/v1/model_service.proto

import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';
import type { CustomerPrediction as _loyalty_v1_CustomerPrediction, CustomerPrediction__Output as _loyalty_v1_CustomerPrediction__Output } from '../../loyalty/v1/CustomerPrediction';

export interface PredictCustomersResponse {
  /**
   * The model version that produced every prediction of this response.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_CustomerPrediction)[];
}

export interface PredictCustomersResponse__Output {
  /**
   * The model version that produced every prediction of this response.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_CustomerPrediction__Output)[];
}
