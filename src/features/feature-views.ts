import { BackgroundRefresh } from './background-refresh.js';
import { FeatureLookup, type FeatureLookupOptions } from './feature-lookup.js';
import { MAX_IDS_PER_QUERY } from './online-store.js';
import type { RegisteredView } from './repository/view-tables.js';
import type { ViewRow, ViewStore } from './view-store.js';

/** The registry as a server last read it; `generation` changes whenever any view changes. */
export interface ViewsState {
  views: ReadonlyMap<string, RegisteredView>;
  generation: number;
}

/**
 * The serving side's owner of the feature views: the registry, re-read every refreshMs (in the
 * background once there is one, like the online table's catalog), and one cache per view with the
 * online table's options (coalescing, negative cache). A change of any view (applied or
 * materialized again) empties every view's cache.
 */
export class FeatureViews {
  private state: ViewsState | undefined;
  private readonly registry: BackgroundRefresh<ViewsState>;
  private readonly lookups = new Map<string, FeatureLookup<ViewRow>>();

  constructor(
    private readonly store: ViewStore,
    refreshMs: number,
    private readonly cache: FeatureLookupOptions,
  ) {
    this.registry = new BackgroundRefresh(() => this.load(), refreshMs);
  }

  current(): Promise<ViewsState> {
    return this.registry.current();
  }

  /** The registry as last read, without waiting (a due refresh starts in the background). */
  latest(): ReadonlyMap<string, RegisteredView> | undefined {
    return this.registry.latest()?.views;
  }

  /** Rows of one view by id, through its cache. */
  getMany(
    view: RegisteredView,
    ids: readonly string[],
    tally?: { hits: number; misses: number },
  ): Promise<Map<string, ViewRow | undefined>> {
    let lookup = this.lookups.get(view.name);
    if (!lookup) {
      lookup = new FeatureLookup<ViewRow>(
        { getRows: (batch) => this.store.getRows(view, batch) },
        this.cache,
      );
      this.lookups.set(view.name, lookup);
    }
    return lookup.getMany(ids, tally);
  }

  /** Rows of one view by id, straight from the store (streams: the whole base would flush the cache). */
  async read(view: RegisteredView, ids: readonly string[]): Promise<Map<string, ViewRow>> {
    const found = new Map<string, ViewRow>();
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_QUERY)
      for (const [id, row] of await this.store.getRows(view, ids.slice(start, start + MAX_IDS_PER_QUERY)))
        found.set(id, row);
    return found;
  }

  scan(view: RegisteredView, afterId: string, limit: number): Promise<ViewRow[]> {
    return this.store.scan(view, afterId, limit);
  }

  /** Customers cached over every view. */
  get cachedRows(): number {
    let n = 0;
    for (const lookup of this.lookups.values()) n += lookup.size.customers;
    return n;
  }

  private async load(): Promise<ViewsState> {
    const views = await this.store.registry();
    const fingerprint = (v: RegisteredView) =>
      `${v.appliedAt}|${v.materializedAt}|${v.tableFeatures.join(',')}`;
    const before = this.state;
    const same =
      before !== undefined &&
      before.views.size === views.size &&
      [...views].every(([name, v]) => {
        const old = before.views.get(name);
        return old !== undefined && fingerprint(old) === fingerprint(v);
      });
    if (!same) this.lookups.clear();
    this.state = same ? before : { views, generation: (before?.generation ?? 0) + 1 };
    return this.state;
  }
}
