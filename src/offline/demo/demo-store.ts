import type { SqlBackend } from '../../features/sql/sql-backend.js';
import { materialize } from '../features/materialize.js';
import { OfflineStore } from '../offline-store.js';
import { DEMO_CURRENCY, HISTORY_END } from './demo-data.js';
import { seedDemo } from './seed-demo.js';

export interface DemoStoreOptions {
  customers: number;
  seed: number;
  onProgress?: (stage: 'generate' | 'materialize', done: number, total: number) => void;
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
  });
}

/** True when the store already holds a published materialization. */
export async function hasMaterialization(backend: SqlBackend): Promise<boolean> {
  try {
    const rows = await backend.select("SELECT COUNT(*) AS n FROM feature_set WHERE name = 'default'");
    return Number(rows[0]?.n) > 0;
  } catch {
    return false;
  }
}
