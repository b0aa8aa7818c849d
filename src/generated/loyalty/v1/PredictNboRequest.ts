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
}
