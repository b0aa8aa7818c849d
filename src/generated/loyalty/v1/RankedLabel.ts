// Original file: proto/loyalty/v1/common.proto


export interface RankedLabel {
  /**
   * The label's code, e.g. an offer code.
   */
  'code'?: (string);
  /**
   * Its display name.
   */
  'name'?: (string);
  /**
   * Its probability, 0 to 1.
   */
  'probability'?: (number | string);
  /**
   * 1 for the most probable.
   */
  'rank'?: (number);
}

export interface RankedLabel__Output {
  /**
   * The label's code, e.g. an offer code.
   */
  'code': (string);
  /**
   * Its display name.
   */
  'name': (string);
  /**
   * Its probability, 0 to 1.
   */
  'probability': (number);
  /**
   * 1 for the most probable.
   */
  'rank': (number);
}
