// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ChurnResult as _loyalty_v1_ChurnResult, ChurnResult__Output as _loyalty_v1_ChurnResult__Output } from '../../loyalty/v1/ChurnResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictChurnResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_ChurnResult)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictChurnResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_ChurnResult__Output)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
