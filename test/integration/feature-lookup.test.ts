import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureLookup, type FeatureLookupOptions } from '../../src/features/feature-lookup.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildTestSqliteStore } from '../helpers/demo.js';

/** The feature cache and its batched, coalesced reads, over a real (embedded) store. */
describe('feature lookup', () => {
  let sqlite: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let store: OnlineFeatureStore;

  const options = (overrides: Partial<FeatureLookupOptions> = {}): FeatureLookupOptions => ({
    maxEntries: 1_000,
    ttlMs: 60_000,
    negativeTtlMs: 5_000,
    ...overrides,
  });

  beforeAll(async () => {
    sqlite = await buildTestSqliteStore();
    store = new OnlineFeatureStore(new SqliteBackend(sqlite.path));
  });

  afterAll(async () => {
    await store?.close();
    sqlite?.cleanup();
  });

  it('answers 100 concurrent lookups of one id with one SQL query', async () => {
    const lookup = new FeatureLookup(store, options());
    const before = store.stats.rowQueries;
    const results = await Promise.all(Array.from({ length: 100 }, () => lookup.getMany([customerId(42)])));
    expect(store.stats.rowQueries - before).toBe(1);
    expect(results.every((r) => r.get(customerId(42))?.customerId === customerId(42))).toBe(true);
    expect(lookup.stats.misses).toBe(1);
    expect(lookup.stats.coalesced).toBe(99);
  });

  it('answers lookups spread over the event loop with one query per gathered batch, then from cache', async () => {
    const lookup = new FeatureLookup(store, options());
    const before = store.stats.rowQueries;
    const ids = Array.from({ length: 50 }, (_, i) => customerId(1000 + i));
    await Promise.all(ids.map((id) => lookup.getMany([id])));
    expect(store.stats.rowQueries - before).toBe(1);
    await lookup.getMany(ids);
    expect(store.stats.rowQueries - before).toBe(1);
    expect(lookup.stats.hits).toBe(50);
  });

  it('remembers an unknown id for the negative TTL only', async () => {
    const lookup = new FeatureLookup(store, options({ negativeTtlMs: 150 }));
    const before = store.stats.rowQueries;
    expect((await lookup.getMany(['NOPE'])).get('NOPE')).toBeUndefined();
    expect((await lookup.getMany(['NOPE'])).get('NOPE')).toBeUndefined();
    expect(store.stats.rowQueries - before).toBe(1);
    expect(lookup.stats.negativeHits).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    await lookup.getMany(['NOPE']);
    expect(store.stats.rowQueries - before).toBe(2);
  });

  it('bounds the cache and counts evictions', async () => {
    const lookup = new FeatureLookup(store, options({ maxEntries: 10 }));
    await lookup.getMany(Array.from({ length: 25 }, (_, i) => customerId(i)));
    expect(lookup.stats.evictions).toBe(15);
  });

  it('bounds the unknown ids it remembers apart from the customers: a flood of them evicts none', async () => {
    const lookup = new FeatureLookup(store, options({ maxEntries: 1_000, negativeMaxEntries: 2_000 }));
    const warm = Array.from({ length: 1_000 }, (_, i) => customerId(i));
    await lookup.getMany(warm);
    for (let batch = 0; batch < 10; batch++) {
      await lookup.getMany(Array.from({ length: 1_000 }, (_, i) => `UNKNOWN-${batch}-${i}`));
    }
    expect(lookup.size).toEqual({ customers: 1_000, unknown: 2_000 });
    expect(lookup.stats.evictions).toBe(0);
  });

  it('serves every cached customer while the store is down, after a flood of unknown ids', async () => {
    const broken = await buildTestSqliteStore();
    const brokenStore = new OnlineFeatureStore(new SqliteBackend(broken.path));
    try {
      const lookup = new FeatureLookup(brokenStore, options());
      const warm = Array.from({ length: 1_000 }, (_, i) => customerId(i));
      await lookup.getMany(warm);
      for (let batch = 0; batch < 30; batch++) {
        await lookup.getMany(Array.from({ length: 1_000 }, (_, i) => `UNKNOWN-${batch}-${i}`));
      }
      await brokenStore.close();
      const rows = await lookup.getMany(warm);
      expect([...rows.values()].filter((r) => r !== undefined).length).toBe(1_000);
      await expect(lookup.getMany(['UNCACHED-1'])).rejects.toMatchObject({ code: 14 });
    } finally {
      broken.cleanup();
    }
  });
});
