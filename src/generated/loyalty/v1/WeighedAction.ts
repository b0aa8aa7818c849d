// Original file: proto/loyalty/v1/decision_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';

export interface WeighedAction {
  'action'?: (string);
  'name'?: (string);
  'channel'?: (string);
  /**
   * The effect model's probability: incremental (uplift model) or of acceptance.
   */
  'probability'?: (number | string);
  /**
   * Value of a response.
   */
  'value'?: (_loyalty_v1_Money | null);
  /**
   * Cost of the contact.
   */
  'cost'?: (_loyalty_v1_Money | null);
  /**
   * probability x value - cost.
   */
  'expectedNetValue'?: (_loyalty_v1_Money | null);
  /**
   * Empty when eligible; else the reason codes of what excludes it: SEGMENT,
   * TIER, FEATURE:<name>, QUIET_PERIOD, CAP:<channel>:<max>/<days>d,
   * MODEL_UNAVAILABLE.
   */
  'excludedBy'?: (string)[];
}

export interface WeighedAction__Output {
  'action': (string);
  'name': (string);
  'channel': (string);
  /**
   * The effect model's probability: incremental (uplift model) or of acceptance.
   */
  'probability': (number);
  /**
   * Value of a response.
   */
  'value': (_loyalty_v1_Money__Output | null);
  /**
   * Cost of the contact.
   */
  'cost': (_loyalty_v1_Money__Output | null);
  /**
   * probability x value - cost.
   */
  'expectedNetValue': (_loyalty_v1_Money__Output | null);
  /**
   * Empty when eligible; else the reason codes of what excludes it: SEGMENT,
   * TIER, FEATURE:<name>, QUIET_PERIOD, CAP:<channel>:<max>/<days>d,
   * MODEL_UNAVAILABLE.
   */
  'excludedBy': (string)[];
}
