// Original file: proto/inference/open_inference_grpc.proto

import type { InferParameter as _inference_InferParameter, InferParameter__Output as _inference_InferParameter__Output } from '../inference/InferParameter';
import type { InferTensorContents as _inference_InferTensorContents, InferTensorContents__Output as _inference_InferTensorContents__Output } from '../inference/InferTensorContents';
import type { Long } from '@grpc/proto-loader';

export interface _inference_ModelInferRequest_InferInputTensor {
  'name'?: (string);
  'datatype'?: (string);
  'shape'?: (number | string | Long)[];
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * Not set when raw_input_contents is used.
   */
  'contents'?: (_inference_InferTensorContents | null);
}

export interface _inference_ModelInferRequest_InferInputTensor__Output {
  'name': (string);
  'datatype': (string);
  'shape': (string)[];
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * Not set when raw_input_contents is used.
   */
  'contents': (_inference_InferTensorContents__Output | null);
}

export interface _inference_ModelInferRequest_InferRequestedOutputTensor {
  'name'?: (string);
  'parameters'?: ({[key: string]: _inference_InferParameter});
}

export interface _inference_ModelInferRequest_InferRequestedOutputTensor__Output {
  'name': (string);
  'parameters': ({[key: string]: _inference_InferParameter__Output});
}

export interface ModelInferRequest {
  'modelName'?: (string);
  /**
   * Empty: the version being served.
   */
  'modelVersion'?: (string);
  /**
   * Echoed in the response.
   */
  'id'?: (string);
  'parameters'?: ({[key: string]: _inference_InferParameter});
  'inputs'?: (_inference_ModelInferRequest_InferInputTensor)[];
  /**
   * Empty: every output.
   */
  'outputs'?: (_inference_ModelInferRequest_InferRequestedOutputTensor)[];
  /**
   * One entry per input, in order: the tensor's elements, row-major,
   * little-endian, without padding. When set, no input has contents.
   */
  'rawInputContents'?: (Buffer | Uint8Array | string)[];
}

export interface ModelInferRequest__Output {
  'modelName': (string);
  /**
   * Empty: the version being served.
   */
  'modelVersion': (string);
  /**
   * Echoed in the response.
   */
  'id': (string);
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  'inputs': (_inference_ModelInferRequest_InferInputTensor__Output)[];
  /**
   * Empty: every output.
   */
  'outputs': (_inference_ModelInferRequest_InferRequestedOutputTensor__Output)[];
  /**
   * One entry per input, in order: the tensor's elements, row-major,
   * little-endian, without padding. When set, no input has contents.
   */
  'rawInputContents': (Buffer)[];
}
