// Original file: proto/loyalty/v1/loyalty_service.proto

/**
 * What ScoreCustomers computes for each customer.
 */
export const ScoreKind = {
  /**
   * Not set; rejected with INVALID_ARGUMENT.
   */
  SCORE_KIND_UNSPECIFIED: 'SCORE_KIND_UNSPECIFIED',
  SCORE_KIND_CHURN: 'SCORE_KIND_CHURN',
  SCORE_KIND_NBO: 'SCORE_KIND_NBO',
  SCORE_KIND_LTV: 'SCORE_KIND_LTV',
  SCORE_KIND_RFM: 'SCORE_KIND_RFM',
} as const;

/**
 * What ScoreCustomers computes for each customer.
 */
export type ScoreKind =
  /**
   * Not set; rejected with INVALID_ARGUMENT.
   */
  | 'SCORE_KIND_UNSPECIFIED'
  | 0
  | 'SCORE_KIND_CHURN'
  | 1
  | 'SCORE_KIND_NBO'
  | 2
  | 'SCORE_KIND_LTV'
  | 3
  | 'SCORE_KIND_RFM'
  | 4

/**
 * What ScoreCustomers computes for each customer.
 */
export type ScoreKind__Output = typeof ScoreKind[keyof typeof ScoreKind]
