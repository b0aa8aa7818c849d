import { Errors } from '../errors.js';
import { MAX_EXPLAINED } from '../explain/explainer.js';
import type { FeatureRow } from '../features/feature-set.js';
import { parseInputName } from '../features/input-names.js';
import type { ViewRow } from '../features/view-store.js';
import { type Route, versionFor } from '../models/route.js';
import type { ServedModel } from '../models/served-model.js';
import type { Subject } from './subjects.js';
import { BUILTIN, type InputPlan } from './view-inputs.js';
import { MODEL_KINDS, type ModelKind } from './vocabulary.js';

/** The Predictor's checks of a route against a call, and the rows it builds for a version. */

/** A subject with its store row (none for raw features) and its rows of the views it is scored on. */
export interface Present {
  subject: Subject;
  row: FeatureRow | undefined;
  views?: ReadonlyMap<string, ViewRow>;
  /** The as-of day of the customer's features (the online table's, or the oldest view's). */
  asOf?: string;
}

/** FAILED_PRECONDITION when a prediction RPC's configured model gives another kind of output. */
export function checkKind(kind: ModelKind, model: ServedModel): void {
  const wanted = MODEL_KINDS[kind].output;
  if (model.manifest.output.kind !== wanted)
    throw Errors.failedPrecondition(
      `${MODEL_KINDS[kind].rpc} is served by model ${model.name}, whose output is ${model.manifest.output.kind}, not ${wanted}; set ${MODEL_KINDS[kind].setting} to a ${wanted} model`,
    );
}

/** INVALID_ARGUMENT naming the inputs of a model that are not features of the store. */
export function storeCannotFeed(model: ServedModel, advice: string) {
  const missing = model.manifest.inputs.filter((n) => parseInputName(n) === undefined);
  return Errors.invalidArgument(
    `model ${model.name} takes inputs the feature store does not hold (${missing.slice(0, 10).join(', ')}); ${advice}`,
  );
}

/**
 * INVALID_ARGUMENT above MAX_EXPLAINED subjects; FAILED_PRECONDITION when a version that may
 * answer has no background sample in its manifest (a hand-written or older one).
 */
export function checkExplainable(route: Route, subjects: number): void {
  if (subjects > MAX_EXPLAINED) {
    throw Errors.invalidArgument(
      `explain is limited to ${MAX_EXPLAINED} customers per call (${subjects} given): each costs about 2 x inputs x background rows model evaluations`,
    );
  }
  for (const m of [route.primary, route.canary?.model]) {
    if (m && !m.manifest.explanation) throw Errors.cannotExplain(m.name, m.version);
  }
}

/** The version that answers raw rows: the primary, unless a full canary takes all the inputs. */
export function rawVersion(route: Route, values: ReadonlyMap<string, number>): ServedModel {
  const model = versionFor(route, undefined);
  return model.manifest.inputs.every((n) => values.has(n)) ? model : route.primary;
}

/**
 * The subjects' rows in a version's input order: store features by index, raw values by name;
 * undefined when the version takes inputs they do not carry.
 */
export function inputRows(
  model: ServedModel,
  present: readonly Present[],
  plans?: ReadonlyMap<ServedModel, InputPlan>,
): Float32Array | undefined {
  const plan = plans?.get(model);
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
    } else if (model.featureIndex) {
      for (let j = 0; j < model.inputs; j++) data[offset + j] = row!.features[model.featureIndex[j]!]!;
    } else if (plan) {
      const views = present[i]!.views;
      for (let j = 0; j < model.inputs; j++) {
        const k = plan.source[j]!;
        const value =
          k === BUILTIN
            ? row?.features[plan.column[j]!]
            : views?.get(plan.views[k]!.name)?.values[plan.column[j]!];
        if (value === undefined) return undefined;
        data[offset + j] = value;
      }
    } else {
      return undefined;
    }
  }
  return data;
}
