// Original file: proto/loyalty/v1/loyalty_service.proto

import type { LtvResult as _loyalty_v1_LtvResult, LtvResult__Output as _loyalty_v1_LtvResult__Output } from '../../loyalty/v1/LtvResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictLtvResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_LtvResult)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictLtvResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_LtvResult__Output)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
