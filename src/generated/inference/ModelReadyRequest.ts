// Original file: proto/inference/open_inference_grpc.proto


export interface ModelReadyRequest {
  'name'?: (string);
  /**
   * Empty: the version being served.
   */
  'version'?: (string);
}

export interface ModelReadyRequest__Output {
  'name': (string);
  /**
   * Empty: the version being served.
   */
  'version': (string);
}
