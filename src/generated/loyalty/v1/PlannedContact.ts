// Original file: proto/loyalty/v1/decision_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';

export interface PlannedContact {
  'customerId'?: (string);
  'action'?: (string);
  'probability'?: (number | string);
  'expectedNetValue'?: (_loyalty_v1_Money | null);
  'cost'?: (_loyalty_v1_Money | null);
  /**
   * True for the control group: keep them out of the campaign, to measure it.
   */
  'control'?: (boolean);
}

export interface PlannedContact__Output {
  'customerId': (string);
  'action': (string);
  'probability': (number);
  'expectedNetValue': (_loyalty_v1_Money__Output | null);
  'cost': (_loyalty_v1_Money__Output | null);
  /**
   * True for the control group: keep them out of the campaign, to measure it.
   */
  'control': (boolean);
}
