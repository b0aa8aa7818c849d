// Original file: proto/loyalty/v1/common.proto


export interface RankedItem {
  /**
   * The item's code, e.g. a product code.
   */
  'code'?: (string);
  /**
   * Its display name.
   */
  'name'?: (string);
  /**
   * The model's score, 0 to 1 (a per-item purchase probability).
   */
  'score'?: (number | string);
  /**
   * 1 for the best.
   */
  'rank'?: (number);
}

export interface RankedItem__Output {
  /**
   * The item's code, e.g. a product code.
   */
  'code': (string);
  /**
   * Its display name.
   */
  'name': (string);
  /**
   * The model's score, 0 to 1 (a per-item purchase probability).
   */
  'score': (number);
  /**
   * 1 for the best.
   */
  'rank': (number);
}
