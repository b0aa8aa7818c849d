// Original file: proto/loyalty/v1/model_service.proto


export interface GetModelMetadataRequest {
  /**
   * Model name.
   */
  'name'?: (string);
  /**
   * Model version; empty means the version being served.
   */
  'version'?: (string);
}

export interface GetModelMetadataRequest__Output {
  /**
   * Model name.
   */
  'name': (string);
  /**
   * Model version; empty means the version being served.
   */
  'version': (string);
}
