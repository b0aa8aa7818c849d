// Original file: proto/loyalty/v1/loyalty_service.proto

import type { LtvResult as _loyalty_v1_LtvResult, LtvResult__Output as _loyalty_v1_LtvResult__Output } from '../../loyalty/v1/LtvResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictLtvResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_LtvResult)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictLtvResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_LtvResult__Output)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
