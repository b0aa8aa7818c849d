// Original file: proto/loyalty/v1/decision_service.proto


export interface GetCampaignOutcomesRequest {
  /**
   * 1 to 100 campaign codes of the store's campaign history.
   */
  'campaigns'?: (string)[];
  /**
   * Also per current RFM segment of the customers.
   */
  'bySegment'?: (boolean);
}

export interface GetCampaignOutcomesRequest__Output {
  /**
   * 1 to 100 campaign codes of the store's campaign history.
   */
  'campaigns': (string)[];
  /**
   * Also per current RFM segment of the customers.
   */
  'bySegment': (boolean);
}
