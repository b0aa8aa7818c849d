// Original file: proto/loyalty/v1/decision_service.proto

import type { RfmSegment as _loyalty_v1_RfmSegment, RfmSegment__Output as _loyalty_v1_RfmSegment__Output } from '../../loyalty/v1/RfmSegment';
import type { Long } from '@grpc/proto-loader';

export interface CampaignLift {
  'campaign'?: (string);
  /**
   * Unset for the whole campaign.
   */
  'segment'?: (_loyalty_v1_RfmSegment);
  'treatedCustomers'?: (number | string | Long);
  'treatedResponders'?: (number | string | Long);
  'controlCustomers'?: (number | string | Long);
  'controlResponders'?: (number | string | Long);
  'treatedRate'?: (number | string);
  'controlRate'?: (number | string);
  /**
   * treated_rate - control_rate, with its 95% interval.
   */
  'lift'?: (number | string);
  'liftLow'?: (number | string);
  'liftHigh'?: (number | string);
}

export interface CampaignLift__Output {
  'campaign': (string);
  /**
   * Unset for the whole campaign.
   */
  'segment': (_loyalty_v1_RfmSegment__Output);
  'treatedCustomers': (string);
  'treatedResponders': (string);
  'controlCustomers': (string);
  'controlResponders': (string);
  'treatedRate': (number);
  'controlRate': (number);
  /**
   * treated_rate - control_rate, with its 95% interval.
   */
  'lift': (number);
  'liftLow': (number);
  'liftHigh': (number);
}
