// Original file: proto/loyalty/v1/common.proto


/**
 * What a contact (a campaign, an offer) changes for one customer: the probability
 * of the response if contacted, if not, and their difference.
 */
export interface UpliftPrediction {
  /**
   * treated_probability - untreated_probability, -1 to 1: the incremental
   * probability a contact buys (negative for a customer a contact puts off).
   */
  'uplift'?: (number | string);
  /**
   * Probability of the response when contacted, 0 to 1.
   */
  'treatedProbability'?: (number | string);
  /**
   * Probability of the response when not contacted, 0 to 1.
   */
  'untreatedProbability'?: (number | string);
}

/**
 * What a contact (a campaign, an offer) changes for one customer: the probability
 * of the response if contacted, if not, and their difference.
 */
export interface UpliftPrediction__Output {
  /**
   * treated_probability - untreated_probability, -1 to 1: the incremental
   * probability a contact buys (negative for a customer a contact puts off).
   */
  'uplift': (number);
  /**
   * Probability of the response when contacted, 0 to 1.
   */
  'treatedProbability': (number);
  /**
   * Probability of the response when not contacted, 0 to 1.
   */
  'untreatedProbability': (number);
}
