// Original file: proto/loyalty/v1/common.proto

import type { RankedLabel as _loyalty_v1_RankedLabel, RankedLabel__Output as _loyalty_v1_RankedLabel__Output } from '../../loyalty/v1/RankedLabel';

export interface ClassPrediction {
  /**
   * Labels by descending probability (top_k of them, or all).
   */
  'labels'?: (_loyalty_v1_RankedLabel)[];
}

export interface ClassPrediction__Output {
  /**
   * Labels by descending probability (top_k of them, or all).
   */
  'labels': (_loyalty_v1_RankedLabel__Output)[];
}
