import { LRUCache } from 'lru-cache';
import type { FeatureRow } from './feature-set.js';
import { MAX_IDS_PER_QUERY } from './online-store.js';

export interface FeatureLookupOptions {
  /** Most cached customers; 0 disables the cache (found and not found). */
  maxEntries: number;
  /**
   * Most ids remembered as unknown. Kept apart from the customers: in one cache, 210,000
   * well-formed unknown ids (2 s of calls) evicted every real customer, which then could not be
   * served while the database was down.
   */
  negativeMaxEntries?: number;
  /** How long a found customer's row is served from the cache. */
  ttlMs: number;
  /** How long "not found" is remembered, so a burst of calls for a bad id costs one query. */
  negativeTtlMs: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  negativeHits: number;
  evictions: number;
  /** Lookups that joined a query already in flight for the same id. */
  coalesced: number;
}

const DEFAULT_NEGATIVE_ENTRIES = 20_000;

interface Pending<T> {
  resolve: (row: T | undefined) => void;
  reject: (err: unknown) => void;
}

/** Where a lookup reads the rows it does not hold: at most MAX_IDS_PER_QUERY ids per call. */
export interface RowReader<T> {
  getRows(ids: readonly string[]): Promise<Map<string, T>>;
}

/**
 * The one owner of a feature cache (the online table's, or one feature view's). Looks customers up cache first; the ids that miss are
 * gathered for one turn of the event loop and fetched with one query per MAX_IDS_PER_QUERY
 * ids, and a lookup of an id whose query is already in flight waits for that query instead
 * of starting another.
 */
export class FeatureLookup<T = FeatureRow> {
  readonly stats: CacheStats = { hits: 0, misses: 0, negativeHits: 0, evictions: 0, coalesced: 0 };
  private readonly cache: LRUCache<string, T & {}> | undefined;
  private readonly unknown: LRUCache<string, true> | undefined;
  private readonly inFlight = new Map<string, Promise<T | undefined>>();
  private queued = new Map<string, Pending<T>>();
  private flushScheduled = false;

  constructor(
    private readonly store: RowReader<T & {}>,
    options: FeatureLookupOptions,
  ) {
    this.cache =
      options.maxEntries > 0
        ? new LRUCache<string, T & {}>({
            max: options.maxEntries,
            ttl: Math.max(options.ttlMs, 1),
            ttlAutopurge: false,
            dispose: (_value, _key, reason) => {
              if (reason === 'evict') this.stats.evictions++;
            },
          })
        : undefined;
    const negativeMax = options.negativeMaxEntries ?? DEFAULT_NEGATIVE_ENTRIES;
    this.unknown =
      options.maxEntries > 0 && negativeMax > 0 && options.negativeTtlMs > 0
        ? new LRUCache<string, true>({ max: negativeMax, ttl: options.negativeTtlMs, ttlAutopurge: false })
        : undefined;
  }

  /**
   * Rows by id; an id the store does not hold maps to undefined. Rejects if the store fails.
   * `tally`, when given, counts this lookup's cache hits and misses (for its trace span).
   */
  async getMany(
    ids: readonly string[],
    tally?: { hits: number; misses: number },
  ): Promise<Map<string, T | undefined>> {
    const result = new Map<string, T | undefined>();
    const waits: Promise<void>[] = [];
    for (const id of new Set(ids)) {
      const cached = this.cache?.get(id);
      if (cached !== undefined) {
        if (tally) tally.hits++;
        this.stats.hits++;
        result.set(id, cached);
        continue;
      }
      if (this.unknown?.get(id)) {
        if (tally) tally.hits++;
        this.stats.negativeHits++;
        result.set(id, undefined);
        continue;
      }
      if (tally) tally.misses++;
      waits.push(this.fetch(id).then((row) => void result.set(id, row)));
    }
    await Promise.all(waits);
    return result;
  }

  /** Forgets every cached row, e.g. after a new materialization. */
  clear(): void {
    this.cache?.clear();
    this.unknown?.clear();
  }

  /** Customers and unknown ids held now. */
  get size(): { customers: number; unknown: number } {
    return { customers: this.cache?.size ?? 0, unknown: this.unknown?.size ?? 0 };
  }

  private fetch(id: string): Promise<T | undefined> {
    const existing = this.inFlight.get(id);
    if (existing) {
      this.stats.coalesced++;
      return existing;
    }
    this.stats.misses++;
    const promise = new Promise<T | undefined>((resolve, reject) => {
      this.queued.set(id, { resolve, reject });
    });
    this.inFlight.set(id, promise);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return promise;
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = new Map();
    const ids = [...batch.keys()];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_QUERY) {
      void this.query(ids.slice(start, start + MAX_IDS_PER_QUERY), batch);
    }
  }

  private async query(ids: string[], batch: Map<string, Pending<T>>): Promise<void> {
    try {
      const rows = await this.store.getRows(ids);
      for (const id of ids) {
        const row = rows.get(id);
        if (row) this.cache?.set(id, row);
        else this.unknown?.set(id, true);
        this.inFlight.delete(id);
        batch.get(id)!.resolve(row);
      }
    } catch (err) {
      for (const id of ids) {
        this.inFlight.delete(id);
        batch.get(id)!.reject(err);
      }
    }
  }
}
