import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId, generateCustomers, HISTORY_END } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { computeFeatures } from '../../src/offline/features/compute-features.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { quintileCuts } from '../../src/rfm/quintiles.js';
import { scoreRfm } from '../../src/rfm/rfm-scoring.js';
import { buildTestSqliteStore, comparableHistory, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, mysqlAvailable, type TestDatabase } from '../helpers/mysql.js';

const hasMysql = await mysqlAvailable();

describe.skipIf(!hasMysql)('feature store on MariaDB and on the embedded SQLite', () => {
  let db: TestDatabase;
  let sqlite: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let mysqlSummary: Awaited<ReturnType<typeof buildDemoStore>>;
  let mysqlStore: OnlineFeatureStore;
  let sqliteStore: OnlineFeatureStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    const writer = new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
    mysqlSummary = await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    sqlite = await buildTestSqliteStore();
    mysqlStore = new OnlineFeatureStore(
      new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 5_000 }),
    );
    sqliteStore = new OnlineFeatureStore(new SqliteBackend(sqlite.path));
  });

  afterAll(async () => {
    await mysqlStore?.close();
    await sqliteStore?.close();
    sqlite?.cleanup();
    await db?.drop();
  });

  it('materializes the same features, RFM scores and segments from the same demo data', async () => {
    expect(mysqlSummary.customers).toBe(sqlite.summary.customers);
    expect(mysqlSummary.thresholds).toEqual(sqlite.summary.thresholds);
    expect(mysqlSummary.segmentCounts).toEqual(sqlite.summary.segmentCounts);
    const [fromMysql, fromSqlite] = await Promise.all([
      mysqlStore.scan('', 100_000),
      sqliteStore.scan('', 100_000),
    ]);
    expect(fromMysql.length).toBe(mysqlSummary.customers);
    expect(fromMysql).toEqual(fromSqlite);
  });

  it('publishes, for every customer, what computing the whole base in memory gives (the job before it streamed)', async () => {
    // The reference: every customer's features in one array, quintiles over it, scored in JS.
    const reader = new OfflineStore(new SqliteBackend(sqlite.path));
    const histories = await reader.readHistories('', '~', HISTORY_END);
    await reader.backend.close();
    const computed = histories.flatMap((h) => computeFeatures(h, HISTORY_END) ?? []);
    const thresholds = {
      asOf: HISTORY_END,
      recency: quintileCuts(computed.map((c) => c.rfm.recencyDays)),
      frequency: quintileCuts(computed.map((c) => c.rfm.frequency)),
      monetary: quintileCuts(computed.map((c) => c.rfm.monetaryCents)),
    };
    expect(sqlite.summary.thresholds).toEqual(thresholds);
    const published = new Map((await sqliteStore.scan('', 100_000)).map((r) => [r.customerId, r]));
    expect(published.size).toBe(computed.length);
    for (const c of computed) {
      expect(published.get(c.customerId)).toEqual({
        customerId: c.customerId,
        asOf: HISTORY_END,
        tier: c.tier,
        features: Array.from(c.features),
        rfm: c.rfm,
        scores: scoreRfm(c.rfm, thresholds),
        recentItems: c.recentItems,
      });
    }
  });

  it('reads back exactly the histories the generator made, every record family, from both stores', async () => {
    const expected = [...generateCustomers(TEST_SEED, 0, 300)].map(comparableHistory);
    for (const backend of [mysqlStore.backend, sqliteStore.backend]) {
      const read = await new OfflineStore(backend).readHistories(customerId(0), customerId(299), HISTORY_END);
      expect(read.map(comparableHistory)).toEqual(expected);
      expect(
        read.some((h) => h.bills.length && h.lines.length && h.engagement.length && h.campaigns.length),
      ).toBe(true);
    }
  });

  it('publishes the same feature set and thresholds', async () => {
    const [a, b] = await Promise.all([mysqlStore.getFeatureSetInfo(), sqliteStore.getFeatureSetInfo()]);
    expect({ ...a, materializedAt: '' }).toEqual({ ...b, materializedAt: '' });
    expect(await mysqlStore.getRfmThresholds()).toEqual(await sqliteStore.getRfmThresholds());
  });

  it('fetches a batch of ids in one query, unknown ids simply absent', async () => {
    const ids = [...Array.from({ length: 300 }, (_, i) => customerId(i)), 'UNKNOWN-1', "x' OR '1'='1"];
    const before = mysqlStore.stats.rowQueries;
    const rows = await mysqlStore.getRows(ids);
    expect(mysqlStore.stats.rowQueries - before).toBe(1);
    expect(rows.size).toBe(300);
    expect(rows.has('UNKNOWN-1')).toBe(false);
  });
});
