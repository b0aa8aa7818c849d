// Original file: proto/loyalty/v1/model_service.proto


/**
 * One vector of values.
 */
export interface Row {
  /**
   * The values, in the order of the model's input or output names.
   */
  'values'?: (number | string)[];
}

/**
 * One vector of values.
 */
export interface Row__Output {
  /**
   * The values, in the order of the model's input or output names.
   */
  'values': (number)[];
}
