// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RfmSegment as _loyalty_v1_RfmSegment, RfmSegment__Output as _loyalty_v1_RfmSegment__Output } from '../../loyalty/v1/RfmSegment';

/**
 * Selects customers of the base. Conditions of different fields all apply;
 * values of one field are alternatives.
 */
export interface CustomerFilter {
  /**
   * Only customers currently in one of these RFM segments.
   */
  'segments'?: (_loyalty_v1_RfmSegment)[];
  /**
   * Only customers of one of these loyalty tiers (e.g. "gold").
   */
  'tiers'?: (string)[];
}

/**
 * Selects customers of the base. Conditions of different fields all apply;
 * values of one field are alternatives.
 */
export interface CustomerFilter__Output {
  /**
   * Only customers currently in one of these RFM segments.
   */
  'segments': (_loyalty_v1_RfmSegment__Output)[];
  /**
   * Only customers of one of these loyalty tiers (e.g. "gold").
   */
  'tiers': (string)[];
}
