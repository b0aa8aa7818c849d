// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RfmResult as _loyalty_v1_RfmResult, RfmResult__Output as _loyalty_v1_RfmResult__Output } from '../../loyalty/v1/RfmResult';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface GetRfmResponse {
  /**
   * One result per requested customer, in request order.
   */
  'results'?: (_loyalty_v1_RfmResult)[];
  /**
   * Date (midnight UTC) of the quintile thresholds used for scoring.
   */
  'thresholdsAsOf'?: (_google_protobuf_Timestamp | null);
}

export interface GetRfmResponse__Output {
  /**
   * One result per requested customer, in request order.
   */
  'results': (_loyalty_v1_RfmResult__Output)[];
  /**
   * Date (midnight UTC) of the quintile thresholds used for scoring.
   */
  'thresholdsAsOf': (_google_protobuf_Timestamp__Output | null);
}
