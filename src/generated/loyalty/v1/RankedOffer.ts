// Original file: proto/loyalty/v1/loyalty_service.proto


export interface RankedOffer {
  /**
   * Stable offer code from the model's manifest, e.g. "DATA_BOOST".
   */
  'offerCode'?: (string);
  /**
   * Display name of the offer.
   */
  'offerName'?: (string);
  /**
   * Probability that this is the offer the customer accepts, 0 to 1.
   */
  'probability'?: (number | string);
  /**
   * 1 for the best offer.
   */
  'rank'?: (number);
}

export interface RankedOffer__Output {
  /**
   * Stable offer code from the model's manifest, e.g. "DATA_BOOST".
   */
  'offerCode': (string);
  /**
   * Display name of the offer.
   */
  'offerName': (string);
  /**
   * Probability that this is the offer the customer accepts, 0 to 1.
   */
  'probability': (number);
  /**
   * 1 for the best offer.
   */
  'rank': (number);
}
