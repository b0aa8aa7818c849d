// Original file: proto/loyalty/v1/loyalty_service.proto

import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from '../../loyalty/v1/CustomerRef';

export interface GetRfmRequest {
  /**
   * The customers to segment, 1 to the server's maximum batch size. Raw
   * features need recency_days, frequency and monetary (in the store's
   * currency).
   */
  'customers'?: (_loyalty_v1_CustomerRef)[];
}

export interface GetRfmRequest__Output {
  /**
   * The customers to segment, 1 to the server's maximum batch size. Raw
   * features need recency_days, frequency and monetary (in the store's
   * currency).
   */
  'customers': (_loyalty_v1_CustomerRef__Output)[];
}
