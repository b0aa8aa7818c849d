import { FEATURE_NAMES } from '../../features/feature-set.js';
import type { SqlBackend } from '../../features/sql/sql-backend.js';
import type { StoreAddress } from '../features/chunk-workers.js';
import { materialize } from '../features/materialize.js';
import { OfflineStore } from '../offline-store.js';
import { DEMO_CURRENCY, HISTORY_END } from './demo-data.js';
import { seedDemo } from './seed-demo.js';

export interface DemoStoreOptions {
  customers: number;
  seed: number;
  onProgress?: (stage: 'generate' | 'materialize', done: number, total: number) => void;
  /** Where the materialization's worker threads open the store (materialize.ts); none: no workers. */
  workersOpen?: StoreAddress;
}

/** Fills a store with the demo base and materializes its features as of the end of the history. */
export async function buildDemoStore(backend: SqlBackend, options: DemoStoreOptions) {
  const store = new OfflineStore(backend);
  await seedDemo(store, {
    customers: options.customers,
    seed: options.seed,
    onProgress: (d, t) => options.onProgress?.('generate', d, t),
  });
  return materialize(store, {
    asOf: HISTORY_END,
    currency: DEMO_CURRENCY,
    onProgress: (d, t) => options.onProgress?.('materialize', d, t),
    workersOpen: options.workersOpen,
  });
}

/**
 * True when the store holds a published materialization of this version's features; a store
 * made by a version with other features is stale.
 */
export async function hasMaterialization(backend: SqlBackend): Promise<boolean> {
  try {
    const rows = await backend.select("SELECT feature_names FROM feature_set WHERE name = 'default'");
    const names = rows[0] ? (JSON.parse(String(rows[0].feature_names)) as string[]) : [];
    return JSON.stringify(names) === JSON.stringify(FEATURE_NAMES);
  } catch {
    return false;
  }
}
