// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ScoreKind as _loyalty_v1_ScoreKind, ScoreKind__Output as _loyalty_v1_ScoreKind__Output } from '../../loyalty/v1/ScoreKind';
import type { CustomerFilter as _loyalty_v1_CustomerFilter, CustomerFilter__Output as _loyalty_v1_CustomerFilter__Output } from '../../loyalty/v1/CustomerFilter';

export interface ScoreCustomersRequest {
  /**
   * What to compute.
   */
  'kind'?: (_loyalty_v1_ScoreKind);
  /**
   * Which customers; empty scores the whole base.
   */
  'filter'?: (_loyalty_v1_CustomerFilter | null);
  /**
   * Customers per streamed message, 1 to 10,000; 0 means 1,000.
   */
  'chunkSize'?: (number);
}

export interface ScoreCustomersRequest__Output {
  /**
   * What to compute.
   */
  'kind': (_loyalty_v1_ScoreKind__Output);
  /**
   * Which customers; empty scores the whole base.
   */
  'filter': (_loyalty_v1_CustomerFilter__Output | null);
  /**
   * Customers per streamed message, 1 to 10,000; 0 means 1,000.
   */
  'chunkSize': (number);
}
