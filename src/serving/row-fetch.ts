import type { FeatureRow } from '../features/feature-set.js';
import { inSpan } from '../telemetry/tracer.js';
import { abortable, throwIfAborted } from './signals.js';
import type { Subject } from './subjects.js';

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
