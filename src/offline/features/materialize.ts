import { FEATURE_NAMES } from '../../features/feature-set.js';
import { quintileCuts, type RfmThresholds } from '../../rfm/quintiles.js';
import type { OfflineStore } from '../offline-store.js';
import { ChunkWorkers, type StoreAddress } from './chunk-workers.js';
import { type ComputedFeatures, computeFeatures } from './compute-features.js';
import { OnlineTableBuild } from './online-build.js';

export interface MaterializeOptions {
  /** YYYY-MM-DD: features describe each customer as of the end of this day. */
  asOf: string;
  currency: string;
  /**
   * Customers read per round of queries (default 500): a round holds their records as rows and as
   * histories at once; at 2,000 the peak RSS of 100,000 demo customers was 751 MB, at 500 279 MB,
   * in the same time.
   */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Where worker threads open the store: with it, chunks are read and computed by one worker per
   * core (chunk-workers.ts) while this thread writes; without it (or on one core), here.
   */
  workersOpen?: StoreAddress;
}

export interface MaterializeSummary {
  asOf: string;
  customers: number;
  thresholds: RfmThresholds;
  segmentCounts: Record<string, number>;
}

/** RFM values of every customer, three typed columns (24 bytes a customer), for the quintile cuts. */
class RfmColumns {
  recency = new Float64Array(1 << 16);
  frequency = new Float64Array(1 << 16);
  monetary = new Float64Array(1 << 16);
  length = 0;

  push(c: ComputedFeatures): void {
    if (this.length === this.recency.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.recency = grow(this.recency);
      this.frequency = grow(this.frequency);
      this.monetary = grow(this.monetary);
    }
    this.recency[this.length] = c.rfm.recencyDays;
    this.frequency[this.length] = c.rfm.frequency;
    this.monetary[this.length] = c.rfm.monetaryCents;
    this.length++;
  }
}

/**
 * The materialization job: computes every customer's features and RFM values as of a date, a
 * chunk of customers at a time, and writes each chunk into a staging table as it goes; then cuts
 * RFM quintiles over the whole base, scores and segments every row in the database, and
 * publishes the staging table as the new online table in one step. Memory holds one chunk of
 * histories per worker and the three RFM columns (24 bytes a customer), whatever the size of
 * the base.
 */
export async function materialize(
  store: OfflineStore,
  options: MaterializeOptions,
): Promise<MaterializeSummary> {
  const chunk = options.chunkSize ?? 500;
  const total = await store.customerCount();
  const build = new OnlineTableBuild(store.backend);
  await build.start();
  const rfm = new RfmColumns();
  const workers = options.workersOpen ? ChunkWorkers.start(options.workersOpen, options.asOf) : undefined;
  const compute = async (first: string, last: string): Promise<ComputedFeatures[]> => {
    if (workers) return workers.compute(first, last);
    const histories = await store.readHistories(first, last, options.asOf);
    return histories.flatMap((h) => computeFeatures(h, options.asOf) ?? []);
  };
  // Up to two chunks per worker in flight (one waiting for each), one without workers; each is
  // written as it arrives.
  const inFlight = new Set<Promise<void>>();
  let after = '';
  let done = 0;
  try {
    for (;;) {
      const ids = await store.customerIdsAfter(after, chunk);
      if (ids.length === 0) break;
      const chunkDone = compute(ids[0]!, ids[ids.length - 1]!).then(async (computed) => {
        for (const c of computed) rfm.push(c);
        await build.write(computed, options.asOf);
        done += ids.length;
        options.onProgress?.(Math.min(done, total), total);
      });
      inFlight.add(chunkDone);
      void chunkDone.then(
        () => inFlight.delete(chunkDone),
        () => {},
      );
      after = ids[ids.length - 1]!;
      if (inFlight.size >= (workers ? workers.size * 2 : 1)) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } catch (err) {
    await Promise.allSettled(inFlight);
    await build.drop();
    throw err;
  } finally {
    await workers?.close();
  }
  if (rfm.length === 0) {
    await build.drop();
    throw new Error(`no customer had signed up by ${options.asOf}`);
  }
  const n = rfm.length;
  const thresholds: RfmThresholds = {
    asOf: options.asOf,
    recency: quintileCuts(rfm.recency.subarray(0, n)),
    frequency: quintileCuts(rfm.frequency.subarray(0, n)),
    monetary: quintileCuts(rfm.monetary.subarray(0, n)),
  };
  const segmentCounts = await build.score(thresholds);
  await build.publish(thresholds, {
    asOf: options.asOf,
    currency: options.currency,
    featureNames: FEATURE_NAMES,
    customerCount: n,
    materializedAt: new Date().toISOString().slice(0, 19).replace('T', ' '),
  });
  return { asOf: options.asOf, customers: n, thresholds, segmentCounts };
}
