import type { ServerWritableStream } from '@grpc/grpc-js';
import { Errors } from '../errors.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import { FEATURE_NAMES, type FeatureRow } from '../features/feature-set.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { GetModelMetadataRequest__Output } from '../generated/loyalty/v1/GetModelMetadataRequest.js';
import type { GetModelMetadataResponse } from '../generated/loyalty/v1/GetModelMetadataResponse.js';
import type { ListModelsResponse } from '../generated/loyalty/v1/ListModelsResponse.js';
import type { ModelPrediction } from '../generated/loyalty/v1/ModelPrediction.js';
import type { OutputKind } from '../generated/loyalty/v1/OutputKind.js';
import type { PredictChurnRequest__Output } from '../generated/loyalty/v1/PredictChurnRequest.js';
import type { PredictChurnResponse } from '../generated/loyalty/v1/PredictChurnResponse.js';
import type { PredictCustomersRequest__Output } from '../generated/loyalty/v1/PredictCustomersRequest.js';
import type { PredictCustomersResponse } from '../generated/loyalty/v1/PredictCustomersResponse.js';
import type { PredictLtvRequest__Output } from '../generated/loyalty/v1/PredictLtvRequest.js';
import type { PredictLtvResponse } from '../generated/loyalty/v1/PredictLtvResponse.js';
import type { PredictNboRequest__Output } from '../generated/loyalty/v1/PredictNboRequest.js';
import type { PredictNboResponse } from '../generated/loyalty/v1/PredictNboResponse.js';
import type { PredictRequest__Output } from '../generated/loyalty/v1/PredictRequest.js';
import type { PredictResponse } from '../generated/loyalty/v1/PredictResponse.js';
import type { ScoreCustomersRequest__Output } from '../generated/loyalty/v1/ScoreCustomersRequest.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import type { ScoredCustomer } from '../generated/loyalty/v1/ScoredCustomer.js';
import type { ModelRegistry, ServedModel } from '../models/model-registry.js';
import { rankItems, rankLabels, regressionValue, riskBand } from '../models/postprocess.js';
import { tracer } from '../telemetry/tracer.js';
import { abortable, throwIfAborted } from './call-guard.js';
import { type StreamStats, streamCustomers } from './paced-stream.js';
import type { ScoreTarget } from './score-request.js';
import { fetchRows, notFound, subjectId } from './subjects.js';
import { checkModelInput, type Subject, validateModelRef, validateSubjects } from './validation.js';
import { moneyFromCents, timestampOfDate, timestampOfIso } from './wire.js';

export interface PredictionDeps {
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  store: OnlineFeatureStore;
  registry: ModelRegistry;
  maxBatchSize: number;
  /** Which model answers each prediction RPC. */
  models: { churn: string; nbo: string; ltv: string };
  streamStats: StreamStats;
}

type Kind = 'churn' | 'nbo' | 'ltv';

/** One subject's outcome: its output row, or why it has none. */
type Scored =
  | { id: string; output: Float32Array; asOf: string | undefined; recentItems: readonly string[] }
  | { id: string; error: ReturnType<typeof notFound> };

const DEFAULT_HORIZON_MONTHS = 12;

/**
 * The model-backed RPCs: features (store rows or raw values) in the model's input order, through
 * the model's batch scheduler, then post-processed as its manifest says. Every response names
 * the model version that produced it.
 */
export class PredictionEndpoints {
  constructor(private readonly deps: PredictionDeps) {}

  private model(kind: Kind): ServedModel {
    return this.deps.registry.resolve(this.deps.models[kind]);
  }

  /** The model a request names (validated: INVALID_ARGUMENT if malformed, NOT_FOUND if not loaded). */
  private named(name: string, version: string, field: string): ServedModel {
    const ref = validateModelRef(name, version, field);
    return this.deps.registry.resolve(ref.name, ref.version);
  }

  /** Input rows for the subjects, scored in one submission to the model's scheduler. */
  private async score(model: ServedModel, subjects: Subject[], signal: AbortSignal): Promise<Scored[]> {
    const hasCustomers = subjects.some((s) => s.kind === 'customer');
    if (hasCustomers && !model.featureIndex) throw storeCannotFeed(model, 'call it with raw features');
    // FAILED_PRECONDITION before any read when the store holds no materialization of these features.
    if (hasCustomers) await this.deps.catalog.current();
    const rows = await fetchRows(this.deps.lookup, subjects, signal);
    const present: { subject: Subject; row: FeatureRow | undefined }[] = [];
    for (const s of subjects) {
      if (s.kind === 'raw') present.push({ subject: s, row: undefined });
      else if (rows.get(s.customerId)) present.push({ subject: s, row: rows.get(s.customerId) });
    }
    const data = new Float32Array(present.length * model.inputs);
    present.forEach(({ subject, row }, i) => {
      const offset = i * model.inputs;
      if (subject.kind === 'raw') {
        model.manifest.inputs.forEach((name, j) => {
          data[offset + j] = subject.values.get(name)!;
        });
      } else {
        model.featureIndex!.forEach((f, j) => {
          data[offset + j] = row!.features[f]!;
        });
      }
    });
    const outputs = present.length
      ? await model.scheduler.submit(present.length, data, signal)
      : new Float32Array();
    const byPosition = new Map(present.map((p, i) => [p.subject, i]));
    return subjects.map((s): Scored => {
      const i = byPosition.get(s);
      if (i === undefined) return { id: subjectId(s), error: notFound(subjectId(s)) };
      return {
        id: subjectId(s),
        output: outputs.subarray(i * model.outputs, (i + 1) * model.outputs),
        asOf: present[i]!.row?.asOf,
        recentItems: present[i]!.row?.recentItems ?? [],
      };
    });
  }

  private async run(kind: Kind, customers: PredictChurnRequest__Output['customers'], signal: AbortSignal) {
    const model = this.model(kind);
    const subjects = validateSubjects(customers, this.deps.maxBatchSize, model.manifest.inputs);
    const scored = await this.score(model, subjects, signal);
    return { model, scored, ref: { name: model.name, version: model.version } };
  }

  /** Post-processing, in a span of its own. */
  private postprocess<T>(model: ServedModel, build: () => T): T {
    return tracer.startActiveSpan('postprocess', { attributes: { 'loyalty.model': model.name } }, (span) => {
      try {
        return build();
      } finally {
        span.end();
      }
    });
  }

  private provenance(s: Scored) {
    return 'output' in s && s.asOf ? { featuresAsOf: timestampOfDate(s.asOf) } : {};
  }

  private churn(model: ServedModel, output: Float32Array) {
    const probability = output[0]!;
    return { probability, riskBand: riskBand(probability, model.manifest) };
  }

  private nbo(model: ServedModel, output: Float32Array, topK: number) {
    return {
      offers: rankLabels(output, model.manifest, topK).map((o) => ({
        offerCode: o.code,
        offerName: o.name,
        probability: o.probability,
        rank: o.rank,
      })),
    };
  }

  private async currencyOf(model: ServedModel): Promise<string> {
    return model.manifest.output.currency ?? (await this.deps.catalog.current()).info.currency;
  }

  private ltv(model: ServedModel, output: Float32Array, currency: string) {
    return {
      value: moneyFromCents(regressionValue(output[0]!, model.manifest) * 100, currency),
      horizonMonths: model.manifest.output.horizonMonths ?? DEFAULT_HORIZON_MONTHS,
    };
  }

  /** The response of a per-customer RPC: one result per subject, post-processed by `predict`. */
  private answer<P>(
    model: ServedModel,
    ref: { name: string; version: string },
    scored: Scored[],
    predict: (output: Float32Array, recentItems: readonly string[]) => P,
  ) {
    return this.postprocess(model, () => ({
      model: ref,
      results: scored.map((s) =>
        'error' in s
          ? { customerId: s.id, error: s.error }
          : {
              customerId: s.id,
              prediction: predict(s.output, s.recentItems),
              provenance: this.provenance(s),
            },
      ),
    }));
  }

  async predictChurn(
    request: PredictChurnRequest__Output,
    signal: AbortSignal,
  ): Promise<PredictChurnResponse> {
    const { model, scored, ref } = await this.run('churn', request.customers, signal);
    return this.answer(model, ref, scored, (output) => this.churn(model, output));
  }

  async predictNbo(request: PredictNboRequest__Output, signal: AbortSignal): Promise<PredictNboResponse> {
    const { model, scored, ref } = await this.run('nbo', request.customers, signal);
    return this.answer(model, ref, scored, (output) => this.nbo(model, output, request.topK));
  }

  async predictLtv(request: PredictLtvRequest__Output, signal: AbortSignal): Promise<PredictLtvResponse> {
    const { model, scored, ref } = await this.run('ltv', request.customers, signal);
    const currency = await this.currencyOf(model);
    return this.answer(model, ref, scored, (output) => this.ltv(model, output, currency));
  }

  /**
   * Any loaded model for customers (store ids or raw features), through the same path as the
   * loyalty RPCs, each answer typed by the model's output kind.
   */
  async predictCustomers(
    request: PredictCustomersRequest__Output,
    signal: AbortSignal,
  ): Promise<PredictCustomersResponse> {
    const model = this.named(request.modelName, request.version, 'model_name');
    const labels = model.manifest.output.labels.length;
    const ranked =
      model.manifest.output.kind === 'class_probabilities' || model.manifest.output.kind === 'ranking';
    if (ranked && request.topK > labels) {
      throw Errors.invalidArgument(
        `top_k is ${request.topK}; model ${model.name} has ${labels} labels (0 answers all of them)`,
      );
    }
    const subjects = validateSubjects(request.customers, this.deps.maxBatchSize, model.manifest.inputs);
    const scored = await this.score(model, subjects, signal);
    const currency = await this.moneyCurrency(model);
    return this.answer(model, { name: model.name, version: model.version }, scored, (output, recent) =>
      this.interpret(model, output, request.topK, currency, recent),
    );
  }

  /** A raw output row as its manifest's output kind says. */
  private interpret(
    model: ServedModel,
    output: Float32Array,
    topK: number,
    currency: string | undefined,
    recentItems: readonly string[],
  ): ModelPrediction {
    const m = model.manifest;
    switch (m.output.kind) {
      case 'binary_probability':
        return {
          binary: { ...this.churn(model, output), label: m.output.labels[0] ?? model.name },
        };
      case 'class_probabilities':
        return { classes: { labels: rankLabels(output, m, topK) } };
      case 'regression': {
        const value = regressionValue(output[0]!, m);
        return {
          regression: {
            value,
            money: currency ? moneyFromCents(value * 100, currency) : null,
            horizonMonths: m.output.horizonMonths ?? 0,
            unit: m.output.unit ?? '',
          },
        };
      }
      case 'ranking': {
        const items = rankItems(output, m, topK, recentItems);
        const excluded = m.output.excludeRecentItems
          ? recentItems.filter((code) => m.output.labels.includes(code)).length
          : 0;
        return { ranking: { items, excludedRecent: excluded } };
      }
    }
  }

  /**
   * The currency of a regression model's amounts: its manifest's; for a manifest of an earlier
   * pipeline, which named its label "revenue" and no currency, the store's. Others are not money.
   */
  private async moneyCurrency(model: ServedModel): Promise<string | undefined> {
    const m = model.manifest;
    if (m.output.kind !== 'regression') return undefined;
    if (m.output.currency) return m.output.currency;
    return m.training?.label === 'revenue' ? (await this.deps.catalog.current()).info.currency : undefined;
  }

  /** Any loaded model on rows of raw input values; answers the model's raw outputs. */
  async predict(request: PredictRequest__Output, signal: AbortSignal): Promise<PredictResponse> {
    const model = this.named(request.modelName, request.version, 'model_name');
    const rows = request.rows;
    this.checkRowCount(rows.length, 'rows');
    const data = new Float32Array(rows.length * model.inputs);
    rows.forEach((row, i) => {
      if (row.values.length !== model.inputs) {
        throw Errors.invalidArgument(
          `rows[${i}] has ${row.values.length} values; model ${model.name} takes ${model.inputs}: ${model.manifest.inputs.join(', ')}`,
        );
      }
      row.values.forEach((v, j) => {
        checkModelInput(v, `rows[${i}].values[${j}]`);
      });
      data.set(row.values, i * model.inputs);
    });
    const out = await this.runRows(model, rows.length, data, signal);
    return {
      model: { name: model.name, version: model.version },
      rows: Array.from({ length: rows.length }, (_, i) => ({
        values: Array.from(out.subarray(i * model.outputs, (i + 1) * model.outputs)),
      })),
    };
  }

  /** The model a request names (for front ends of other protocols). */
  resolveModel(name: string, version: string, field: string): ServedModel {
    return this.named(name, version, field);
  }

  /** INVALID_ARGUMENT unless 1 to the maximum batch size of rows. */
  checkRowCount(rows: number, what: string): void {
    if (rows === 0) throw Errors.invalidArgument(`${what} is empty: give 1 or more rows of input values`);
    if (rows > this.deps.maxBatchSize) {
      throw Errors.invalidArgument(
        `${what} has ${rows} rows; at most ${this.deps.maxBatchSize} are accepted per call`,
      );
    }
  }

  /** Validated rows of raw values through the model's batch scheduler: its raw output rows. */
  async runRows(
    model: ServedModel,
    rows: number,
    data: Float32Array,
    signal: AbortSignal,
  ): Promise<Float32Array> {
    throwIfAborted(signal);
    return abortable(model.scheduler.submit(rows, data, signal), signal);
  }

  get maxBatchSize(): number {
    return this.deps.maxBatchSize;
  }

  listModels(): ListModelsResponse {
    return {
      models: this.deps.registry.list().map((m) => ({
        name: m.name,
        servingVersion: m.serving.version,
        versions: m.versions,
        outputKind: `OUTPUT_KIND_${m.serving.manifest.output.kind.toUpperCase()}` as OutputKind,
      })),
    };
  }

  getModelMetadata(request: GetModelMetadataRequest__Output): GetModelMetadataResponse {
    const model = this.named(request.name, request.version, 'name');
    const m = model.manifest;
    return {
      model: { name: model.name, version: model.version },
      createdAt: timestampOfIso(m.createdAt),
      trainingDataAsOf: m.training ? timestampOfDate(m.training.featuresAsOf) : null,
      inputNames: m.inputs,
      outputKind: `OUTPUT_KIND_${m.output.kind.toUpperCase()}` as OutputKind,
      outputLabels: m.output.labels,
      metrics: m.metrics,
      batching: model.batching,
    };
  }

  /**
   * ScoreCustomers for a model (a kind's model, or any model by name): the base in id order, one
   * scheduler submission per chunk.
   */
  async scoreCustomers(
    call: ServerWritableStream<ScoreCustomersRequest__Output, ScoreCustomersResponse>,
    target: ScoreTarget,
    chunkSize: number,
    filter: { segments: string[]; tiers: string[] },
    signal: AbortSignal,
  ): Promise<void> {
    const model =
      'kind' in target
        ? this.model(target.kind as Kind)
        : this.deps.registry.resolve(target.model.name, target.model.version);
    if (!model.featureIndex) throw storeCannotFeed(model, 'it cannot score the base');
    await this.deps.catalog.current();
    const ref = { name: model.name, version: model.version };
    const currency = 'kind' in target ? await this.currencyOf(model) : await this.moneyCurrency(model);
    const view = (row: FeatureRow, output: Float32Array): ScoredCustomer => {
      const customerId = row.customerId;
      if (!('kind' in target))
        return {
          customerId,
          prediction: this.interpret(model, output, target.topK, currency, row.recentItems),
        };
      if (target.kind === 'churn') return { customerId, churn: this.churn(model, output) };
      if (target.kind === 'nbo') return { customerId, nbo: this.nbo(model, output, 0) };
      return { customerId, ltv: this.ltv(model, output, currency!) };
    };
    await streamCustomers(
      call,
      { store: this.deps.store, chunkSize, filter },
      async (rows) => {
        const data = new Float32Array(rows.length * model.inputs);
        rows.forEach((row, i) => {
          model.featureIndex!.forEach((f, j) => {
            data[i * model.inputs + j] = row.features[f]!;
          });
        });
        const out = await model.scheduler.submit(rows.length, data, signal);
        const customers = rows.map((row, i) =>
          view(row, out.subarray(i * model.outputs, (i + 1) * model.outputs)),
        );
        return { customers, model: ref };
      },
      this.deps.streamStats,
      signal,
    );
  }
}

/** INVALID_ARGUMENT naming the inputs of a model that are not features of the store. */
function storeCannotFeed(model: ServedModel, advice: string) {
  const missing = model.manifest.inputs.filter((n) => !(FEATURE_NAMES as readonly string[]).includes(n));
  return Errors.invalidArgument(
    `model ${model.name} takes inputs the feature store does not hold (${missing.slice(0, 10).join(', ')}); ${advice}`,
  );
}
