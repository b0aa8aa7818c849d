import { Errors } from '../errors.js';
import type { FeatureRow } from '../features/feature-set.js';
import type { RegisteredView } from '../features/repository/view-tables.js';
import type { ViewRow } from '../features/view-store.js';
import type { Route } from '../models/route.js';
import type { ServedModel } from '../models/served-model.js';
import type { CustomerResult } from './prediction.js';
import type { Present } from './predictor-checks.js';
import { storeCannotFeed } from './predictor-checks.js';
import type { PredictorDeps } from './predictor-deps.js';
import { fetchRows, fetchViewRows } from './row-fetch.js';
import { notFound, type Subject, valueMissing } from './subjects.js';
import { type InputPlan, missingValue, planInputs, viewsAsOf } from './view-inputs.js';

/** The versions that may answer a call: the primary and the canary. */
export function versionsOf(route: Route): ServedModel[] {
  return route.canary ? [route.primary, route.canary.model] : [route.primary];
}

/** A call's customers with their rows, those refused with their errors, and the versions' input plans. */
export interface Gathered {
  present: Present[];
  refused: Map<Subject, CustomerResult>;
  plans: Map<ServedModel, InputPlan> | undefined;
}

/**
 * The rows a call's customers are scored on: the online table's (through its cache) when a
 * version reads built-in features, and each declared view's that a version reads (one lookup
 * per view, in parallel). A customer missing from the online table or from a view, or without a
 * value a version needs, is refused with its own error; the call goes on for the others.
 */
export class CustomerRows {
  constructor(private readonly deps: Pick<PredictorDeps, 'rows' | 'catalog' | 'views'>) {}

  async gather(route: Route, subjects: readonly Subject[], signal: AbortSignal): Promise<Gathered> {
    const hasCustomers = subjects.some((s) => s.kind === 'customer');
    let plans: Map<ServedModel, InputPlan> | undefined;
    let needsBuiltin = false;
    if (hasCustomers) {
      const versions = route.canary ? versionsOf(route) : undefined;
      if (versions) {
        for (const m of versions)
          if (!m.featureIndex && !m.viewInputs) throw storeCannotFeed(m, 'call it with raw features');
        plans = await this.plansFor(versions);
        needsBuiltin = versions.some((m) => m.featureIndex || plans?.get(m)?.usesBuiltin);
      } else {
        // The common call: one version, no canary (no array, no await unless it reads views).
        const m = route.primary;
        if (!m.featureIndex && !m.viewInputs) throw storeCannotFeed(m, 'call it with raw features');
        if (m.viewInputs) plans = await this.plansFor([m]);
        needsBuiltin = m.featureIndex !== undefined || plans?.get(m)?.usesBuiltin === true;
      }
      // FAILED_PRECONDITION before any read when the store holds no materialization of these features.
      if (needsBuiltin) await this.deps.catalog.current();
    }
    const rows = needsBuiltin ? fetchRows(this.deps.rows, subjects, signal) : undefined;
    // Both reads at once when a version reads views; the online table's alone otherwise.
    const [builtinRows, viewRows] = plans
      ? await Promise.all([rows, fetchViewRows(this.deps.views!, plans, subjects, signal)])
      : [rows && (await rows), undefined];
    const present: Present[] = [];
    const refused = new Map<Subject, CustomerResult>();
    const primaryPlan = plans?.get(route.primary);
    for (const subject of subjects) {
      if (subject.kind === 'raw') {
        present.push({ subject, row: undefined });
        continue;
      }
      const id = subject.customerId;
      const row = builtinRows?.get(id);
      if (needsBuiltin && !row) continue;
      if (!viewRows) {
        present.push({ subject, row, asOf: row?.asOf });
        continue;
      }
      const views = new Map<string, ViewRow>();
      let absentFrom: string | undefined;
      for (const [view, byId] of viewRows) {
        const found = byId.get(id);
        if (found) views.set(view, found);
        else absentFrom ??= view;
      }
      const missing =
        absentFrom === undefined && primaryPlan ? missingValue(route.primary, primaryPlan, views) : undefined;
      if (absentFrom !== undefined) refused.set(subject, { id, error: notFound(id, absentFrom) });
      else if (missing !== undefined) refused.set(subject, { id, error: valueMissing(id, missing) });
      else
        present.push({
          subject,
          row,
          views,
          asOf: olderDay(row?.asOf, primaryPlan && viewsAsOf(primaryPlan, views)),
        });
    }
    return { present, refused, plans };
  }

  /** The input plans of the versions that read declared feature views; undefined when none does. */
  async plansFor(versions: readonly ServedModel[]): Promise<Map<ServedModel, InputPlan> | undefined> {
    const viewed = versions.filter((m) => m.viewInputs);
    if (viewed.length === 0) return undefined;
    if (!this.deps.views)
      throw Errors.failedPrecondition(
        `model ${viewed[0]!.name} reads feature views, and this server reads none from its store`,
      );
    const state = await this.deps.views.current();
    return new Map(viewed.map((m) => [m, planInputs(m, state)]));
  }

  /**
   * A chunk of the base with each customer's rows of the views the plans read (read from the
   * store, not the cache); a customer without a row or a value in one of them is not part of the
   * model's base and is left out.
   */
  async withViews(
    rows: readonly (FeatureRow | ViewRow)[],
    plans: ReadonlyMap<ServedModel, InputPlan> | undefined,
    primary: ServedModel,
  ): Promise<Present[]> {
    const present = (r: FeatureRow | ViewRow, views?: ReadonlyMap<string, ViewRow>): Present => {
      const row = 'features' in r ? r : undefined;
      return { subject: { kind: 'customer', customerId: r.customerId }, row, views, asOf: row?.asOf };
    };
    if (!plans) return rows.map((r) => present(r));
    const wanted = new Map<string, RegisteredView>();
    for (const plan of plans.values()) for (const v of plan.views) wanted.set(v.name, v);
    const ids = rows.map((r) => r.customerId);
    const byView = new Map<string, Map<string, ViewRow>>();
    await Promise.all(
      [...wanted.values()].map(async (v) => {
        byView.set(v.name, await this.deps.views!.read(v, ids));
      }),
    );
    const primaryPlan = plans.get(primary);
    const out: Present[] = [];
    for (const r of rows) {
      const views = new Map<string, ViewRow>();
      for (const [name, found] of byView) {
        const row = found.get(r.customerId);
        if (row) views.set(name, row);
      }
      if (views.size < byView.size) continue;
      if (primaryPlan && missingValue(primary, primaryPlan, views) !== undefined) continue;
      const p = present(r, views);
      if (primaryPlan) p.asOf = olderDay(p.asOf, viewsAsOf(primaryPlan, views));
      out.push(p);
    }
    return out;
  }
}

/** The older of two YYYY-MM-DD days, either possibly unknown. */
function olderDay(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || (b !== undefined && b < a) ? b : a;
}
