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
   * The customer id is not in the feature store, or has no row in a feature
   * view the model reads (the message names the view).
   */
  ERROR_REASON_CUSTOMER_NOT_FOUND: 'ERROR_REASON_CUSTOMER_NOT_FOUND',
  /**
   * The customer's row of a feature view has no value for a feature the model
   * reads and the view declares no default for it (code 9 = FAILED_PRECONDITION).
   */
  ERROR_REASON_FEATURE_VALUE_MISSING: 'ERROR_REASON_FEATURE_VALUE_MISSING',
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
   * The customer id is not in the feature store, or has no row in a feature
   * view the model reads (the message names the view).
   */
  | 'ERROR_REASON_CUSTOMER_NOT_FOUND'
  | 1
  /**
   * The customer's row of a feature view has no value for a feature the model
   * reads and the view declares no default for it (code 9 = FAILED_PRECONDITION).
   */
  | 'ERROR_REASON_FEATURE_VALUE_MISSING'
  | 2

/**
 * Why one item of a batch failed while the rest of the batch succeeded.
 */
export type ErrorReason__Output = typeof ErrorReason[keyof typeof ErrorReason]
