// Original file: proto/loyalty/v1/common.proto

import type { BinaryPrediction as _loyalty_v1_BinaryPrediction, BinaryPrediction__Output as _loyalty_v1_BinaryPrediction__Output } from '../../loyalty/v1/BinaryPrediction';
import type { ClassPrediction as _loyalty_v1_ClassPrediction, ClassPrediction__Output as _loyalty_v1_ClassPrediction__Output } from '../../loyalty/v1/ClassPrediction';
import type { RegressionPrediction as _loyalty_v1_RegressionPrediction, RegressionPrediction__Output as _loyalty_v1_RegressionPrediction__Output } from '../../loyalty/v1/RegressionPrediction';
import type { RankingPrediction as _loyalty_v1_RankingPrediction, RankingPrediction__Output as _loyalty_v1_RankingPrediction__Output } from '../../loyalty/v1/RankingPrediction';
import type { UpliftPrediction as _loyalty_v1_UpliftPrediction, UpliftPrediction__Output as _loyalty_v1_UpliftPrediction__Output } from '../../loyalty/v1/UpliftPrediction';

/**
 * A model's answer for one customer, as its output kind says.
 */
export interface ModelPrediction {
  /**
   * OUTPUT_KIND_BINARY_PROBABILITY.
   */
  'binary'?: (_loyalty_v1_BinaryPrediction | null);
  /**
   * OUTPUT_KIND_CLASS_PROBABILITIES.
   */
  'classes'?: (_loyalty_v1_ClassPrediction | null);
  /**
   * OUTPUT_KIND_REGRESSION.
   */
  'regression'?: (_loyalty_v1_RegressionPrediction | null);
  /**
   * OUTPUT_KIND_RANKING.
   */
  'ranking'?: (_loyalty_v1_RankingPrediction | null);
  /**
   * OUTPUT_KIND_UPLIFT.
   */
  'uplift'?: (_loyalty_v1_UpliftPrediction | null);
  'value'?: "binary"|"classes"|"regression"|"ranking"|"uplift";
}

/**
 * A model's answer for one customer, as its output kind says.
 */
export interface ModelPrediction__Output {
  /**
   * OUTPUT_KIND_BINARY_PROBABILITY.
   */
  'binary'?: (_loyalty_v1_BinaryPrediction__Output | null);
  /**
   * OUTPUT_KIND_CLASS_PROBABILITIES.
   */
  'classes'?: (_loyalty_v1_ClassPrediction__Output | null);
  /**
   * OUTPUT_KIND_REGRESSION.
   */
  'regression'?: (_loyalty_v1_RegressionPrediction__Output | null);
  /**
   * OUTPUT_KIND_RANKING.
   */
  'ranking'?: (_loyalty_v1_RankingPrediction__Output | null);
  /**
   * OUTPUT_KIND_UPLIFT.
   */
  'uplift'?: (_loyalty_v1_UpliftPrediction__Output | null);
  'value'?: "binary"|"classes"|"regression"|"ranking"|"uplift";
}
