import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import type { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, MYSQL_SERVER_URL, mysqlAvailable, type TestDatabase } from '../helpers/mysql.js';
import { type TestServer, withDemoServer, withTestServer } from '../helpers/server.js';

/**
 * Every ScoreCustomers call with a new chunk size or number of filter values once made a new
 * SQL text, prepared and kept for good: a client could exhaust MariaDB's prepared statements
 * for every client of the database, or grow the SQLite backend's memory without bound.
 */
const SHAPES = 2_000;

/** Calls of distinct shapes: chunk sizes 1000-2999 (one chunk each), 1-16 tier values. */
async function callManyShapes(server: TestServer): Promise<void> {
  for (let start = 0; start < SHAPES; start += 50) {
    const calls = Array.from({ length: 50 }, (_, j) => {
      const i = start + j;
      const tiers = ['gold', ...Array.from({ length: i % 16 }, (_, k) => `tier-${k}`)];
      return server.loyalty.stream('ScoreCustomers', {
        kind: 'SCORE_KIND_RFM',
        chunkSize: 1_000 + i,
        filter: { tiers, segments: i % 2 ? ['RFM_SEGMENT_LOST', 'RFM_SEGMENT_LOYAL'] : [] },
      });
    });
    for (const { error } of await Promise.all(calls)) expect(error).toBeNull();
  }
}

async function uncachedLookupsSucceed(server: TestServer): Promise<void> {
  const ids = Array.from({ length: 48 }, (_, i) => customerId(2_000 + i));
  const answers = await Promise.all(
    ids.map((id) => server.loyalty.unary('GetRfm', { customers: [{ customerId: id }] })),
  );
  expect(answers.map((a) => a.error?.code ?? 0)).toEqual(ids.map(() => 0));
}

describe('SQL statements a caller can vary, on the embedded store', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await withDemoServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it(`keeps at most 128 prepared statements after ${SHAPES} calls of distinct shapes`, async () => {
    await callManyShapes(server);
    await uncachedLookupsSucceed(server);
    const backend = server.app.store.backend as SqliteBackend;
    expect(backend.statementCount).toBeLessThanOrEqual(128);
  });
});

const hasMysql = await mysqlAvailable();

describe.skipIf(!hasMysql)('SQL statements a caller can vary, on MariaDB', () => {
  let db: TestDatabase;
  let server: TestServer;
  let admin: MysqlBackend;

  const preparedStatements = async () => {
    const rows = await admin.select<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
    return Number(rows[0]!.Value);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const writer = new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
    await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    admin = new MysqlBackend({ url: MYSQL_SERVER_URL, poolSize: 1, queryTimeoutMs: 10_000 });
    server = await withTestServer({ LOYALTY_MYSQL_URL: db.url, LOYALTY_MYSQL_POOL_SIZE: '8' });
  });

  afterAll(async () => {
    await server?.close();
    await admin?.close();
    await db?.drop();
  });

  it(`holds MariaDB's Prepared_stmt_count to a few per connection after ${SHAPES} calls of distinct shapes`, async () => {
    const before = await preparedStatements();
    await callManyShapes(server);
    await uncachedLookupsSucceed(server);
    // 8 connections, each with the handful of texts the serving path makes.
    expect((await preparedStatements()) - before).toBeLessThanOrEqual(100);
  });
});
