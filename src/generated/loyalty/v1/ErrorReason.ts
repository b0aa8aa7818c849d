// Original file: proto/loyalty/v1/common.proto

/**
 * Why one item of a batch failed while the rest of the batch succeeded.
 */
export const ErrorReason = {
  /**
   * Not set; never sent by the server.
   */
  ERROR_REASON_UNSPECIFIED: 'ERROR_REASON_UNSPECIFIED',
  /**
   * The customer id is not in the feature store.
   */
  ERROR_REASON_CUSTOMER_NOT_FOUND: 'ERROR_REASON_CUSTOMER_NOT_FOUND',
} as const;

/**
 * Why one item of a batch failed while the rest of the batch succeeded.
 */
export type ErrorReason =
  /**
   * Not set; never sent by the server.
   */
  | 'ERROR_REASON_UNSPECIFIED'
  | 0
  /**
   * The customer id is not in the feature store.
   */
  | 'ERROR_REASON_CUSTOMER_NOT_FOUND'
  | 1

/**
 * Why one item of a batch failed while the rest of the batch succeeded.
 */
export type ErrorReason__Output = typeof ErrorReason[keyof typeof ErrorReason]
