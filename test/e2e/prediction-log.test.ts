import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { readServedRowsFromTable } from '../../src/training/served-rows.js';
import { buildTestSqliteStore, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, mysqlAvailable, type TestDatabase } from '../helpers/mysql.js';
import { inSeconds, type TestServer, withTestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The prediction log as a server writes it: every served row with the features it was given and
 * the output it answered, checked against the store and the responses.
 */
const dir = mkdtempSync(join(tmpdir(), 'loyalty-plog-e2e-'));
const ids = Array.from({ length: 20 }, (_, i) => customerId(i * 7));
let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: TestServer;

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  server = await withTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_PREDICTION_LOG: 'jsonl',
    LOYALTY_PREDICTION_LOG_DIR: join(dir, 'log'),
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const logged = () =>
  readdirSync(join(dir, 'log'))
    .flatMap((f) =>
      readFileSync(join(dir, 'log', f), 'utf8')
        .trim()
        .split('\n'),
    )
    .filter(Boolean)
    .map((l) => JSON.parse(l));

async function until(check: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

describe('the prediction log (JSON lines)', () => {
  it('records each served customer with its request id, the features as served and the answer', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'campaign-42');
    const { error, response } = await server.loyalty.unary(
      'PredictChurn',
      { customers: ids.map((id) => ({ customerId: id })) },
      { deadline: inSeconds(10) },
      metadata,
    );
    expect(error).toBeNull();
    // A raw row over the Open Inference Protocol's REST endpoint, with its own request id.
    const manifest = JSON.parse(
      readFileSync(new URL('../../models/churn/1/manifest.json', import.meta.url), 'utf8'),
    );
    const rest = await fetch(`http://127.0.0.1:${server.app.httpPort}/v2/models/churn/infer`, {
      method: 'POST',
      headers: { 'x-request-id': 'rest-7' },
      body: JSON.stringify({
        inputs: [
          {
            name: 'features',
            datatype: 'FP32',
            shape: [1, manifest.inputs.length],
            data: manifest.inputs.map(() => 1),
          },
        ],
      }),
    });
    expect(rest.status).toBe(200);
    await until(() => logged().length >= ids.length + 1);
    await new Promise((r) => setTimeout(r, 100));
    await server.app.stop(); // closing writes what is queued
    const records = logged().filter((r) => r.request_id === 'campaign-42');
    expect(records.map((r) => r.customer_id).sort()).toEqual([...ids].sort());

    const backend = new SqliteBackend(demo.path);
    const rows = await new OnlineFeatureStore(backend).getRows(ids);
    await backend.close();
    for (const record of records) {
      expect(record).toMatchObject({ caller: null, model: 'churn', version: '1' });
      // The features the model was given: the store's values in float32, by input name.
      const row = rows.get(record.customer_id)!;
      expect(Object.keys(record.features)).toEqual(manifest.inputs);
      for (const name of manifest.inputs)
        expect(record.features[name]).toBe(Math.fround(row.features[FEATURE_NAMES.indexOf(name)]!));
      const answered = response!.results.find((r) => r.customerId === record.customer_id)!;
      expect(record.output[0]).toBeCloseTo(answered.prediction!.probability, 6);
      expect(Date.parse(record.time)).toBeGreaterThan(Date.now() - 60_000);
    }
    const [raw] = logged().filter((r) => r.request_id === 'rest-7');
    expect(raw).toMatchObject({ customer_id: null, model: 'churn', caller: null });
    expect(Object.values(raw.features)).toEqual(manifest.inputs.map(() => 1));
  });
});

const hasMysql = await mysqlAvailable();

describe.skipIf(!hasMysql)('the prediction log (a table of the MariaDB feature store)', () => {
  let db: TestDatabase;
  let mysqlServer: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    const writer = new MysqlBackend({ url: db.url, poolSize: 2, queryTimeoutMs: 60_000 });
    await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    mysqlServer = await withTestServer({
      LOYALTY_MYSQL_URL: db.url,
      LOYALTY_PREDICTION_LOG: 'table',
      LOYALTY_PREDICTION_LOG_SAMPLE: '0.5',
    });
  }, 120_000);

  afterAll(async () => {
    await mysqlServer?.close();
    await db?.drop();
  });

  it('inserts the sampled rows, raw rows included, and counts the others', async () => {
    const customers = Array.from({ length: 400 }, (_, i) => ({ customerId: customerId(i) }));
    expect((await mysqlServer.loyalty.unary('PredictChurn', { customers })).error).toBeNull();
    const inputs = JSON.parse(
      readFileSync(new URL('../../models/churn/1/manifest.json', import.meta.url), 'utf8'),
    ).inputs;
    const raw = await mysqlServer.models.unary('Predict', {
      modelName: 'churn',
      rows: [{ values: inputs.map((_: string, i: number) => i) }],
    });
    expect(raw.error).toBeNull();
    const text = async () => (await fetch(`http://127.0.0.1:${mysqlServer.app.metricsPort}/metrics`)).text();
    const count = (t: string, outcome: string) =>
      Number(
        new RegExp(`loyalty_prediction_log_records_total\\{outcome="${outcome}"[^}]*\\} (\\d+)`).exec(
          t,
        )?.[1] ?? 0,
      );
    let written = 0;
    let skipped = 0;
    const deadline = Date.now() + 10_000;
    while (written + skipped < 401 && Date.now() < deadline) {
      const metrics = await text();
      written = count(metrics, 'written');
      skipped = count(metrics, 'not_sampled');
      if (written + skipped < 401) await new Promise((r) => setTimeout(r, 50));
    }
    expect(written + skipped).toBe(401);
    expect(written).toBeGreaterThan(140);
    expect(written).toBeLessThan(260);
    const reader = new MysqlBackend({ url: db.url, poolSize: 1, queryTimeoutMs: 10_000 });
    const [{ n }] = (await reader.select('SELECT COUNT(*) AS n FROM prediction_log')) as [{ n: number }];
    const rawRows = await reader.select('SELECT features FROM prediction_log WHERE customer_id IS NULL');
    // What the pipeline's table source reads back (MariaDB's DATE column, JSON text): the
    // customers written, each with its as-of day and every input.
    const served = await readServedRowsFromTable(reader, 'churn', '2099-12-31');
    await reader.close();
    expect(Number(n)).toBe(written);
    expect(served.size).toBe(written - rawRows.length);
    for (const [, rows] of served) {
      expect(rows).toHaveLength(1);
      expect(rows[0]!.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Object.keys(rows[0]!.features)).toEqual(inputs);
    }
    for (const r of rawRows)
      expect(Object.values(JSON.parse(r.features as string))).toEqual(
        inputs.map((_: string, i: number) => i),
      );
  });

  it('answers every call while the log database hangs: the queue stays at its bound, drops are counted', async () => {
    // The log in MariaDB behind a proxy that can hold every byte; the features in SQLite.
    const target = new URL(db.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    const proxied = new URL(db.url);
    proxied.port = String(proxy.port);
    const logged = await withTestServer({
      LOYALTY_SQLITE_PATH: demo.path,
      LOYALTY_PREDICTION_LOG: 'table',
      LOYALTY_PREDICTION_LOG_MYSQL_URL: proxied.toString(),
      LOYALTY_PREDICTION_LOG_QUEUE: '500',
    });
    try {
      proxy.stall();
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        const customers = Array.from({ length: 100 }, (_, j) => ({ customerId: customerId(i * 100 + j) }));
        const { error } = await logged.loyalty.unary(
          'PredictChurn',
          { customers },
          { deadline: inSeconds(5) },
        );
        expect(error).toBeNull();
      }
      // 2,000 rows answered without waiting for the database.
      expect(Date.now() - started).toBeLessThan(10_000);
      const metrics = await (await fetch(`http://127.0.0.1:${logged.app.metricsPort}/metrics`)).text();
      const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? Number.NaN);
      expect(value(/^loyalty_prediction_log_queued_records\{[^}]*\} (\d+)/m)).toBeLessThanOrEqual(500);
      expect(value(/reason="queue_full"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(1_500);
    } finally {
      await proxy.restore();
      await logged.close();
      await proxy.stop();
    }
  });
});
