// Original file: proto/loyalty/v1/loyalty_service.proto

import type { NboResult as _loyalty_v1_NboResult, NboResult__Output as _loyalty_v1_NboResult__Output } from '../../loyalty/v1/NboResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictNboResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_NboResult)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictNboResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_NboResult__Output)[];
  /**
   * The model version that produced every prediction of this response.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
