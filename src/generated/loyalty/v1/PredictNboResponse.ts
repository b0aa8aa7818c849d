// Original file: proto/loyalty/v1/loyalty_service.proto

import type { NboResult as _loyalty_v1_NboResult, NboResult__Output as _loyalty_v1_NboResult__Output } from '../../loyalty/v1/NboResult';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface PredictNboResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_NboResult)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface PredictNboResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_NboResult__Output)[];
  /**
   * The version that answers calls naming none (the policy's default); each result names the
   * version that scored it, which differs for the customers of a canary.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
