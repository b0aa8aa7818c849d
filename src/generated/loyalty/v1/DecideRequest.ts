// Original file: proto/loyalty/v1/decision_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface DecideRequest {
  /**
   * The customer, 1 to 64 characters from [A-Za-z0-9._-].
   */
  'customerId'?: (string);
  /**
   * The time contact caps count back from; unset: now.
   */
  'at'?: (_google_protobuf_Timestamp | null);
  /**
   * Record the recommended action as a contact made at `at` (the caller acts
   * on it), so later decisions count it against the caps.
   */
  'record'?: (boolean);
  /**
   * Reason codes of the recommended action's effect model for this customer
   * (DecideResponse.explanation); FAILED_PRECONDITION when that model's
   * manifest has no background sample.
   */
  'explain'?: (boolean);
}

export interface DecideRequest__Output {
  /**
   * The customer, 1 to 64 characters from [A-Za-z0-9._-].
   */
  'customerId': (string);
  /**
   * The time contact caps count back from; unset: now.
   */
  'at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Record the recommended action as a contact made at `at` (the caller acts
   * on it), so later decisions count it against the caps.
   */
  'record': (boolean);
  /**
   * Reason codes of the recommended action's effect model for this customer
   * (DecideResponse.explanation); FAILED_PRECONDITION when that model's
   * manifest has no background sample.
   */
  'explain': (boolean);
}
