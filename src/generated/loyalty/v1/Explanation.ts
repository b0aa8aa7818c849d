// Original file: proto/loyalty/v1/common.proto

import type { Reason as _loyalty_v1_Reason, Reason__Output as _loyalty_v1_Reason__Output } from '../../loyalty/v1/Reason';

/**
 * Why the model gave this customer its score (requests with explain = true):
 * Shapley values of the explained score against the background rows the
 * training pipeline stored in the model's manifest, estimated by antithetic
 * permutation sampling on the inference workers (README, Reason codes). The
 * contributions of all inputs sum to value - base_value.
 */
export interface Explanation {
  /**
   * What is explained: the label of a binary model, the top class, the top
   * item served, or the model name of a regression.
   */
  'target'?: (string);
  /**
   * The explained score: the probability, the top class's probability, the
   * top item's score, or the served value.
   */
  'value'?: (number | string);
  /**
   * The mean of that score over the model's background sample.
   */
  'baseValue'?: (number | string);
  /**
   * The features that raised the score most (largest first), then those that
   * lowered it most: up to three each.
   */
  'reasons'?: (_loyalty_v1_Reason)[];
  /**
   * Model rows evaluated for this explanation (its cost).
   */
  'evaluations'?: (number);
  /**
   * Every input's contribution, in the model's input order (GetModelMetadata's
   * input_names); they sum to value - base_value.
   */
  'contributions'?: (number | string)[];
}

/**
 * Why the model gave this customer its score (requests with explain = true):
 * Shapley values of the explained score against the background rows the
 * training pipeline stored in the model's manifest, estimated by antithetic
 * permutation sampling on the inference workers (README, Reason codes). The
 * contributions of all inputs sum to value - base_value.
 */
export interface Explanation__Output {
  /**
   * What is explained: the label of a binary model, the top class, the top
   * item served, or the model name of a regression.
   */
  'target': (string);
  /**
   * The explained score: the probability, the top class's probability, the
   * top item's score, or the served value.
   */
  'value': (number);
  /**
   * The mean of that score over the model's background sample.
   */
  'baseValue': (number);
  /**
   * The features that raised the score most (largest first), then those that
   * lowered it most: up to three each.
   */
  'reasons': (_loyalty_v1_Reason__Output)[];
  /**
   * Model rows evaluated for this explanation (its cost).
   */
  'evaluations': (number);
  /**
   * Every input's contribution, in the model's input order (GetModelMetadata's
   * input_names); they sum to value - base_value.
   */
  'contributions': (number)[];
}
