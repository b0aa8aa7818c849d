// Original file: proto/loyalty/v1/common.proto

import type { RawFeatures as _loyalty_v1_RawFeatures, RawFeatures__Output as _loyalty_v1_RawFeatures__Output } from '../../loyalty/v1/RawFeatures';

/**
 * The subject of one prediction: a customer of the feature store, or feature
 * values supplied by the caller for a customer the store does not hold.
 */
export interface CustomerRef {
  /**
   * Id of a customer in the feature store: 1 to 64 characters from
   * [A-Za-z0-9._-].
   */
  'customerId'?: (string);
  /**
   * Feature values for a customer that is not in the store.
   */
  'features'?: (_loyalty_v1_RawFeatures | null);
  'subject'?: "customerId"|"features";
}

/**
 * The subject of one prediction: a customer of the feature store, or feature
 * values supplied by the caller for a customer the store does not hold.
 */
export interface CustomerRef__Output {
  /**
   * Id of a customer in the feature store: 1 to 64 characters from
   * [A-Za-z0-9._-].
   */
  'customerId'?: (string);
  /**
   * Feature values for a customer that is not in the store.
   */
  'features'?: (_loyalty_v1_RawFeatures__Output | null);
  'subject'?: "customerId"|"features";
}
