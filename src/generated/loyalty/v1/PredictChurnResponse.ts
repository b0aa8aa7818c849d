// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ChurnResult as _loyalty_v1_ChurnResult, ChurnResult__Output as _loyalty_v1_ChurnResult__Output } from '../../loyalty/v1/ChurnResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictChurnResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_ChurnResult)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictChurnResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_ChurnResult__Output)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
