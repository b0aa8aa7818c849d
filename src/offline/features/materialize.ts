import { FEATURE_NAMES, type FeatureRow } from '../../features/feature-set.js';
import { quintileCuts, type RfmThresholds } from '../../rfm/quintiles.js';
import { scoreRfm } from '../../rfm/rfm-scoring.js';
import type { OfflineStore } from '../offline-store.js';
import { type ComputedFeatures, computeFeatures } from './compute-features.js';

export interface MaterializeOptions {
  /** YYYY-MM-DD: features describe each customer as of the end of this day. */
  asOf: string;
  currency: string;
  /** Customers read per round of queries. */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface MaterializeSummary {
  asOf: string;
  customers: number;
  thresholds: RfmThresholds;
  segmentCounts: Record<string, number>;
}

/**
 * The materialization job: computes every customer's features and RFM values as of a date,
 * cuts RFM quintiles over the whole base, scores and segments each customer, and publishes
 * the result as the new online table.
 */
export async function materialize(
  store: OfflineStore,
  options: MaterializeOptions,
): Promise<MaterializeSummary> {
  const chunk = options.chunkSize ?? 2_000;
  const ids = await store.customerIds();
  const computed: ComputedFeatures[] = [];
  for (let start = 0; start < ids.length; start += chunk) {
    const slice = ids.slice(start, start + chunk);
    const histories = await store.readHistories(slice[0]!, slice[slice.length - 1]!, options.asOf);
    for (const h of histories) {
      const c = computeFeatures(h, options.asOf);
      if (c) computed.push(c);
    }
    options.onProgress?.(Math.min(start + chunk, ids.length), ids.length);
  }
  if (computed.length === 0) throw new Error(`no customer had signed up by ${options.asOf}`);

  const thresholds: RfmThresholds = {
    asOf: options.asOf,
    recency: quintileCuts(computed.map((c) => c.rfm.recencyDays)),
    frequency: quintileCuts(computed.map((c) => c.rfm.frequency)),
    monetary: quintileCuts(computed.map((c) => c.rfm.monetaryCents)),
  };
  const segmentCounts: Record<string, number> = {};
  const rows: FeatureRow[] = computed.map((c) => {
    const scores = scoreRfm(c.rfm, thresholds);
    segmentCounts[scores.segment] = (segmentCounts[scores.segment] ?? 0) + 1;
    return {
      customerId: c.customerId,
      asOf: options.asOf,
      tier: c.tier,
      features: c.features,
      rfm: c.rfm,
      scores,
      recentItems: c.recentItems,
    };
  });
  await store.publish(rows, thresholds, {
    asOf: options.asOf,
    currency: options.currency,
    featureNames: FEATURE_NAMES,
    customerCount: rows.length,
    materializedAt: new Date().toISOString().slice(0, 19).replace('T', ' '),
  });
  return { asOf: options.asOf, customers: rows.length, thresholds, segmentCounts };
}
