// Original file: proto/loyalty/v1/common.proto


/**
 * One feature's part in a score.
 */
export interface Reason {
  /**
   * Input name, as GetModelMetadata lists it.
   */
  'feature'?: (string);
  /**
   * The customer's value, as served.
   */
  'value'?: (number | string);
  /**
   * The feature's median at training time (unset when the manifest has no
   * reference distributions).
   */
  'typical'?: (number | string);
  /**
   * How much this feature moved the score from base_value (signed).
   */
  'contribution'?: (number | string);
  /**
   * The same in words, e.g. "days since the last purchase: 74 (typical: 12)
   * raises the churn probability by 0.081".
   */
  'phrase'?: (string);
  '_typical'?: "typical";
}

/**
 * One feature's part in a score.
 */
export interface Reason__Output {
  /**
   * Input name, as GetModelMetadata lists it.
   */
  'feature': (string);
  /**
   * The customer's value, as served.
   */
  'value': (number);
  /**
   * The feature's median at training time (unset when the manifest has no
   * reference distributions).
   */
  'typical'?: (number);
  /**
   * How much this feature moved the score from base_value (signed).
   */
  'contribution': (number);
  /**
   * The same in words, e.g. "days since the last purchase: 74 (typical: 12)
   * raises the churn probability by 0.081".
   */
  'phrase': (string);
  '_typical'?: "typical";
}
