// Original file: proto/loyalty/v1/decision_service.proto

import type { RfmSegment as _loyalty_v1_RfmSegment, RfmSegment__Output as _loyalty_v1_RfmSegment__Output } from '../../loyalty/v1/RfmSegment';
import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface PlanCampaignRequest {
  /**
   * Customers of these segments/tiers only (empty: all).
   */
  'segments'?: (_loyalty_v1_RfmSegment)[];
  'tiers'?: (string)[];
  /**
   * The most the treated customers' contacts may cost, in the catalogue's currency.
   */
  'budget'?: (_loyalty_v1_Money | null);
  /**
   * Per action code, the most customers it may be given; actions not named
   * have no limit.
   */
  'capacities'?: ({[key: string]: number});
  /**
   * Share of the assigned customers kept as a random control group, 0 to 0.5.
   */
  'controlShare'?: (number | string);
  /**
   * Names the plan (1 to 64 of [A-Za-z0-9._-]); the control group is a draw
   * seeded by it, so the same id gives the same group.
   */
  'planId'?: (string);
  /**
   * The time contact caps count back from; unset: now.
   */
  'at'?: (_google_protobuf_Timestamp | null);
  /**
   * Record the treated customers' actions as contacts made at `at`.
   */
  'record'?: (boolean);
}

export interface PlanCampaignRequest__Output {
  /**
   * Customers of these segments/tiers only (empty: all).
   */
  'segments': (_loyalty_v1_RfmSegment__Output)[];
  'tiers': (string)[];
  /**
   * The most the treated customers' contacts may cost, in the catalogue's currency.
   */
  'budget': (_loyalty_v1_Money__Output | null);
  /**
   * Per action code, the most customers it may be given; actions not named
   * have no limit.
   */
  'capacities': ({[key: string]: number});
  /**
   * Share of the assigned customers kept as a random control group, 0 to 0.5.
   */
  'controlShare': (number);
  /**
   * Names the plan (1 to 64 of [A-Za-z0-9._-]); the control group is a draw
   * seeded by it, so the same id gives the same group.
   */
  'planId': (string);
  /**
   * The time contact caps count back from; unset: now.
   */
  'at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Record the treated customers' actions as contacts made at `at`.
   */
  'record': (boolean);
}
