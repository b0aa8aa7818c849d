import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../../src/features/sql/postgres-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { type DecisionClient, typedDecisionClient } from '../helpers/client.js';
import { buildTestSqliteStore, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createPostgresTestDatabase, postgresAvailable } from '../helpers/postgres.js';
import { type TestServer, withTestServer } from '../helpers/server.js';

const hasPostgres = await postgresAvailable();
const MODELS = new URL('../../models/', import.meta.url).pathname;
const COMMITTED = readdirSync(MODELS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** A server on a PostgreSQL feature store answers as one on the same demo base in SQLite. */
describe.skipIf(!hasPostgres)('a server on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let sqlite: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let onPg: TestServer;
  let onSqlite: TestServer;
  let decisionsPg: DecisionClient;
  let decisionsSqlite: DecisionClient;

  beforeAll(async () => {
    db = await createPostgresTestDatabase();
    const writer = new PostgresBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
    await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    sqlite = await buildTestSqliteStore();
    onPg = await withTestServer({ LOYALTY_POSTGRES_URL: db.url });
    onSqlite = await withTestServer({ LOYALTY_SQLITE_PATH: sqlite.path });
    decisionsPg = typedDecisionClient(onPg.app.port);
    decisionsSqlite = typedDecisionClient(onSqlite.app.port);
  }, 120_000);

  afterAll(async () => {
    decisionsPg?.close();
    decisionsSqlite?.close();
    await onPg?.close();
    await onSqlite?.close();
    sqlite?.cleanup();
    await db?.drop();
  });

  const opts = () => ({ deadline: Date.now() + 30_000 });
  const ids = [...Array.from({ length: 60 }, (_, i) => customerId(i * 41)), 'C9999999'];

  it.each(COMMITTED)('PredictCustomers answers %s as the server on SQLite does', async (name) => {
    const request = { modelName: name, topK: 3, customers: ids.map((customerId) => ({ customerId })) };
    const [a, b] = await Promise.all([
      onPg.models.unary('PredictCustomers', request, opts()),
      onSqlite.models.unary('PredictCustomers', request, opts()),
    ]);
    expect(a.error).toBeNull();
    expect(a.response!.results).toEqual(b.response!.results);
  });

  it('streams a segment and decides as the server on SQLite does', async () => {
    const stream = {
      kind: 'SCORE_KIND_CHURN' as const,
      filter: { segments: ['RFM_SEGMENT_AT_RISK' as const] },
    };
    const [a, b] = await Promise.all([
      onPg.loyalty.stream('ScoreCustomers', stream, opts()),
      onSqlite.loyalty.stream('ScoreCustomers', stream, opts()),
    ]);
    expect(a.error).toBeNull();
    expect(a.messages.flatMap((m) => m.customers)).toEqual(b.messages.flatMap((m) => m.customers));
    const at = { seconds: String(Date.parse('2025-12-31T23:00:00Z') / 1000), nanos: 0 };
    for (const id of ids.slice(0, 5)) {
      const [x, y] = await Promise.all([
        decisionsPg.unary('Decide', { customerId: id, at }, opts()),
        decisionsSqlite.unary('Decide', { customerId: id, at }, opts()),
      ]);
      expect(x.error).toBeNull();
      expect(x.response).toEqual(y.response);
    }
  });
});
