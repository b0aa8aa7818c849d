// Original file: proto/loyalty/v1/common.proto

import type { RankedItem as _loyalty_v1_RankedItem, RankedItem__Output as _loyalty_v1_RankedItem__Output } from '../../loyalty/v1/RankedItem';

export interface RankingPrediction {
  /**
   * The best items first, top_k of them (all when top_k is 0), without the
   * customer's recent purchases when the model leaves them out.
   */
  'items'?: (_loyalty_v1_RankedItem)[];
  /**
   * How many recent purchases were left out (0 for raw features, which carry
   * no purchase history).
   */
  'excludedRecent'?: (number);
}

export interface RankingPrediction__Output {
  /**
   * The best items first, top_k of them (all when top_k is 0), without the
   * customer's recent purchases when the model leaves them out.
   */
  'items': (_loyalty_v1_RankedItem__Output)[];
  /**
   * How many recent purchases were left out (0 for raw features, which carry
   * no purchase history).
   */
  'excludedRecent': (number);
}
