import type { OfflineStore } from '../offline-store.js';
import { generateCustomers } from './demo-data.js';

export interface SeedOptions {
  customers: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** Customers generated and written per round: bounds memory whatever the base size. */
const CHUNK = 5_000;

/** Recreates the data model in a store and fills it with the demo base. */
export async function seedDemo(store: OfflineStore, options: SeedOptions): Promise<void> {
  await store.resetSchema();
  for (let from = 0; from < options.customers; from += CHUNK) {
    const to = Math.min(from + CHUNK, options.customers);
    await store.insertHistories([...generateCustomers(options.seed, from, to)]);
    options.onProgress?.(to, options.customers);
  }
}
