import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { PostgresBackend } from '../../src/features/sql/postgres-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId, generateCustomers, HISTORY_END } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { TableSink } from '../../src/prediction-log/table-sink.js';
import { buildTestSqliteStore, comparableHistory, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createPostgresTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const hasPostgres = await postgresAvailable();
const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** The feature store on PostgreSQL against the same demo base on the embedded SQLite. */
describe.skipIf(!hasPostgres)('feature store on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let sqlite: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let summary: Awaited<ReturnType<typeof buildDemoStore>>;
  let pgStore: OnlineFeatureStore;
  let sqliteStore: OnlineFeatureStore;
  const open = (timeoutMs = 5_000) =>
    new PostgresBackend({ url: db.url, poolSize: 4, queryTimeoutMs: timeoutMs });

  beforeAll(async () => {
    db = await createPostgresTestDatabase();
    const writer = open(60_000);
    summary = await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    sqlite = await buildTestSqliteStore();
    pgStore = new OnlineFeatureStore(open());
    sqliteStore = new OnlineFeatureStore(new SqliteBackend(sqlite.path));
  }, 120_000);

  afterAll(async () => {
    await pgStore?.close();
    await sqliteStore?.close();
    sqlite?.cleanup();
    await db?.drop();
  });

  it('materializes the same features, RFM scores and segments as SQLite', async () => {
    expect(summary.customers).toBe(sqlite.summary.customers);
    expect(summary.thresholds).toEqual(sqlite.summary.thresholds);
    expect(summary.segmentCounts).toEqual(sqlite.summary.segmentCounts);
    const [fromPg, fromSqlite] = await Promise.all([
      pgStore.scan('', 100_000),
      sqliteStore.scan('', 100_000),
    ]);
    expect(fromPg.length).toBe(summary.customers);
    expect(fromPg).toEqual(fromSqlite);
    const [a, b] = await Promise.all([pgStore.getFeatureSetInfo(), sqliteStore.getFeatureSetInfo()]);
    expect({ ...a, materializedAt: '' }).toEqual({ ...b, materializedAt: '' });
    expect(await pgStore.getRfmThresholds()).toEqual(await sqliteStore.getRfmThresholds());
  });

  it('reads back exactly the histories the generator made, every record family', async () => {
    const expected = [...generateCustomers(TEST_SEED, 0, 300)].map(comparableHistory);
    const read = await new OfflineStore(pgStore.backend).readHistories(
      customerId(0),
      customerId(299),
      HISTORY_END,
    );
    expect(read.map(comparableHistory)).toEqual(expected);
  });

  it('materializes again by the CLI, its worker threads on PostgreSQL, over the published table (a new staging table, switched in one transaction)', async () => {
    const out = await run('node', ['dist/cli/materialize.js', '--as-of', '2025-11-30'], {
      cwd: ROOT,
      env: { ...process.env, LOYALTY_POSTGRES_URL: db.url, LOYALTY_MYSQL_URL: '' },
    });
    expect(out.stdout).toContain(`${TEST_CUSTOMERS} customers materialized as of 2025-11-30`);
    expect((await pgStore.getFeatureSetInfo())!.asOf).toBe('2025-11-30');
    const rows = await pgStore.getRows([customerId(5)]);
    expect(rows.get(customerId(5))!.asOf).toBe('2025-11-30');
  });

  it('fetches a batch of ids in one query, unknown and hostile ids simply absent, and keeps no prepared statement per text', async () => {
    const ids = [...Array.from({ length: 300 }, (_, i) => customerId(i)), 'UNKNOWN-1', "x' OR '1'='1"];
    const before = pgStore.stats.rowQueries;
    const rows = await pgStore.getRows(ids);
    expect(pgStore.stats.rowQueries - before).toBe(1);
    expect(rows.size).toBe(300);
    for (let n = 1; n <= 50; n++) await pgStore.scan('', n, { tiers: [`t${n}`] });
    const prepared = await pgStore.backend.select<{ n: number }>(
      'SELECT COUNT(*) AS n FROM pg_prepared_statements',
    );
    expect(prepared[0]!.n).toBe(0);
  });

  it('streams a large read a chunk at a time and writes the prediction log table', async () => {
    const chunks: number[] = [];
    for await (const chunk of pgStore.backend.streamArrays(
      'SELECT customer_id FROM online_features ORDER BY customer_id',
      [],
      700,
    ))
      chunks.push(chunk.length);
    expect(chunks.reduce((s, n) => s + n, 0)).toBe(summary.customers);
    expect(Math.max(...chunks)).toBe(700);
    const sink = new TableSink(open());
    await sink.write([
      {
        requestId: 'r1',
        time: Date.parse('2026-12-05T10:00:00Z'),
        caller: null,
        model: 'churn',
        version: '1',
        customerId: customerId(1),
        featuresAsOf: '2025-12-31',
        featureNames: ['tenure_days'],
        features: Float32Array.of(10),
        output: Float32Array.of(0.25),
      },
    ]);
    const logged = await pgStore.backend.select(
      'SELECT model, customer_id, features_as_of FROM prediction_log',
    );
    expect(logged).toEqual([{ model: 'churn', customer_id: customerId(1), features_as_of: '2025-12-31' }]);
    await sink.close();
  });
});
