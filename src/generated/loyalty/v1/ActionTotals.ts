// Original file: proto/loyalty/v1/decision_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';
import type { Long } from '@grpc/proto-loader';

export interface ActionTotals {
  'action'?: (string);
  'treated'?: (number | string | Long);
  'control'?: (number | string | Long);
  'cost'?: (_loyalty_v1_Money | null);
  'expectedNetValue'?: (_loyalty_v1_Money | null);
}

export interface ActionTotals__Output {
  'action': (string);
  'treated': (string);
  'control': (string);
  'cost': (_loyalty_v1_Money__Output | null);
  'expectedNetValue': (_loyalty_v1_Money__Output | null);
}
