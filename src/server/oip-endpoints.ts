import { Errors } from '../errors.js';
import type { ModelInferRequest__Output } from '../generated/inference/ModelInferRequest.js';
import type { ModelInferResponse } from '../generated/inference/ModelInferResponse.js';
import type { ModelMetadataRequest__Output } from '../generated/inference/ModelMetadataRequest.js';
import type { ModelMetadataResponse } from '../generated/inference/ModelMetadataResponse.js';
import type { ModelReadyRequest__Output } from '../generated/inference/ModelReadyRequest.js';
import type { ServerMetadataResponse } from '../generated/inference/ServerMetadataResponse.js';
import { OUTPUT_TENSOR_NAMES } from '../models/manifest.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { ServedModel } from '../models/served-model.js';
import type { Predictor } from '../serving/predictor.js';
import { decodeInputs, FEATURES_TENSOR, type InputTensor, rawFloat32 } from './oip-tensors.js';

export interface OipDeps {
  registry: Pick<ModelRegistry, 'list'>;
  predictor: Predictor;
  serverVersion: string;
  /** False once shutdown begins. */
  live: () => boolean;
}

/** The runtime every model runs on, as the OIP's `platform` names it. */
const PLATFORM = 'tensorflow_lite';
const ID_MAX = 256;

/**
 * The Open Inference Protocol (inference.GRPCInferenceService) as a thin adapter: every loaded
 * model is an OIP model taking one FP32 tensor [N, inputs] (or one [N] tensor per named input)
 * and giving one FP32 tensor [N, outputs] named by its output kind. ModelInfer goes through the
 * same validation bounds and batch scheduler as ModelService.Predict.
 */
export class OipEndpoints {
  constructor(private readonly deps: OipDeps) {}

  serverLive() {
    return { live: this.deps.live() };
  }

  serverReady() {
    return { ready: this.deps.live() && this.deps.registry.list().length > 0 };
  }

  /** NOT_FOUND for a well-formed name or version that is not loaded, as ModelInfer would answer. */
  modelReady(request: ModelReadyRequest__Output) {
    this.deps.predictor.route({ name: request.name, version: request.version }, 'name');
    return { ready: this.deps.live() };
  }

  serverMetadata(): ServerMetadataResponse {
    return { name: 'loyalty-inference', version: this.deps.serverVersion, extensions: [] };
  }

  modelMetadata(request: ModelMetadataRequest__Output): ModelMetadataResponse {
    const model = this.deps.predictor.route({ name: request.name, version: request.version }, 'name').primary;
    const listed = this.deps.registry.list().find((m) => m.name === model.name);
    return {
      name: model.name,
      versions: listed?.versions ?? [model.version],
      platform: PLATFORM,
      inputs: [{ name: FEATURES_TENSOR, datatype: 'FP32', shape: ['-1', String(model.inputs)] }],
      outputs: [{ name: outputName(model), datatype: 'FP32', shape: ['-1', String(model.outputs)] }],
    };
  }

  async modelInfer(request: ModelInferRequest__Output, signal: AbortSignal): Promise<ModelInferResponse> {
    const route = this.deps.predictor.route({ name: request.modelName, version: request.modelVersion });
    const model = route.primary;
    if (request.id.length > ID_MAX)
      throw Errors.invalidArgument(`id has ${request.id.length} characters; at most ${ID_MAX}`);
    const name = outputName(model);
    const unknown = request.outputs.find((o) => o.name !== name);
    if (unknown)
      throw Errors.invalidArgument(
        `output ${JSON.stringify(unknown.name.slice(0, 64))} is not an output of ${model.name}; it has ${name}`,
      );
    const tensors: InputTensor[] = request.inputs.map((t) => {
      const c = t.contents;
      return {
        name: t.name,
        datatype: t.datatype,
        shape: t.shape,
        fp32: c?.fp32Contents,
        otherContents:
          !!c &&
          [
            c.boolContents,
            c.intContents,
            c.int64Contents,
            c.uintContents,
            c.uint64Contents,
            c.fp64Contents,
            c.bytesContents,
          ].some((list) => list.length > 0),
      };
    });
    const decoded = decodeInputs(
      tensors,
      request.rawInputContents,
      model.manifest.inputs,
      this.deps.predictor.maxBatchSize,
    );
    const { model: answered, outputs: out } = await this.deps.predictor.predictRows(
      route,
      decoded.rows,
      decoded.data,
      signal,
    );
    const tensor = {
      name,
      datatype: 'FP32',
      shape: [String(decoded.rows), String(answered.outputs)],
      parameters: {},
    };
    // Raw in, raw out (as Triton answers); typed contents otherwise.
    return {
      modelName: answered.name,
      modelVersion: answered.version,
      id: request.id,
      parameters: {},
      outputs: [decoded.raw ? tensor : { ...tensor, contents: { fp32Contents: Array.from(out) } }],
      rawOutputContents: decoded.raw ? [rawFloat32(out)] : [],
    };
  }
}

function outputName(model: ServedModel): string {
  return OUTPUT_TENSOR_NAMES[model.manifest.output.kind];
}
