import { Builder } from 'flatbuffers';
import {
  ActivationFunction,
  BufferField,
  BuiltinOperator,
  BuiltinOptions,
  FILE_IDENTIFIER,
  FullyConnectedOptionsField,
  ModelField,
  OperatorCodeField,
  OperatorField,
  SCHEMA_VERSION,
  SignatureDefField,
  SoftmaxOptionsField,
  SubGraphField,
  TensorField,
  TensorMapField,
  TensorType,
} from './schema.js';

/**
 * Activations the writer supports. tanh is left out on purpose: the TANH operator of the
 * tfjs-tflite runtime returned its input unchanged in our tests.
 */
export type Activation = 'linear' | 'relu' | 'sigmoid' | 'softmax';

/** A dense layer as tfjs holds it: kernel [inputs][units] row-major, one bias per unit. */
export interface DenseLayer {
  inputs: number;
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
  activation: Activation;
}

export interface DenseModelSpec {
  layers: DenseLayer[];
  inputName: string;
  outputName: string;
  description: string;
  /** Batch dimension of the activation tensors (the runtime cannot resize them). */
  batch?: number;
  /**
   * 'log1p' puts log(1 + max(0, x)) on every input before the first layer (RELU, ADD 1, LOG),
   * so heavy-tailed features (spend, counts) reach the network compressed.
   */
  inputTransform?: 'none' | 'log1p';
}

interface TensorSpec {
  name: string;
  shape: number[];
  /** Index into the buffers; 0 is the empty buffer every activation tensor points at. */
  buffer: number;
}

interface OperatorSpec {
  opcode: number;
  inputs: number[];
  outputs: number[];
  options?: { type: number; write: (b: Builder) => number };
}

/**
 * Writes a feed-forward dense model as a TensorFlow Lite flatbuffer: an optional log1p of the
 * inputs, FULLY_CONNECTED with fused RELU, then LOGISTIC or SOFTMAX where asked, float32 throughout, weights in buffers (buffer
 * 0 empty, as the format requires), and a serving_default signature naming the input and output.
 */
export function writeDenseModel(spec: DenseModelSpec): Uint8Array {
  if (spec.layers.length === 0) throw new Error('a model needs at least one layer');
  const batch = spec.batch ?? 1;
  const buffers: (Float32Array | undefined)[] = [undefined];
  const tensors: TensorSpec[] = [];
  const operators: OperatorSpec[] = [];
  const opcodes: number[] = [];
  const opcodeIndex = (code: number) => {
    if (!opcodes.includes(code)) opcodes.push(code);
    return opcodes.indexOf(code);
  };
  const addTensor = (name: string, shape: number[], data?: Float32Array) => {
    let buffer = 0;
    if (data) {
      buffers.push(data);
      buffer = buffers.length - 1;
    }
    tensors.push({ name, shape, buffer });
    return tensors.length - 1;
  };

  const inputs = spec.layers[0]!.inputs;
  let current = addTensor(spec.inputName, [batch, inputs]);
  const input = current;
  if (spec.inputTransform === 'log1p') {
    const clamped = addTensor('log1p/relu', [batch, inputs]);
    operators.push({ opcode: opcodeIndex(BuiltinOperator.RELU), inputs: [current], outputs: [clamped] });
    const one = addTensor('log1p/one', [inputs], new Float32Array(inputs).fill(1));
    const shifted = addTensor('log1p/add', [batch, inputs]);
    operators.push({ opcode: opcodeIndex(BuiltinOperator.ADD), inputs: [clamped, one], outputs: [shifted] });
    const logged = addTensor('log1p/log', [batch, inputs]);
    operators.push({ opcode: opcodeIndex(BuiltinOperator.LOG), inputs: [shifted], outputs: [logged] });
    current = logged;
  }
  spec.layers.forEach((layer, i) => {
    if (layer.kernel.length !== layer.inputs * layer.units || layer.bias.length !== layer.units) {
      throw new Error(`layer ${i}: kernel or bias size does not match ${layer.inputs}x${layer.units}`);
    }
    const last = i === spec.layers.length - 1;
    // TFLite stores FULLY_CONNECTED weights as [units][inputs]: the transpose of tfjs's kernel.
    const weights = new Float32Array(layer.units * layer.inputs);
    for (let r = 0; r < layer.inputs; r++) {
      for (let c = 0; c < layer.units; c++)
        weights[c * layer.inputs + r] = layer.kernel[r * layer.units + c]!;
    }
    const w = addTensor(`dense_${i}/weights`, [layer.units, layer.inputs], weights);
    const b = addTensor(`dense_${i}/bias`, [layer.units], Float32Array.from(layer.bias));
    // RELU is fused into FULLY_CONNECTED; sigmoid and softmax get operators of their own.
    const separate = layer.activation === 'sigmoid' || layer.activation === 'softmax';
    const fused = layer.activation === 'relu' ? ActivationFunction.RELU : ActivationFunction.NONE;
    const out = addTensor(last && !separate ? spec.outputName : `dense_${i}/output`, [batch, layer.units]);
    operators.push({
      opcode: opcodeIndex(BuiltinOperator.FULLY_CONNECTED),
      inputs: [current, w, b],
      outputs: [out],
      options: {
        type: BuiltinOptions.FullyConnectedOptions,
        write: (fb) => {
          fb.startObject(3);
          fb.addFieldInt8(FullyConnectedOptionsField.fusedActivationFunction, fused, ActivationFunction.NONE);
          return fb.endObject();
        },
      },
    });
    current = out;
    if (separate) {
      const activated = addTensor(last ? spec.outputName : `dense_${i}/${layer.activation}`, [
        batch,
        layer.units,
      ]);
      if (layer.activation === 'sigmoid') {
        operators.push({
          opcode: opcodeIndex(BuiltinOperator.LOGISTIC),
          inputs: [current],
          outputs: [activated],
        });
      } else {
        operators.push({
          opcode: opcodeIndex(BuiltinOperator.SOFTMAX),
          inputs: [current],
          outputs: [activated],
          options: {
            type: BuiltinOptions.SoftmaxOptions,
            write: (fb) => {
              fb.startObject(1);
              fb.addFieldFloat32(SoftmaxOptionsField.beta, 1, 0);
              return fb.endObject();
            },
          },
        });
      }
      current = activated;
    }
  });
  const output = current;
  return serialize({ buffers, tensors, operators, opcodes, input, output, spec });
}

function serialize(model: {
  buffers: (Float32Array | undefined)[];
  tensors: TensorSpec[];
  operators: OperatorSpec[];
  opcodes: number[];
  input: number;
  output: number;
  spec: DenseModelSpec;
}): Uint8Array {
  const fb = new Builder(1024);
  const intVector = (values: number[]) => {
    fb.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) fb.addInt32(values[i]!);
    return fb.endVector();
  };
  const offsetVector = (offsets: number[]) => {
    fb.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) fb.addOffset(offsets[i]!);
    return fb.endVector();
  };

  const buffers = model.buffers.map((data) => {
    let dataOffset = 0;
    if (data) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      // Weights are read in place as float32: align the vector to 16 bytes (force_align: 16).
      fb.startVector(1, bytes.length, 16);
      for (let i = bytes.length - 1; i >= 0; i--) fb.addInt8(bytes[i]!);
      dataOffset = fb.endVector();
    }
    fb.startObject(3);
    if (dataOffset) fb.addFieldOffset(BufferField.data, dataOffset, 0);
    return fb.endObject();
  });

  const tensors = model.tensors.map((t) => {
    const name = fb.createString(t.name);
    const shape = intVector(t.shape);
    fb.startObject(8);
    fb.addFieldOffset(TensorField.shape, shape, 0);
    fb.addFieldInt8(TensorField.type, TensorType.FLOAT32, -1);
    fb.addFieldInt32(TensorField.buffer, t.buffer, -1);
    fb.addFieldOffset(TensorField.name, name, 0);
    return fb.endObject();
  });

  const operators = model.operators.map((op) => {
    const inputs = intVector(op.inputs);
    const outputs = intVector(op.outputs);
    const options = op.options?.write(fb);
    fb.startObject(5);
    fb.addFieldInt32(OperatorField.opcodeIndex, op.opcode, -1);
    fb.addFieldOffset(OperatorField.inputs, inputs, 0);
    fb.addFieldOffset(OperatorField.outputs, outputs, 0);
    if (op.options && options) {
      fb.addFieldInt8(OperatorField.builtinOptionsType, op.options.type, 0);
      fb.addFieldOffset(OperatorField.builtinOptions, options, 0);
    }
    return fb.endObject();
  });

  const subgraphName = fb.createString('main');
  const tensorsVector = offsetVector(tensors);
  const inputsVector = intVector([model.input]);
  const outputsVector = intVector([model.output]);
  const operatorsVector = offsetVector(operators);
  fb.startObject(5);
  fb.addFieldOffset(SubGraphField.tensors, tensorsVector, 0);
  fb.addFieldOffset(SubGraphField.inputs, inputsVector, 0);
  fb.addFieldOffset(SubGraphField.outputs, outputsVector, 0);
  fb.addFieldOffset(SubGraphField.operators, operatorsVector, 0);
  fb.addFieldOffset(SubGraphField.name, subgraphName, 0);
  const subgraph = fb.endObject();

  const opcodes = model.opcodes.map((code) => {
    fb.startObject(4);
    // Readers take the larger of the two fields; codes below 127 go in both.
    fb.addFieldInt8(OperatorCodeField.deprecatedBuiltinCode, code, -1);
    fb.addFieldInt32(OperatorCodeField.version, 1, -1);
    fb.addFieldInt32(OperatorCodeField.builtinCode, code, -1);
    return fb.endObject();
  });

  const tensorMap = (name: string, index: number) => {
    const nameOffset = fb.createString(name);
    fb.startObject(2);
    fb.addFieldOffset(TensorMapField.name, nameOffset, 0);
    fb.addFieldInt32(TensorMapField.tensorIndex, index, -1);
    return fb.endObject();
  };
  const sigInputs = offsetVector([tensorMap(model.spec.inputName, model.input)]);
  const sigOutputs = offsetVector([tensorMap(model.spec.outputName, model.output)]);
  const sigKey = fb.createString('serving_default');
  fb.startObject(5);
  fb.addFieldOffset(SignatureDefField.inputs, sigInputs, 0);
  fb.addFieldOffset(SignatureDefField.outputs, sigOutputs, 0);
  fb.addFieldOffset(SignatureDefField.signatureKey, sigKey, 0);
  fb.addFieldInt32(SignatureDefField.subgraphIndex, 0, -1);
  const signature = fb.endObject();

  const description = fb.createString(model.spec.description);
  const opcodesVector = offsetVector(opcodes);
  const subgraphsVector = offsetVector([subgraph]);
  const buffersVector = offsetVector(buffers);
  const signaturesVector = offsetVector([signature]);
  fb.startObject(8);
  fb.addFieldInt32(ModelField.version, SCHEMA_VERSION, -1);
  fb.addFieldOffset(ModelField.operatorCodes, opcodesVector, 0);
  fb.addFieldOffset(ModelField.subgraphs, subgraphsVector, 0);
  fb.addFieldOffset(ModelField.description, description, 0);
  fb.addFieldOffset(ModelField.buffers, buffersVector, 0);
  fb.addFieldOffset(ModelField.signatureDefs, signaturesVector, 0);
  fb.finish(fb.endObject(), FILE_IDENTIFIER);
  return fb.asUint8Array().slice();
}
