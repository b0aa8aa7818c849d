// Original file: proto/inference/open_inference_grpc.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Tensor elements by datatype, flattened row-major; only the field of the
 * tensor's datatype is set.
 */
export interface InferTensorContents {
  'boolContents'?: (boolean)[];
  'intContents'?: (number)[];
  'int64Contents'?: (number | string | Long)[];
  'uintContents'?: (number)[];
  'uint64Contents'?: (number | string | Long)[];
  'fp32Contents'?: (number | string)[];
  'fp64Contents'?: (number | string)[];
  'bytesContents'?: (Buffer | Uint8Array | string)[];
}

/**
 * Tensor elements by datatype, flattened row-major; only the field of the
 * tensor's datatype is set.
 */
export interface InferTensorContents__Output {
  'boolContents': (boolean)[];
  'intContents': (number)[];
  'int64Contents': (string)[];
  'uintContents': (number)[];
  'uint64Contents': (string)[];
  'fp32Contents': (number)[];
  'fp64Contents': (number)[];
  'bytesContents': (Buffer)[];
}
