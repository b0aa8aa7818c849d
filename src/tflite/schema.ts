/**
 * The few parts of the TensorFlow Lite flatbuffer schema (tensorflow/lite/schema/schema.fbs,
 * version 3) that a dense model needs: table field slots, operator codes and enum values.
 * A field's slot is its position in the table's declaration; a union takes two slots (type, value).
 */
export const FILE_IDENTIFIER = 'TFL3';
export const SCHEMA_VERSION = 3;

export const BuiltinOperator = {
  ADD: 0,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  RELU: 19,
  SOFTMAX: 25,
  TANH: 28,
  LOG: 73,
} as const;
export const BuiltinOptions = { FullyConnectedOptions: 8, SoftmaxOptions: 9 } as const;
export const ActivationFunction = { NONE: 0, RELU: 1 } as const;
export const TensorType = { FLOAT32: 0 } as const;

export const ModelField = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
export const OperatorCodeField = {
  deprecatedBuiltinCode: 0,
  customCode: 1,
  version: 2,
  builtinCode: 3,
} as const;
export const SubGraphField = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const TensorField = {
  shape: 0,
  type: 1,
  buffer: 2,
  name: 3,
  quantization: 4,
  isVariable: 5,
  sparsity: 6,
  shapeSignature: 7,
} as const;
export const OperatorField = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
} as const;
export const FullyConnectedOptionsField = {
  fusedActivationFunction: 0,
  weightsFormat: 1,
  keepNumDims: 2,
} as const;
export const SoftmaxOptionsField = { beta: 0 } as const;
export const BufferField = { data: 0, offset: 1, size: 2 } as const;
export const SignatureDefField = {
  inputs: 0,
  outputs: 1,
  signatureKey: 2,
  deprecatedTag: 3,
  subgraphIndex: 4,
} as const;
export const TensorMapField = { name: 0, tensorIndex: 1 } as const;
