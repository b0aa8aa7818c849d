// Original file: proto/loyalty/v1/common.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Where the feature values of a result came from.
 */
export interface FeatureProvenance {
  /**
   * Date (midnight UTC) as of which the features were materialized; unset
   * for raw features supplied by the caller.
   */
  'featuresAsOf'?: (_google_protobuf_Timestamp | null);
}

/**
 * Where the feature values of a result came from.
 */
export interface FeatureProvenance__Output {
  /**
   * Date (midnight UTC) as of which the features were materialized; unset
   * for raw features supplied by the caller.
   */
  'featuresAsOf': (_google_protobuf_Timestamp__Output | null);
}
