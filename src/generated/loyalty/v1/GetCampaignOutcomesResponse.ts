// Original file: proto/loyalty/v1/decision_service.proto

import type { CampaignLift as _loyalty_v1_CampaignLift, CampaignLift__Output as _loyalty_v1_CampaignLift__Output } from '../../loyalty/v1/CampaignLift';

export interface GetCampaignOutcomesResponse {
  /**
   * Per campaign (segment unset), then per campaign and segment when asked.
   */
  'lifts'?: (_loyalty_v1_CampaignLift)[];
}

export interface GetCampaignOutcomesResponse__Output {
  /**
   * Per campaign (segment unset), then per campaign and segment when asked.
   */
  'lifts': (_loyalty_v1_CampaignLift__Output)[];
}
