// Original file: proto/loyalty/v1/model_service.proto

import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';
import type { CustomerPrediction as _loyalty_v1_CustomerPrediction, CustomerPrediction__Output as _loyalty_v1_CustomerPrediction__Output } from '../../loyalty/v1/CustomerPrediction';

export interface PredictCustomersResponse {
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_CustomerPrediction)[];
}

export interface PredictCustomersResponse__Output {
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_CustomerPrediction__Output)[];
}
