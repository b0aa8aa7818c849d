// Original file: proto/loyalty/v1/decision_service.proto

import type { PlannedContact as _loyalty_v1_PlannedContact, PlannedContact__Output as _loyalty_v1_PlannedContact__Output } from '../../loyalty/v1/PlannedContact';
import type { PlanTotals as _loyalty_v1_PlanTotals, PlanTotals__Output as _loyalty_v1_PlanTotals__Output } from '../../loyalty/v1/PlanTotals';

export interface PlanCampaignResponse {
  /**
   * A chunk of the plan, in customer id order.
   */
  'contacts'?: (_loyalty_v1_PlannedContact)[];
  /**
   * Set on the last message only.
   */
  'totals'?: (_loyalty_v1_PlanTotals | null);
}

export interface PlanCampaignResponse__Output {
  /**
   * A chunk of the plan, in customer id order.
   */
  'contacts': (_loyalty_v1_PlannedContact__Output)[];
  /**
   * Set on the last message only.
   */
  'totals': (_loyalty_v1_PlanTotals__Output | null);
}
