// Original file: proto/loyalty/v1/loyalty_service.proto

import type { RfmScores as _loyalty_v1_RfmScores, RfmScores__Output as _loyalty_v1_RfmScores__Output } from '../../loyalty/v1/RfmScores';
import type { ItemError as _loyalty_v1_ItemError, ItemError__Output as _loyalty_v1_ItemError__Output } from '../../loyalty/v1/ItemError';
import type { FeatureProvenance as _loyalty_v1_FeatureProvenance, FeatureProvenance__Output as _loyalty_v1_FeatureProvenance__Output } from '../../loyalty/v1/FeatureProvenance';

export interface RfmResult {
  /**
   * The customer id, or the reference of raw features.
   */
  'customerId'?: (string);
  /**
   * The scores, when the customer could be segmented.
   */
  'rfm'?: (_loyalty_v1_RfmScores | null);
  /**
   * Why this customer could not be segmented.
   */
  'error'?: (_loyalty_v1_ItemError | null);
  /**
   * Where the raw values came from.
   */
  'provenance'?: (_loyalty_v1_FeatureProvenance | null);
  'outcome'?: "rfm"|"error";
}

export interface RfmResult__Output {
  /**
   * The customer id, or the reference of raw features.
   */
  'customerId': (string);
  /**
   * The scores, when the customer could be segmented.
   */
  'rfm'?: (_loyalty_v1_RfmScores__Output | null);
  /**
   * Why this customer could not be segmented.
   */
  'error'?: (_loyalty_v1_ItemError__Output | null);
  /**
   * Where the raw values came from.
   */
  'provenance': (_loyalty_v1_FeatureProvenance__Output | null);
  'outcome'?: "rfm"|"error";
}
