// Original file: proto/loyalty/v1/loyalty_service.proto

import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from '../../loyalty/v1/CustomerRef';

export interface PredictNboRequest {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers'?: (_loyalty_v1_CustomerRef)[];
  /**
   * How many offers to return per customer, best first; 0 returns all.
   */
  'topK'?: (number);
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain'?: (boolean);
}

export interface PredictNboRequest__Output {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers': (_loyalty_v1_CustomerRef__Output)[];
  /**
   * How many offers to return per customer, best first; 0 returns all.
   */
  'topK': (number);
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain': (boolean);
}
