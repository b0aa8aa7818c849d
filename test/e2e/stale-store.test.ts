import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { materialize } from '../../src/offline/features/materialize.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { healthClient, inSeconds, type TestServer, withTestServer } from '../helpers/server.js';

/** The features of the version before bills, products, engagement and campaigns. */
const OLDER_FEATURES = FEATURE_NAMES.slice(0, 16);

describe('a store materialized by an older version (without the new tables and features)', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let server: TestServer;

  beforeAll(async () => {
    demo = await buildTestSqliteStore();
    // What an older version left: its feature list, and none of the newer raw tables.
    const b = new SqliteBackend(demo.path);
    await b.execute("UPDATE feature_set SET feature_names = ? WHERE name = 'default'", [
      JSON.stringify(OLDER_FEATURES),
    ]);
    for (const t of ['transaction_lines', 'bills', 'digital_engagement', 'campaign_contacts'])
      await b.execute(`DELETE FROM ${t}`);
    await b.close();
    server = await withTestServer({
      LOYALTY_SQLITE_PATH: demo.path,
      LOYALTY_CATALOG_REFRESH_MS: '200',
      LOYALTY_HEALTH_INTERVAL_MS: '200',
    });
  });

  afterAll(async () => {
    await server?.close();
    demo?.cleanup();
  });

  const opts = () => ({ deadline: inSeconds(10) });
  const byId = [{ customerId: customerId(1) }];

  it('starts, answers calls by customer id FAILED_PRECONDITION saying to re-materialize, and serves raw rows', async () => {
    for (const [name, call] of [
      [
        'PredictCustomers',
        () => server.models.unary('PredictCustomers', { modelName: 'default_risk', customers: byId }, opts()),
      ],
      ['PredictChurn', () => server.loyalty.unary('PredictChurn', { customers: byId }, opts())],
      ['GetRfm', () => server.loyalty.unary('GetRfm', { customers: byId }, opts())],
      ['ScoreCustomers', () => server.loyalty.stream('ScoreCustomers', { modelName: 'upsell' }, opts())],
    ] as const) {
      const { error } = await call();
      expect(error?.code, name).toBe(grpc.status.FAILED_PRECONDITION);
      expect(error?.details, name).toMatch(/it lacks bills_late_365d.*re-materialize/);
    }
    const raw = await server.models.unary(
      'Predict',
      { modelName: 'churn', rows: [{ values: new Array(16).fill(1) }] },
      opts(),
    );
    expect(raw.error).toBeNull();
  });

  it('says NOT_SERVING for LoyaltyService, then serves once the store is re-materialized, without a restart', async () => {
    const health = healthClient(server.app.port);
    const check = () =>
      new Promise<string>((resolve, reject) =>
        health.Check({ service: 'loyalty.v1.LoyaltyService' }, (err, res) =>
          err ? reject(err) : resolve(res.status),
        ),
      );
    expect(await check()).toBe('NOT_SERVING');

    const writer = new SqliteBackend(demo.path);
    await materialize(new OfflineStore(writer), { asOf: '2025-12-31', currency: 'EUR' });
    await writer.close();

    const deadline = Date.now() + 5_000;
    let answer = await server.models.unary(
      'PredictCustomers',
      { modelName: 'default_risk', customers: byId },
      opts(),
    );
    while (answer.error && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await server.models.unary(
        'PredictCustomers',
        { modelName: 'default_risk', customers: byId },
        opts(),
      );
    }
    expect(answer.error).toBeNull();
    expect(answer.response!.results[0]!.prediction!.binary!.probability).toBeGreaterThanOrEqual(0);
    while ((await check()) !== 'SERVING' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await check()).toBe('SERVING');
    health.close();
  });
});
