// Original file: proto/loyalty/v1/common.proto


/**
 * Names one version of one model.
 */
export interface ModelRef {
  /**
   * Model name, the folder name under models/ (e.g. "churn").
   */
  'name'?: (string);
  /**
   * Model version, the folder name under models/<name>/ (e.g. "1").
   */
  'version'?: (string);
}

/**
 * Names one version of one model.
 */
export interface ModelRef__Output {
  /**
   * Model name, the folder name under models/ (e.g. "churn").
   */
  'name': (string);
  /**
   * Model version, the folder name under models/<name>/ (e.g. "1").
   */
  'version': (string);
}
