// Original file: proto/loyalty/v1/loyalty_service.proto

import type { LtvPrediction as _loyalty_v1_LtvPrediction, LtvPrediction__Output as _loyalty_v1_LtvPrediction__Output } from '../../loyalty/v1/LtvPrediction';
import type { ItemError as _loyalty_v1_ItemError, ItemError__Output as _loyalty_v1_ItemError__Output } from '../../loyalty/v1/ItemError';
import type { FeatureProvenance as _loyalty_v1_FeatureProvenance, FeatureProvenance__Output as _loyalty_v1_FeatureProvenance__Output } from '../../loyalty/v1/FeatureProvenance';
import type { Explanation as _loyalty_v1_Explanation, Explanation__Output as _loyalty_v1_Explanation__Output } from '../../loyalty/v1/Explanation';

export interface LtvResult {
  /**
   * The customer id, or the reference of raw features.
   */
  'customerId'?: (string);
  /**
   * The predicted value, when the customer could be scored.
   */
  'prediction'?: (_loyalty_v1_LtvPrediction | null);
  /**
   * Why this customer could not be scored.
   */
  'error'?: (_loyalty_v1_ItemError | null);
  /**
   * Where the features came from.
   */
  'provenance'?: (_loyalty_v1_FeatureProvenance | null);
  /**
   * The model version that scored this customer: the response's version, or the canary's
   * for the customers of a canary share (see models/serving-policy.json).
   */
  'modelVersion'?: (string);
  /**
   * Why, when the request asked to explain.
   */
  'explanation'?: (_loyalty_v1_Explanation | null);
  'outcome'?: "prediction"|"error";
}

export interface LtvResult__Output {
  /**
   * The customer id, or the reference of raw features.
   */
  'customerId': (string);
  /**
   * The predicted value, when the customer could be scored.
   */
  'prediction'?: (_loyalty_v1_LtvPrediction__Output | null);
  /**
   * Why this customer could not be scored.
   */
  'error'?: (_loyalty_v1_ItemError__Output | null);
  /**
   * Where the features came from.
   */
  'provenance': (_loyalty_v1_FeatureProvenance__Output | null);
  /**
   * The model version that scored this customer: the response's version, or the canary's
   * for the customers of a canary share (see models/serving-policy.json).
   */
  'modelVersion': (string);
  /**
   * Why, when the request asked to explain.
   */
  'explanation': (_loyalty_v1_Explanation__Output | null);
  'outcome'?: "prediction"|"error";
}
