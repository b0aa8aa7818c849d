import type { FeatureRow } from '../features/feature-set.js';
import type { RegisteredView } from '../features/repository/view-tables.js';
import type { ViewRow } from '../features/view-store.js';
import type { ServedModel } from '../models/served-model.js';
import { inSpan } from '../telemetry/tracer.js';
import type { ViewsSource } from './predictor-deps.js';
import { abortable, throwIfAborted } from './signals.js';
import type { Subject } from './subjects.js';
import type { InputPlan } from './view-inputs.js';

/** Where the core reads customers' rows: the feature lookup (cache, one query per batch). */
export interface RowSource {
  getMany(
    ids: readonly string[],
    tally?: { hits: number; misses: number },
  ): Promise<Map<string, FeatureRow | undefined>>;
}

/** Store rows of a request's customer subjects, fetched in one lookup. */
export async function fetchRows(
  rows: RowSource,
  subjects: readonly Subject[],
  signal: AbortSignal,
): Promise<Map<string, FeatureRow | undefined>> {
  const ids = subjects.flatMap((s) => (s.kind === 'customer' ? [s.customerId] : []));
  if (ids.length === 0) return new Map();
  throwIfAborted(signal);
  return inSpan('feature.fetch', { 'loyalty.customer_ids': ids.length }, async (span) => {
    const tally = { hits: 0, misses: 0 };
    const found = await abortable(rows.getMany(ids, tally), signal);
    span.setAttributes({ 'loyalty.cache.hits': tally.hits, 'loyalty.cache.misses': tally.misses });
    return found;
  });
}

/**
 * Rows of every view the plans read, for a request's customer subjects: one lookup per view, the
 * views in parallel. By view name, then by id (undefined: the view has no row for the customer).
 */
export async function fetchViewRows(
  views: ViewsSource,
  plans: ReadonlyMap<ServedModel, InputPlan>,
  subjects: readonly Subject[],
  signal: AbortSignal,
): Promise<Map<string, Map<string, ViewRow | undefined>>> {
  const ids = subjects.flatMap((s) => (s.kind === 'customer' ? [s.customerId] : []));
  const wanted = new Map<string, RegisteredView>();
  for (const plan of plans.values()) for (const v of plan.views) wanted.set(v.name, v);
  const found = new Map<string, Map<string, ViewRow | undefined>>();
  if (ids.length === 0) return found;
  throwIfAborted(signal);
  await inSpan('feature.views', { 'loyalty.customer_ids': ids.length, 'loyalty.views': wanted.size }, () =>
    Promise.all(
      [...wanted.values()].map(async (view) => {
        found.set(view.name, await abortable(views.getMany(view, ids), signal));
      }),
    ),
  );
  return found;
}
