import { Errors } from '../errors.js';
import { FEATURE_NAMES } from '../features/feature-set.js';
import type { ViewsState } from '../features/feature-views.js';
import { BUILTIN_VIEW } from '../features/repository/repository-schema.js';
import type { RegisteredView } from '../features/repository/view-tables.js';
import type { ViewRow } from '../features/view-store.js';
import type { ServedModel } from '../models/served-model.js';

/**
 * Where each input of a view-fed version comes from, checked against the registry a server last
 * read: the views it reads, and per input the view (BUILTIN for the online table) and column.
 */
export interface InputPlan {
  views: RegisteredView[];
  /** Per input: BUILTIN, or an index into `views`. */
  source: Int16Array;
  /** Per input: an index into the online table's features, or into the view row's values. */
  column: Int32Array;
  usesBuiltin: boolean;
}

export const BUILTIN = -1;

const plans = new WeakMap<ServedModel, { generation: number; plan: InputPlan }>();

/**
 * The plan of a version whose inputs name declared views; FAILED_PRECONDITION naming the view
 * (or feature) that is not applied, not materialized since it was declared, or older than its
 * maxAgeDays. Planned once per version and registry generation; the age is checked every call.
 */
export function planInputs(model: ServedModel, state: ViewsState, now = Date.now()): InputPlan {
  const cached = plans.get(model);
  const plan = cached?.generation === state.generation ? cached.plan : buildPlan(model, state.views);
  if (cached?.generation !== state.generation) plans.set(model, { generation: state.generation, plan });
  for (const view of plan.views) {
    const maxAge = view.definition.maxAgeDays;
    if (maxAge === undefined) continue;
    const age = (now - Date.parse(`${view.materializedAt!.replace(' ', 'T')}Z`)) / 86_400_000;
    if (age > maxAge)
      throw Errors.failedPrecondition(
        `feature view ${view.name} is stale: materialized at ${view.materializedAt} UTC, ${age.toFixed(1)} days ago, past its maxAgeDays of ${maxAge}; run features materialize ${view.name}`,
      );
  }
  return plan;
}

function buildPlan(model: ServedModel, registry: ReadonlyMap<string, RegisteredView>): InputPlan {
  const inputs = model.viewInputs!;
  const views: RegisteredView[] = [];
  const source = new Int16Array(inputs.length);
  const column = new Int32Array(inputs.length);
  let usesBuiltin = false;
  inputs.forEach(({ view, feature }, j) => {
    if (view === BUILTIN_VIEW) {
      usesBuiltin = true;
      source[j] = BUILTIN;
      column[j] = (FEATURE_NAMES as readonly string[]).indexOf(feature);
      return;
    }
    const registered = registry.get(view);
    if (!registered)
      throw Errors.failedPrecondition(
        `model ${model.name} reads feature view ${view}, which this store does not hold: declare it and run features apply and features materialize`,
      );
    if (registered.materializedAt === undefined)
      throw Errors.failedPrecondition(
        `model ${model.name} reads feature view ${view}, which has not been materialized: run features materialize ${view}`,
      );
    if (!registered.materializedFeatures.includes(feature))
      throw Errors.failedPrecondition(
        `model ${model.name} reads ${view}.${feature}, which view ${view} ${registered.tableFeatures.includes(feature) ? 'has not materialized since the feature was added' : 'does not declare'}`,
      );
    let k = views.indexOf(registered);
    if (k < 0) k = views.push(registered) - 1;
    source[j] = k;
    column[j] = registered.tableFeatures.indexOf(feature);
  });
  return { views, source, column, usesBuiltin };
}

/** The first input of a plan a customer's view rows have no value for (no default declared). */
export function missingValue(
  model: ServedModel,
  plan: InputPlan,
  rows: ReadonlyMap<string, ViewRow>,
): string | undefined {
  for (let j = 0; j < plan.source.length; j++) {
    const k = plan.source[j]!;
    if (k === BUILTIN) continue;
    const value = rows.get(plan.views[k]!.name)?.values[plan.column[j]!];
    if (value === undefined || Number.isNaN(value)) return model.manifest.inputs[j];
  }
  return undefined;
}

/** When a customer's view values became true, as a date: the oldest of the views it reads. */
export function viewsAsOf(plan: InputPlan, rows: ReadonlyMap<string, ViewRow>): string | undefined {
  let oldest: string | undefined;
  for (const view of plan.views) {
    const at = rows.get(view.name)?.eventTs ?? view.valuesAsOf;
    if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
  }
  return oldest?.slice(0, 10);
}
