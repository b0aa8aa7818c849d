// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ScoredCustomer as _loyalty_v1_ScoredCustomer, ScoredCustomer__Output as _loyalty_v1_ScoredCustomer__Output } from '../../loyalty/v1/ScoredCustomer';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';

export interface ScoreCustomersResponse {
  /**
   * The scored customers of this chunk, in customer id order.
   */
  'customers'?: (_loyalty_v1_ScoredCustomer)[];
  /**
   * The version that answers calls naming none (each customer names its own, which differs for
   * the customers of a canary); unset for RFM.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
}

export interface ScoreCustomersResponse__Output {
  /**
   * The scored customers of this chunk, in customer id order.
   */
  'customers': (_loyalty_v1_ScoredCustomer__Output)[];
  /**
   * The version that answers calls naming none (each customer names its own, which differs for
   * the customers of a canary); unset for RFM.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
}
