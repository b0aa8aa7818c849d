// Original file: proto/loyalty/v1/loyalty_service.proto

import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from '../../loyalty/v1/CustomerRef';

export interface PredictLtvRequest {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers'?: (_loyalty_v1_CustomerRef)[];
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain'?: (boolean);
}

export interface PredictLtvRequest__Output {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers': (_loyalty_v1_CustomerRef__Output)[];
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain': (boolean);
}
