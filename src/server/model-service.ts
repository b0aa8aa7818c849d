import type { ModelServiceHandlers } from '../generated/loyalty/v1/ModelService.js';
import type { OutputKind } from '../generated/loyalty/v1/OutputKind.js';
import type { ModelListing } from '../models/served-model.js';
import type { Predictor } from '../serving/predictor.js';
import type { Implementation } from './call-wrapper.js';
import { predictionToWire, resultToWire, subjectRefs } from './prediction-wire.js';
import { timestampOfDate, timestampOfIso } from './wire.js';

const outputKind = (kind: string) => `OUTPUT_KIND_${kind.toUpperCase()}` as OutputKind;

/** ModelService: any loaded model, by name; proto in, the core's domain calls, proto out. */
export function modelService(
  predictor: Predictor,
  models: { list(): ModelListing[] },
): Implementation<ModelServiceHandlers> {
  return {
    Predict: async (req, signal) => {
      const route = predictor.route({ name: req.modelName, version: req.version });
      const data = predictor.rowsOf(
        route,
        req.rows.map((r) => r.values),
        'rows',
      );
      const { model, outputs } = await predictor.predictRows(route, req.rows.length, data, signal);
      return {
        model: { name: model.name, version: model.version },
        rows: Array.from({ length: req.rows.length }, (_, i) => ({
          values: Array.from(outputs.subarray(i * model.outputs, (i + 1) * model.outputs)),
        })),
      };
    },
    PredictCustomers: async (req, signal) => {
      const answer = await predictor.predict(
        { name: req.modelName, version: req.version },
        subjectRefs(req.customers),
        { topK: req.topK, explain: req.explain },
        signal,
      );
      return { model: answer.model, results: answer.results.map((r) => resultToWire(r, predictionToWire)) };
    },
    ListModels: async () => ({
      models: models.list().map((m) => ({
        name: m.name,
        servingVersion: m.serving.version,
        versions: m.versions,
        outputKind: outputKind(m.serving.manifest.output.kind),
      })),
    }),
    GetModelMetadata: async (req) => {
      const model = predictor.route({ name: req.name, version: req.version }, 'name').primary;
      const m = model.manifest;
      return {
        model: { name: model.name, version: model.version },
        createdAt: timestampOfIso(m.createdAt),
        trainingDataAsOf: m.training ? timestampOfDate(m.training.featuresAsOf) : null,
        inputNames: m.inputs,
        outputKind: outputKind(m.output.kind),
        outputLabels: m.output.labels,
        metrics: m.metrics,
        batching: model.batching,
      };
    },
  };
}
