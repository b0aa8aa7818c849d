// Original file: proto/loyalty/v1/common.proto

/**
 * Risk band of a binary probability (churn, default risk, ...), cut by the
 * thresholds in the model's manifest.
 */
export const RiskBand = {
  /**
   * Not set; never sent by the server.
   */
  RISK_BAND_UNSPECIFIED: 'RISK_BAND_UNSPECIFIED',
  /**
   * Probability below the medium threshold.
   */
  RISK_BAND_LOW: 'RISK_BAND_LOW',
  /**
   * Probability from the medium threshold up to the high threshold.
   */
  RISK_BAND_MEDIUM: 'RISK_BAND_MEDIUM',
  /**
   * Probability at or above the high threshold.
   */
  RISK_BAND_HIGH: 'RISK_BAND_HIGH',
} as const;

/**
 * Risk band of a binary probability (churn, default risk, ...), cut by the
 * thresholds in the model's manifest.
 */
export type RiskBand =
  /**
   * Not set; never sent by the server.
   */
  | 'RISK_BAND_UNSPECIFIED'
  | 0
  /**
   * Probability below the medium threshold.
   */
  | 'RISK_BAND_LOW'
  | 1
  /**
   * Probability from the medium threshold up to the high threshold.
   */
  | 'RISK_BAND_MEDIUM'
  | 2
  /**
   * Probability at or above the high threshold.
   */
  | 'RISK_BAND_HIGH'
  | 3

/**
 * Risk band of a binary probability (churn, default risk, ...), cut by the
 * thresholds in the model's manifest.
 */
export type RiskBand__Output = typeof RiskBand[keyof typeof RiskBand]
