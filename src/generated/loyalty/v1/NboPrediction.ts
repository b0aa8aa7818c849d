// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RankedOffer as _loyalty_v1_RankedOffer, RankedOffer__Output as _loyalty_v1_RankedOffer__Output } from '../../loyalty/v1/RankedOffer';

export interface NboPrediction {
  /**
   * Offers by descending probability.
   */
  'offers'?: (_loyalty_v1_RankedOffer)[];
}

export interface NboPrediction__Output {
  /**
   * Offers by descending probability.
   */
  'offers': (_loyalty_v1_RankedOffer__Output)[];
}
