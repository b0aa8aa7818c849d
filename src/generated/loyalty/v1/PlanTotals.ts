// Original file: proto/loyalty/v1/decision_service.proto

import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from '../../loyalty/v1/Money';
import type { ActionTotals as _loyalty_v1_ActionTotals, ActionTotals__Output as _loyalty_v1_ActionTotals__Output } from '../../loyalty/v1/ActionTotals';
import type { Long } from '@grpc/proto-loader';

export interface PlanTotals {
  /**
   * Customers of the filter read from the store.
   */
  'considered'?: (number | string | Long);
  /**
   * Customers given an action, treated or control.
   */
  'assigned'?: (number | string | Long);
  'control'?: (number | string | Long);
  /**
   * Over the treated: sum of the probabilities (incremental responses for an
   * uplift model).
   */
  'expectedResponses'?: (number | string);
  'cost'?: (_loyalty_v1_Money | null);
  /**
   * Sum of probability x value over the treated.
   */
  'expectedValue'?: (_loyalty_v1_Money | null);
  'expectedNetValue'?: (_loyalty_v1_Money | null);
  'actions'?: (_loyalty_v1_ActionTotals)[];
}

export interface PlanTotals__Output {
  /**
   * Customers of the filter read from the store.
   */
  'considered': (string);
  /**
   * Customers given an action, treated or control.
   */
  'assigned': (string);
  'control': (string);
  /**
   * Over the treated: sum of the probabilities (incremental responses for an
   * uplift model).
   */
  'expectedResponses': (number);
  'cost': (_loyalty_v1_Money__Output | null);
  /**
   * Sum of probability x value over the treated.
   */
  'expectedValue': (_loyalty_v1_Money__Output | null);
  'expectedNetValue': (_loyalty_v1_Money__Output | null);
  'actions': (_loyalty_v1_ActionTotals__Output)[];
}
