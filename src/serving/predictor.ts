import { Errors } from '../errors.js';
import type { Explanation } from '../explain/explainer.js';
import type { FeatureRow } from '../features/feature-set.js';
import type { CustomerFilter } from '../features/online-store.js';
import type { Route } from '../models/route.js';
import { versionFor } from '../models/route.js';
import type { ServedModel } from '../models/served-model.js';
import { inSpan, inSpanSync } from '../telemetry/tracer.js';
import { type ChunkSink, streamBase } from './base-stream.js';
import { CustomerRows, versionsOf } from './customer-rows.js';
import { interpret, moneyCurrency } from './interpret.js';
import type { CustomerResult, PredictionAnswer, ScoredChunk } from './prediction.js';
import {
  checkExplainable,
  checkKind,
  inputRows,
  type Present,
  rawVersion,
  storeCannotFeed,
} from './predictor-checks.js';
import type { PredictorDeps } from './predictor-deps.js';
import { abortable, throwIfAborted } from './signals.js';
import {
  checkModelInput,
  notFound,
  type Subject,
  type SubjectRef,
  subjectId,
  validateModelRef,
  validateSubjects,
} from './subjects.js';
import type { InputPlan } from './view-inputs.js';
import type { ModelKind } from './vocabulary.js';

/** What moneyCurrency answers when it would take the store's currency (a value no currency has). */
const ASK = '\u0000';
const askStore = () => ASK;

/** Which model a call is for: a prediction RPC's configured model, or any model by name. */
export type ModelTarget = { kind: ModelKind } | { name: string; version: string };

export interface PredictOptions {
  /** Labels or items answered (0: all). */
  topK: number;
  /** Reason codes beside each score. */
  explain: boolean;
  /** false: batch scoring of chosen customers (a plan), kept out of drift. Default true. */
  served?: boolean;
  forecast?: boolean; // false: no BG/NBD forecast beside a value (~1 ms a customer)
}

/** One subject scored: the version that answered it, its input and output rows, its store row. */
interface Scored {
  subject: Subject;
  model: ServedModel;
  /** The batch's input rows (this subject's is row `index`), cut out only when explained. */
  inputs: Float32Array;
  index: number;
  output: Float32Array;
  row: FeatureRow | undefined;
  /** The as-of day of the subject's features (none for raw features). */
  asOf: string | undefined;
}

/**
 * The serving core, transport aside: route -> subjects -> rows from the store or the request ->
 * one scheduler submission per answering version -> interpretation into domain predictions. A
 * call that names no version follows the serving policy (the default, the canary for its share of
 * customers, the shadow offered the default's rows after the answer). Served rows go to the
 * prediction log and the drift windows here, in one place, whatever the front end.
 */
export class Predictor {
  private readonly customers: CustomerRows;

  constructor(private readonly deps: PredictorDeps) {
    this.customers = new CustomerRows(deps);
  }

  get maxBatchSize(): number {
    return this.deps.maxBatchSize;
  }

  /** Where a target's rows go (INVALID_ARGUMENT if malformed, NOT_FOUND if not loaded). */
  route(target: ModelTarget, field = 'model_name'): Route {
    if ('kind' in target) return this.deps.registry.route(this.deps.models[target.kind]);
    const ref = validateModelRef(target.name, target.version, field);
    return this.deps.registry.route(ref.name, ref.version);
  }

  /** Per-customer predictions: store ids or raw features, each answer typed by its output kind. */
  async predict(
    target: ModelTarget,
    refs: readonly SubjectRef[],
    options: PredictOptions,
    signal: AbortSignal,
  ): Promise<PredictionAnswer> {
    const route = this.route(target);
    const primary = route.primary;
    if ('kind' in target) checkKind(target.kind, primary);
    const out = primary.manifest.output;
    if (
      (out.kind === 'class_probabilities' || out.kind === 'ranking') &&
      !('kind' in target) &&
      options.topK > out.labels.length
    )
      throw Errors.invalidArgument(
        `top_k is ${options.topK}; model ${primary.name} has ${out.labels.length} labels (0 answers all of them)`,
      );
    const subjects = validateSubjects(refs, this.deps.maxBatchSize, primary.manifest.inputs);
    if (options.explain) checkExplainable(route, subjects.length);
    const scored = await this.score(route, subjects, signal, options.served ?? true);
    const explained = options.explain ? await this.explain(scored, signal) : undefined;
    const asMoney = 'kind' in target && target.kind === 'ltv';
    // The store's currency only for money whose manifest names none; no await otherwise.
    const asks = scored.some(
      (s) => 'model' in s && moneyCurrency(s.model.manifest, askStore, asMoney) === ASK,
    );
    const currency = asks ? (await this.deps.catalog.current()).info.currency : '';
    const storeCurrency = () => currency;
    const results = inSpanSync('postprocess', { 'loyalty.model': primary.name }, () =>
      scored.map((s): CustomerResult => {
        if (!('model' in s)) return s;
        const m = s.model.manifest;
        return {
          id: subjectId(s.subject),
          version: s.model.version,
          prediction: interpret(m, s.model.name, s.output, {
            topK: options.topK,
            currency: moneyCurrency(m, storeCurrency, asMoney),
            recentItems: s.row?.recentItems ?? [],
            row: options.forecast === false ? undefined : s.row,
          }),
          featuresAsOf: s.asOf,
          explanation: explained?.get(s),
        };
      }),
    );
    return { model: { name: primary.name, version: primary.version }, results };
  }

  /**
   * Validated rows of raw values, in the primary's input order, through its batch scheduler: its
   * raw output rows. Rows carry no customer, so no canary takes them unless it takes all; the
   * shadow is offered them when it takes the same inputs.
   */
  async predictRows(
    route: Route,
    rows: number,
    data: Float32Array,
    signal: AbortSignal,
  ): Promise<{ model: ServedModel; outputs: Float32Array }> {
    throwIfAborted(signal);
    const inputs = route.primary.manifest.inputs;
    const sameInputs = (m: ServedModel) =>
      m.manifest.inputs.length === inputs.length && m.manifest.inputs.every((n, i) => n === inputs[i]);
    const full = versionFor(route, undefined);
    const model = sameInputs(full) ? full : route.primary;
    const outputs = await abortable(
      this.infer(route, model, rows, (m) => (sameInputs(m) ? data : undefined), signal),
      signal,
    );
    return { model, outputs };
  }

  /** Rows of raw values as a caller sent them: checked, then in one Float32Array. */
  rowsOf(route: Route, values: readonly (readonly number[])[], field: string): Float32Array {
    const model = route.primary;
    this.checkRowCount(values.length, field);
    const data = new Float32Array(values.length * model.inputs);
    values.forEach((row, i) => {
      if (row.length !== model.inputs) {
        throw Errors.invalidArgument(
          `${field}[${i}] has ${row.length} values; model ${model.name} takes ${model.inputs}: ${model.manifest.inputs.join(', ')}`,
        );
      }
      row.forEach((v, j) => {
        checkModelInput(v, `${field}[${i}].values[${j}]`);
      });
      data.set(row, i * model.inputs);
    });
    return data;
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
   * The base (or a segment/tier filter of it) in customer id order, one scheduler submission per
   * chunk, handed to `sink` a chunk at a time with at most one chunk waiting for it. `served`
   * false (a campaign list: batch scoring of chosen segments) keeps the rows out of drift.
   */
  async scoreBase(
    target: ModelTarget,
    query: { chunkSize: number; filter: CustomerFilter; topK: number; served: boolean },
    sink: ChunkSink<ScoredChunk>,
    signal: AbortSignal,
  ): Promise<void> {
    const route = this.route(target);
    const primary = route.primary;
    if ('kind' in target) checkKind(target.kind, primary);
    const versions = versionsOf(route);
    for (const m of versions)
      if (!m.featureIndex && !m.viewInputs) throw storeCannotFeed(m, 'it cannot score the base');
    const plans = await this.customers.plansFor(versions);
    const needsBuiltin = versions.some((m) => m.featureIndex || plans?.get(m)?.usesBuiltin);
    const info = needsBuiltin ? (await this.deps.catalog.current()).info : undefined;
    const asMoney = 'kind' in target && target.kind === 'ltv';
    const currencies = new Map<ServedModel, string | undefined>();
    for (const m of versions)
      currencies.set(
        m,
        moneyCurrency(m.manifest, () => info?.currency ?? '', asMoney),
      );
    const ref = { name: primary.name, version: primary.version };
    const toChunk = async (present: Present[]): Promise<ScoredChunk> => {
      const scored = await this.scoreGroups(route, present, signal, query.served, plans);
      return {
        model: ref,
        customers: scored.map((s) => ({
          id: subjectId(s.subject),
          version: s.model.version,
          tier: s.row?.tier ?? '',
          segment: s.row?.scores.segment ?? '',
          prediction: interpret(s.model.manifest, s.model.name, s.output, {
            topK: query.topK,
            currency: currencies.get(s.model),
            recentItems: s.row?.recentItems ?? [],
            row: undefined,
          }),
        })),
      };
    };
    const stream = { chunkSize: query.chunkSize, filter: query.filter };
    if (needsBuiltin) {
      await streamBase(
        sink,
        { ...stream, store: this.deps.store },
        async (rows) => toChunk(await this.customers.withViews(rows, plans, primary)),
        this.deps.streamStats,
        signal,
      );
      return;
    }
    // Every input is a declared view's: the base is the first view's customers, in id order.
    if (query.filter.segments?.length || query.filter.tiers?.length)
      throw Errors.invalidArgument(
        `model ${primary.name} reads only feature views: segment and tier filters need the built-in loyalty view`,
      );
    const views = this.deps.views!;
    const driving = plans!.get(primary)!.views[0]!;
    await streamBase(
      sink,
      { ...stream, store: { scan: (after, limit) => views.scan(driving, after, limit) } },
      async (rows) => toChunk(await this.customers.withViews(rows, plans, primary)),
      this.deps.streamStats,
      signal,
    );
  }

  /**
   * The subjects' rows, grouped by the version that answers each (the primary, or the canary for
   * its customers), one scheduler submission per version. Unknown customers get their error.
   */
  private async score(
    route: Route,
    subjects: Subject[],
    signal: AbortSignal,
    served: boolean,
  ): Promise<(Scored | CustomerResult)[]> {
    const { present, refused, plans } = await this.customers.gather(route, subjects, signal);
    const scored = new Map<Subject, Scored>();
    for (const s of await this.scoreGroups(route, present, signal, served, plans)) scored.set(s.subject, s);
    return subjects.map(
      (s) => scored.get(s) ?? refused.get(s) ?? { id: subjectId(s), error: notFound(subjectId(s)) },
    );
  }

  /** Present subjects through their versions' schedulers, in their order. */
  private async scoreGroups(
    route: Route,
    present: Present[],
    signal: AbortSignal,
    served: boolean,
    plans?: ReadonlyMap<ServedModel, InputPlan>,
  ): Promise<Scored[]> {
    // Without a canary every subject goes to the primary: one group, in order, no grouping.
    if (!route.canary) return this.scoreGroup(route, route.primary, present, signal, served, plans);
    const groups = new Map<ServedModel, Present[]>();
    for (const p of present) {
      const model =
        p.subject.kind === 'customer'
          ? versionFor(route, p.subject.customerId)
          : rawVersion(route, p.subject.values);
      const group = groups.get(model);
      if (group) group.push(p);
      else groups.set(model, [p]);
    }
    const answered = new Map<Present, Scored>();
    await Promise.all(
      [...groups].map(async ([model, group]) => {
        for (const s of await this.scoreGroup(route, model, group, signal, served, plans))
          answered.set(group[s.index]!, s);
      }),
    );
    return present.map((p) => answered.get(p)!);
  }

  /** One version's subjects through its scheduler, in their order. */
  private async scoreGroup(
    route: Route,
    model: ServedModel,
    group: Present[],
    signal: AbortSignal,
    served: boolean,
    plans?: ReadonlyMap<ServedModel, InputPlan>,
  ): Promise<Scored[]> {
    const data = inputRows(model, group, plans)!;
    const outputs = await this.infer(
      route,
      model,
      group.length,
      (m) => (m === model ? data : inputRows(m, group, plans)),
      signal,
      () =>
        group.map(({ subject, asOf }) =>
          subject.kind === 'customer' ? { customerId: subject.customerId, asOf: asOf ?? '' } : undefined,
        ),
      served,
    );
    return group.map((p, i) => ({
      subject: p.subject,
      model,
      inputs: data,
      index: i,
      output: outputs.subarray(i * model.outputs, (i + 1) * model.outputs),
      row: p.row,
      asOf: p.asOf,
    }));
  }

  /**
   * Rows through one version's scheduler; the answered rows then go to the prediction log and the
   * drift windows, and those of the primary are offered to the shadow. `input` builds the rows in
   * a version's input order (undefined when it cannot); `subjects` names each row's customer and
   * the as-of day of its features (none for raw rows), asked only when the log is on.
   */
  private async infer(
    route: Route,
    model: ServedModel,
    rows: number,
    input: (model: ServedModel) => Float32Array | undefined,
    signal: AbortSignal,
    subjects?: () => readonly ({ customerId: string; asOf: string } | undefined)[],
    served = true,
  ): Promise<Float32Array> {
    const data = input(model)!;
    const out = await model.scheduler.submit(rows, data, signal);
    const { predictionLog, drift, shadow } = this.deps;
    predictionLog?.offer(signal, model, rows, data, out, subjects?.());
    if (served) drift?.observe(model, rows, data, out);
    if (route.shadow && model === route.primary) shadow.offer(model, route.shadow, rows, input, out);
    return out;
  }

  /** Every scored subject's reason codes (the explainer bounds how many run at once). */
  private async explain(
    scored: readonly (Scored | CustomerResult)[],
    signal: AbortSignal,
  ): Promise<Map<Scored, Explanation>> {
    const explained = new Map<Scored, Explanation>();
    await inSpan('explain', {}, async () => {
      await Promise.all(
        scored.map(async (s) => {
          if (!('model' in s)) return;
          const id = subjectId(s.subject);
          explained.set(
            s,
            await this.deps.explainer.explain(
              s.model,
              s.inputs.subarray(s.index * s.model.inputs, (s.index + 1) * s.model.inputs),
              s.output,
              s.row?.recentItems ?? [],
              id,
              signal,
            ),
          );
        }),
      );
    });
    return explained;
  }
}
