import { formatDay } from '../../calendar.js';
import type { OfflineStore } from '../offline-store.js';
import { DEMO_PRODUCTS } from './demo-catalog.js';
import { DEMO_CAMPAIGNS, generateCustomers } from './demo-data.js';

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
  await store.insertProducts(DEMO_PRODUCTS);
  await store.insertCampaigns(
    DEMO_CAMPAIGNS.map((c) => ({
      code: c.code,
      name: c.name,
      channel: c.channel,
      startedOn: formatDay(c.startDay),
    })),
  );
  for (let from = 0; from < options.customers; from += CHUNK) {
    const to = Math.min(from + CHUNK, options.customers);
    await store.insertHistories([...generateCustomers(options.seed, from, to)]);
    options.onProgress?.(to, options.customers);
  }
}
