// Original file: proto/loyalty/v1/common.proto

import type { ErrorReason as _loyalty_v1_ErrorReason, ErrorReason__Output as _loyalty_v1_ErrorReason__Output } from '../../loyalty/v1/ErrorReason';

/**
 * The error of one item in a batch. Malformed input (an empty or over-long id,
 * missing or non-finite feature values) fails the whole call with
 * INVALID_ARGUMENT instead, naming the offending item.
 */
export interface ItemError {
  /**
   * Numeric google.rpc.Code, as the whole call would have failed with it
   * (5 = NOT_FOUND, 9 = FAILED_PRECONDITION).
   */
  'code'?: (number);
  /**
   * Machine-readable reason.
   */
  'reason'?: (_loyalty_v1_ErrorReason);
  /**
   * Human-readable explanation: what was wrong and what is accepted.
   */
  'message'?: (string);
}

/**
 * The error of one item in a batch. Malformed input (an empty or over-long id,
 * missing or non-finite feature values) fails the whole call with
 * INVALID_ARGUMENT instead, naming the offending item.
 */
export interface ItemError__Output {
  /**
   * Numeric google.rpc.Code, as the whole call would have failed with it
   * (5 = NOT_FOUND, 9 = FAILED_PRECONDITION).
   */
  'code': (number);
  /**
   * Machine-readable reason.
   */
  'reason': (_loyalty_v1_ErrorReason__Output);
  /**
   * Human-readable explanation: what was wrong and what is accepted.
   */
  'message': (string);
}
