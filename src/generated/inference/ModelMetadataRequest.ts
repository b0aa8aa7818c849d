// Original file: proto/inference/open_inference_grpc.proto


export interface ModelMetadataRequest {
  'name'?: (string);
  /**
   * Empty: the version being served.
   */
  'version'?: (string);
}

export interface ModelMetadataRequest__Output {
  'name': (string);
  /**
   * Empty: the version being served.
   */
  'version': (string);
}
