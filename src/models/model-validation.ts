import { readModelInfo, type TfliteModelInfo } from '../tflite/model-reader.js';
import { TensorType } from '../tflite/schema.js';
import { type ModelManifest, parseManifest } from './manifest.js';

export class ModelRejected extends Error {}

/**
 * Checks that a model folder can be served: a valid manifest naming the folder, and a float32
 * .tflite with one input row vector and one output vector whose sizes match the manifest.
 */
export function validateModel(
  folder: { name: string; version: string },
  manifestJson: unknown,
  bytes: Uint8Array,
): { manifest: ModelManifest; info: TfliteModelInfo; outputs: number } {
  let manifest: ModelManifest;
  let info: TfliteModelInfo;
  try {
    manifest = parseManifest(manifestJson);
    info = readModelInfo(bytes);
  } catch (err) {
    throw new ModelRejected((err as Error).message);
  }
  if (manifest.name !== folder.name || manifest.version !== folder.version) {
    throw new ModelRejected(
      `manifest says ${manifest.name} v${manifest.version} but the folder is ${folder.name}/${folder.version}`,
    );
  }
  if (info.inputs.length !== 1 || info.outputs.length !== 1) {
    throw new ModelRejected(
      `a model needs one input and one output tensor, this has ${info.inputs.length} and ${info.outputs.length}`,
    );
  }
  const input = info.inputs[0]!;
  const output = info.outputs[0]!;
  if (input.type !== TensorType.FLOAT32 || output.type !== TensorType.FLOAT32) {
    throw new ModelRejected('input and output tensors must be float32');
  }
  if (input.shape.length !== 2 || output.shape.length !== 2) {
    throw new ModelRejected(
      `input and output must be [batch, n] row vectors, got [${input.shape}] and [${output.shape}]`,
    );
  }
  if (input.shape[1] !== manifest.inputs.length) {
    throw new ModelRejected(
      `the model takes ${input.shape[1]} inputs but the manifest names ${manifest.inputs.length}`,
    );
  }
  const outputs = output.shape[1]!;
  const expected =
    manifest.output.kind === 'binary_probability'
      ? 1
      : manifest.output.kind === 'class_probabilities' ||
          manifest.output.kind === 'ranking' ||
          manifest.output.kind === 'uplift'
        ? manifest.output.labels.length
        : manifest.output.labels.length || outputs;
  if (outputs !== expected) {
    throw new ModelRejected(
      `the model gives ${outputs} outputs but the manifest's ${manifest.output.kind} output needs ${expected}`,
    );
  }
  return { manifest, info, outputs };
}
