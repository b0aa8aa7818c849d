import type { DriftMonitor } from '../drift/drift-monitor.js';
import { Errors } from '../errors.js';
import { type Explainer, type Explanation, MAX_EXPLAINED } from '../explain/explainer.js';
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
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import type { ScoredCustomer } from '../generated/loyalty/v1/ScoredCustomer.js';
import { clvInputs, forecastSpend } from '../models/clv.js';
import type { ModelRegistry, ServedModel } from '../models/model-registry.js';
import { rankItems, rankLabels, regressionValue, riskBand } from '../models/postprocess.js';
import { type Route, versionFor } from '../models/route.js';
import type { ShadowScoring } from '../models/shadow-scoring.js';
import type { LoggedSubject, PredictionLog } from '../prediction-log/prediction-log.js';
import { seedOfKey } from '../random.js';
import { tracer } from '../telemetry/tracer.js';
import { abortable, throwIfAborted } from './call-guard.js';
import { type MessageSink, type StreamStats, streamCustomers } from './paced-stream.js';
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
  shadow: ShadowScoring;
  /** Where served rows are recorded, when the prediction log is on. */
  predictionLog?: PredictionLog;
  /** Counts served rows against the models' reference distributions, when drift is on. */
  drift?: DriftMonitor;
  /** Reason codes of requests that ask to explain. */
  explainer: Explainer;
}

type Kind = 'churn' | 'nbo' | 'ltv';

/** One subject's outcome: its output row and the version that answered it, or why it has none. */
type Scored =
  | {
      id: string;
      model: ServedModel;
      /** The row as the model got it. */
      input: Float32Array;
      /** The store's row, for customers of the store. */
      row: FeatureRow | undefined;
      output: Float32Array;
      asOf: string | undefined;
      recentItems: readonly string[];
    }
  | { id: string; error: ReturnType<typeof notFound> };

/** A subject with its store row (none for raw features). */
interface Present {
  subject: Subject;
  row: FeatureRow | undefined;
}

const DEFAULT_HORIZON_MONTHS = 12;
const TENURE = FEATURE_NAMES.indexOf('tenure_days');

/**
 * The model-backed RPCs: features (store rows or raw values) in the model's input order, through
 * the model's batch scheduler, then post-processed as its manifest says. A call that names no
 * version follows the serving policy: the default version, the canary for its share of customers,
 * and the shadow offered the default's rows after the answer. Every result names its version.
 */
export class PredictionEndpoints {
  constructor(private readonly deps: PredictionDeps) {}

  private route(kind: Kind): Route {
    return this.deps.registry.route(this.deps.models[kind]);
  }

  /** The route of a model a request names (INVALID_ARGUMENT if malformed, NOT_FOUND if not loaded). */
  private named(name: string, version: string, field: string): Route {
    const ref = validateModelRef(name, version, field);
    return this.deps.registry.route(ref.name, ref.version);
  }

  /**
   * Rows through one version's scheduler; the answered rows then go to the prediction log, and
   * those of the primary are offered to the shadow. `input` builds the rows in a version's input
   * order (undefined when it cannot); `subjects` names each row's customer and the as-of day of
   * its features (none for raw rows), asked only when the log is on.
   */
  private async infer(
    route: Route,
    model: ServedModel,
    rows: number,
    input: (model: ServedModel) => Float32Array | undefined,
    signal: AbortSignal,
    subjects?: () => readonly (LoggedSubject | undefined)[],
  ): Promise<Float32Array> {
    const data = input(model)!;
    const out = await model.scheduler.submit(rows, data, signal);
    this.deps.predictionLog?.offer(signal, model, rows, data, out, subjects?.());
    this.deps.drift?.observe(model, rows, data, out);
    if (route.shadow && model === route.primary)
      this.deps.shadow.offer(model, route.shadow, rows, input, out);
    return out;
  }

  /**
   * The subjects' rows, grouped by the version that answers each (the primary, or the canary for
   * its customers), one scheduler submission per version.
   */
  private async score(route: Route, subjects: Subject[], signal: AbortSignal): Promise<Scored[]> {
    const hasCustomers = subjects.some((s) => s.kind === 'customer');
    if (hasCustomers)
      for (const m of [route.primary, route.canary?.model])
        if (m && !m.featureIndex) throw storeCannotFeed(m, 'call it with raw features');
    // FAILED_PRECONDITION before any read when the store holds no materialization of these features.
    if (hasCustomers) await this.deps.catalog.current();
    const rows = await fetchRows(this.deps.lookup, subjects, signal);
    const groups = new Map<ServedModel, Present[]>();
    for (const s of subjects) {
      const row = s.kind === 'raw' ? undefined : rows.get(s.customerId);
      if (s.kind === 'customer' && !row) continue;
      const model =
        s.kind === 'customer' ? versionFor(route, s.customerId) : rawVersion(route, (n) => s.values.has(n));
      const group = groups.get(model) ?? [];
      group.push({ subject: s, row });
      groups.set(model, group);
    }
    const answered = new Map<Subject, Scored>();
    await Promise.all(
      [...groups].map(async ([model, present]) => {
        const data = inputRows(model, present)!;
        const outputs = await this.infer(
          route,
          model,
          present.length,
          (m) => (m === model ? data : inputRows(m, present)),
          signal,
          () =>
            present.map(({ subject, row }) =>
              subject.kind === 'customer' ? { customerId: subject.customerId, asOf: row!.asOf } : undefined,
            ),
        );
        present.forEach(({ subject, row }, i) => {
          answered.set(subject, {
            id: subjectId(subject),
            model,
            input: data.subarray(i * model.inputs, (i + 1) * model.inputs),
            row,
            output: outputs.subarray(i * model.outputs, (i + 1) * model.outputs),
            asOf: row?.asOf,
            recentItems: row?.recentItems ?? [],
          });
        });
      }),
    );
    return subjects.map(
      (s): Scored => answered.get(s) ?? { id: subjectId(s), error: notFound(subjectId(s)) },
    );
  }

  private async run(
    kind: Kind,
    request: { customers: PredictChurnRequest__Output['customers']; explain: boolean },
    signal: AbortSignal,
  ) {
    return this.scoreExplained(this.route(kind), request, signal);
  }

  /** Validation, scoring, and the reason codes when the request asks for them. */
  private async scoreExplained(
    route: Route,
    request: { customers: PredictChurnRequest__Output['customers']; explain: boolean },
    signal: AbortSignal,
  ) {
    const subjects = validateSubjects(
      request.customers,
      this.deps.maxBatchSize,
      route.primary.manifest.inputs,
    );
    if (request.explain) checkExplainable(route, subjects.length);
    const scored = await this.score(route, subjects, signal);
    const explained = request.explain ? await this.explain(scored, signal) : undefined;
    return { model: route.primary, scored, explained };
  }

  /** Every scored subject's reason codes (the explainer bounds how many run at once). */
  private async explain(scored: Scored[], signal: AbortSignal): Promise<Map<Scored, Explanation>> {
    const explained = new Map<Scored, Explanation>();
    await tracer.startActiveSpan('explain', async (span) => {
      try {
        await Promise.all(
          scored.map(async (s) => {
            if ('error' in s) return;
            explained.set(
              s,
              await this.deps.explainer.explain(s.model, s.input, s.output, s.recentItems, s.id, signal),
            );
          }),
        );
      } finally {
        span.end();
      }
    });
    return explained;
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

  private ltv(model: ServedModel, output: Float32Array, currency: string, row: FeatureRow | undefined) {
    const horizonMonths = model.manifest.output.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
    const value = moneyFromCents(regressionValue(output[0]!, model.manifest) * 100, currency);
    return { value, horizonMonths, forecast: this.forecast(model, row, currency) };
  }

  /**
   * BG/NBD and Gamma-Gamma's view of a customer over the model's horizon, for a model trained
   * with them (clv in its manifest) and a customer of the store; null otherwise.
   */
  private forecast(model: ServedModel, row: FeatureRow | undefined, currency: string) {
    const clv = model.manifest.clv;
    if (!clv || !row) return null;
    const horizonMonths = model.manifest.output.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
    const money = (v: number) => moneyFromCents(v * 100, currency);
    const { m, ...history } = clvInputs(row.features[TENURE]!, row.rfm);
    const f = forecastSpend(
      clv.bgnbd,
      clv.gammaGamma,
      history,
      m,
      (horizonMonths * 52) / 12,
      seedOfKey(row.customerId),
    );
    return {
      probabilityAlive: f.probabilityAlive,
      expectedTransactions: f.expectedTransactions,
      expectedSpend: money(f.expectedSpend),
      spendP10: money(f.p10),
      spendP90: money(f.p90),
    };
  }

  /**
   * The response of a per-customer RPC: one result per subject, post-processed by `predict` as
   * the version that answered it says; `model` is the primary version.
   */
  private answer<P>(
    model: ServedModel,
    scored: Scored[],
    predict: (
      model: ServedModel,
      output: Float32Array,
      recentItems: readonly string[],
      row: FeatureRow | undefined,
    ) => P,
    explained?: Map<Scored, Explanation>,
  ) {
    return this.postprocess(model, () => ({
      model: { name: model.name, version: model.version },
      results: scored.map((s) =>
        'error' in s
          ? { customerId: s.id, error: s.error }
          : {
              customerId: s.id,
              prediction: predict(s.model, s.output, s.recentItems, s.row),
              provenance: this.provenance(s),
              modelVersion: s.model.version,
              explanation: wireExplanation(explained?.get(s)),
            },
      ),
    }));
  }

  /** An async property of each version that answered (a currency), looked up once per version. */
  private async perVersion<T>(
    primary: ServedModel,
    scored: Scored[],
    of: (model: ServedModel) => Promise<T>,
  ): Promise<Map<ServedModel, T>> {
    const models = new Set([primary, ...scored.flatMap((s) => ('model' in s ? [s.model] : []))]);
    return new Map(await Promise.all([...models].map(async (m) => [m, await of(m)] as const)));
  }

  async predictChurn(
    request: PredictChurnRequest__Output,
    signal: AbortSignal,
  ): Promise<PredictChurnResponse> {
    const { model, scored, explained } = await this.run('churn', request, signal);
    return this.answer(model, scored, (m, output) => this.churn(m, output), explained);
  }

  async predictNbo(request: PredictNboRequest__Output, signal: AbortSignal): Promise<PredictNboResponse> {
    const { model, scored, explained } = await this.run('nbo', request, signal);
    return this.answer(model, scored, (m, output) => this.nbo(m, output, request.topK), explained);
  }

  async predictLtv(request: PredictLtvRequest__Output, signal: AbortSignal): Promise<PredictLtvResponse> {
    const { model, scored, explained } = await this.run('ltv', request, signal);
    const currencies = await this.perVersion(model, scored, (m) => this.currencyOf(m));
    return this.answer(
      model,
      scored,
      (m, output, _recent, row) => this.ltv(m, output, currencies.get(m)!, row),
      explained,
    );
  }

  /**
   * Any loaded model for customers (store ids or raw features), through the same path as the
   * loyalty RPCs, each answer typed by the model's output kind.
   */
  async predictCustomers(
    request: PredictCustomersRequest__Output,
    signal: AbortSignal,
  ): Promise<PredictCustomersResponse> {
    const route = this.named(request.modelName, request.version, 'model_name');
    const model = route.primary;
    const labels = model.manifest.output.labels.length;
    const ranked =
      model.manifest.output.kind === 'class_probabilities' || model.manifest.output.kind === 'ranking';
    if (ranked && request.topK > labels) {
      throw Errors.invalidArgument(
        `top_k is ${request.topK}; model ${model.name} has ${labels} labels (0 answers all of them)`,
      );
    }
    const { scored, explained } = await this.scoreExplained(route, request, signal);
    const currencies = await this.perVersion(model, scored, (m) => this.moneyCurrency(m));
    return this.answer(
      model,
      scored,
      (m, output, recent, row) =>
        // A canary with fewer labels than top_k answers all of its own.
        this.interpret(
          m,
          output,
          Math.min(request.topK, m.manifest.output.labels.length),
          currencies.get(m),
          recent,
          row,
        ),
      explained,
    );
  }

  /**
   * A raw output row as its manifest's output kind says; a regression in money with the
   * customer's store row gets its forecast (streams leave the row out: the simulation would cost
   * their main thread ~0.1 ms per customer).
   */
  private interpret(
    model: ServedModel,
    output: Float32Array,
    topK: number,
    currency: string | undefined,
    recentItems: readonly string[],
    row?: FeatureRow,
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
            forecast: currency ? this.forecast(model, row, currency) : null,
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
    const route = this.named(request.modelName, request.version, 'model_name');
    const model = route.primary;
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
    const { model: answered, outputs: out } = await this.runRows(route, rows.length, data, signal);
    return {
      model: { name: answered.name, version: answered.version },
      rows: Array.from({ length: rows.length }, (_, i) => ({
        values: Array.from(out.subarray(i * answered.outputs, (i + 1) * answered.outputs)),
      })),
    };
  }

  /** Where the rows of a call that names this model go (for front ends of other protocols). */
  resolveModel(name: string, version: string, field: string): Route {
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

  /**
   * Validated rows of raw values, in the primary's input order, through its batch scheduler: its
   * raw output rows. Rows carry no customer, so no canary takes them; the shadow is offered them
   * when it takes the same inputs.
   */
  async runRows(
    route: Route,
    rows: number,
    data: Float32Array,
    signal: AbortSignal,
  ): Promise<{ model: ServedModel; outputs: Float32Array }> {
    throwIfAborted(signal);
    const inputs = route.primary.manifest.inputs;
    const sameInputs = (m: ServedModel) =>
      m.manifest.inputs.length === inputs.length && m.manifest.inputs.every((n, i) => n === inputs[i]);
    const model = sameInputs(versionFor(route, undefined)) ? versionFor(route, undefined) : route.primary;
    const outputs = await abortable(
      this.infer(route, model, rows, (m) => (sameInputs(m) ? data : undefined), signal),
      signal,
    );
    return { model, outputs };
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
    const model = this.named(request.name, request.version, 'name').primary;
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
    call: MessageSink<ScoreCustomersResponse>,
    target: ScoreTarget,
    chunkSize: number,
    filter: { segments: string[]; tiers: string[] },
    signal: AbortSignal,
  ): Promise<void> {
    const route =
      'kind' in target
        ? this.route(target.kind as Kind)
        : this.deps.registry.route(target.model.name, target.model.version);
    const model = route.primary;
    for (const m of [model, route.canary?.model])
      if (m && !m.featureIndex) throw storeCannotFeed(m, 'it cannot score the base');
    await this.deps.catalog.current();
    const ref = { name: model.name, version: model.version };
    const versions = [model, ...(route.canary ? [route.canary.model] : [])];
    const currencies = new Map(
      await Promise.all(
        versions.map(
          async (m) =>
            [m, 'kind' in target ? await this.currencyOf(m) : await this.moneyCurrency(m)] as const,
        ),
      ),
    );
    const view = (m: ServedModel, row: FeatureRow, output: Float32Array): ScoredCustomer => {
      const customerId = row.customerId;
      const modelVersion = m.version;
      const currency = currencies.get(m);
      if (!('kind' in target)) {
        const topK = Math.min(target.topK, m.manifest.output.labels.length);
        return {
          customerId,
          modelVersion,
          // No row: no forecast in streams.
          prediction: this.interpret(m, output, topK, currency, row.recentItems),
        };
      }
      if (target.kind === 'churn') return { customerId, modelVersion, churn: this.churn(m, output) };
      if (target.kind === 'nbo') return { customerId, modelVersion, nbo: this.nbo(m, output, 0) };
      // No forecast in streams: its simulation would cost the main thread ~0.1 ms per customer.
      return { customerId, modelVersion, ltv: this.ltv(m, output, currency!, undefined) };
    };
    await streamCustomers(
      call,
      { store: this.deps.store, chunkSize, filter },
      async (rows) => {
        const groups = new Map<ServedModel, Present[]>();
        for (const row of rows) {
          const m = versionFor(route, row.customerId);
          const group = groups.get(m) ?? [];
          group.push({ subject: { kind: 'customer', customerId: row.customerId }, row });
          groups.set(m, group);
        }
        const scored = new Map<FeatureRow, ScoredCustomer>();
        await Promise.all(
          [...groups].map(async ([m, present]) => {
            const out = await this.infer(
              route,
              m,
              present.length,
              (v) => inputRows(v, present),
              signal,
              () => present.map(({ row }) => ({ customerId: row!.customerId, asOf: row!.asOf })),
            );
            present.forEach(({ row }, i) => {
              scored.set(row!, view(m, row!, out.subarray(i * m.outputs, (i + 1) * m.outputs)));
            });
          }),
        );
        return { customers: rows.map((row) => scored.get(row)!), model: ref };
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

/**
 * INVALID_ARGUMENT above MAX_EXPLAINED subjects; FAILED_PRECONDITION when a version that may
 * answer has no background sample in its manifest (a hand-written or older one).
 */
function checkExplainable(route: Route, subjects: number): void {
  if (subjects > MAX_EXPLAINED) {
    throw Errors.invalidArgument(
      `explain is limited to ${MAX_EXPLAINED} customers per call (${subjects} given): each costs about 2 x inputs x background rows model evaluations`,
    );
  }
  for (const m of [route.primary, route.canary?.model]) {
    if (m && !m.manifest.explanation) throw Errors.cannotExplain(m.name, m.version);
  }
}

/** An explanation on the wire. */
function wireExplanation(e: Explanation | undefined) {
  if (!e) return null;
  return {
    target: e.target,
    value: e.value,
    baseValue: e.baseValue,
    evaluations: e.evaluations,
    contributions: Array.from(e.contributions),
    reasons: e.reasons.map((r) => ({
      feature: r.feature,
      value: r.value,
      ...(r.typical === undefined ? {} : { typical: r.typical }),
      contribution: r.contribution,
      phrase: r.phrase,
    })),
  };
}

/** The version that answers raw rows: the primary, unless a full canary takes all the inputs. */
function rawVersion(route: Route, has: (input: string) => boolean): ServedModel {
  const model = versionFor(route, undefined);
  return model.manifest.inputs.every(has) ? model : route.primary;
}

/**
 * The subjects' rows in a version's input order: store features by index, raw values by name;
 * undefined when the version takes inputs they do not carry.
 */
function inputRows(model: ServedModel, present: readonly Present[]): Float32Array | undefined {
  const data = new Float32Array(present.length * model.inputs);
  for (let i = 0; i < present.length; i++) {
    const { subject, row } = present[i]!;
    const offset = i * model.inputs;
    if (subject.kind === 'raw') {
      for (let j = 0; j < model.inputs; j++) {
        const value = subject.values.get(model.manifest.inputs[j]!);
        if (value === undefined) return undefined;
        data[offset + j] = value;
      }
    } else {
      if (!model.featureIndex) return undefined;
      for (let j = 0; j < model.inputs; j++) data[offset + j] = row!.features[model.featureIndex[j]!]!;
    }
  }
  return data;
}
