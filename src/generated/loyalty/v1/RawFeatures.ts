// Original file: proto/loyalty/v1/common.proto


/**
 * Feature values given by the caller instead of read from the feature store.
 */
export interface RawFeatures {
  /**
   * Caller's own key for this row, echoed in the result (optional, at most 64
   * characters).
   */
  'reference'?: (string);
  /**
   * Feature values by name. The names a model needs are listed by
   * ModelService.GetModelMetadata; GetRfm needs recency_days, frequency and
   * monetary. Values must be finite.
   */
  'values'?: ({[key: string]: number | string});
}

/**
 * Feature values given by the caller instead of read from the feature store.
 */
export interface RawFeatures__Output {
  /**
   * Caller's own key for this row, echoed in the result (optional, at most 64
   * characters).
   */
  'reference': (string);
  /**
   * Feature values by name. The names a model needs are listed by
   * ModelService.GetModelMetadata; GetRfm needs recency_days, frequency and
   * monetary. Values must be finite.
   */
  'values': ({[key: string]: number});
}
