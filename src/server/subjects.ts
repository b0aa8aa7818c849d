import type { FeatureLookup } from '../features/feature-lookup.js';
import type { FeatureRow } from '../features/feature-set.js';
import { inSpan } from '../telemetry/tracer.js';
import { abortable, throwIfAborted } from './call-guard.js';
import type { Subject } from './validation.js';

const STATUS_NOT_FOUND = 5;

/** Store rows of a request's customer subjects, fetched in one lookup (cache, one query per batch). */
export async function fetchRows(
  lookup: FeatureLookup,
  subjects: readonly Subject[],
  signal: AbortSignal,
): Promise<Map<string, FeatureRow | undefined>> {
  const ids = subjects.flatMap((s) => (s.kind === 'customer' ? [s.customerId] : []));
  if (ids.length === 0) return new Map();
  throwIfAborted(signal);
  return inSpan('feature.fetch', { 'loyalty.customer_ids': ids.length }, async (span) => {
    const tally = { hits: 0, misses: 0 };
    const rows = await abortable(lookup.getMany(ids, tally), signal);
    span.setAttributes({ 'loyalty.cache.hits': tally.hits, 'loyalty.cache.misses': tally.misses });
    return rows;
  });
}

/** The per-item error of an unknown customer. */
export function notFound(customerId: string) {
  return {
    code: STATUS_NOT_FOUND,
    reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND' as const,
    message: `customer ${customerId} is not in the feature store`,
  };
}

/** The id a result carries: the customer id, or the caller's reference of raw features. */
export function subjectId(subject: Subject): string {
  return subject.kind === 'customer' ? subject.customerId : subject.reference;
}
