// Original file: proto/loyalty/v1/loyalty_service.proto

import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from '../../loyalty/v1/CustomerRef';

export interface PredictLtvRequest {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers'?: (_loyalty_v1_CustomerRef)[];
}

export interface PredictLtvRequest__Output {
  /**
   * The customers to score, 1 to the server's maximum batch size.
   */
  'customers': (_loyalty_v1_CustomerRef__Output)[];
}
