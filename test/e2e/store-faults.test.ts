import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, mysqlAvailable, type TestDatabase } from '../helpers/mysql.js';
import { healthClient, inSeconds, type TestServer, withTestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const hasMysql = await mysqlAvailable();
const QUERY_TIMEOUT_MS = 1_000;
const MAX_INFLIGHT = 4;
const HEALTH_INTERVAL_MS = 200;

describe.skipIf(!hasMysql)('a server on MariaDB when the database fails', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let app: App;

  const getRfm = (ids: string[], deadlineSeconds = 10) =>
    server.loyalty.unary(
      'GetRfm',
      { customers: ids.map((id) => ({ customerId: id })) },
      { deadline: inSeconds(deadlineSeconds) },
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    const writer = new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
    await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
    await writer.close();
    proxy = new TcpProxy('127.0.0.1', 3306);
    const port = await proxy.start();
    const url = new URL(db.url);
    url.port = String(port);
    server = await withTestServer({
      LOYALTY_MYSQL_URL: url.toString(),
      LOYALTY_STORE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      LOYALTY_MAX_INFLIGHT_CALLS: String(MAX_INFLIGHT),
      LOYALTY_NEGATIVE_CACHE_TTL_MS: '0',
      LOYALTY_HEALTH_INTERVAL_MS: String(HEALTH_INTERVAL_MS),
      // Off: with the database stalled, shedding by expected wait would refuse calls before the
      // in-flight limit that one test here is about (admission.test.ts covers shedding).
      LOYALTY_MAX_QUEUE_WAIT_MS: '0',
    });
    app = server.app;
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('serves RFM from MariaDB while it is up', async () => {
    const { error, response } = await getRfm([customerId(0), customerId(1)]);
    expect(error).toBeNull();
    expect(response!.results.map((r) => r.outcome)).toEqual(['rfm', 'rfm']);
  });

  it('answers UNAVAILABLE when the database is down, keeps serving cached customers, and recovers', async () => {
    await proxy.cut();
    try {
      const down = await getRfm([customerId(100)]);
      expect(down.error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(down.error?.details).toBe('the feature store is unavailable; retry later');
      const cached = await getRfm([customerId(0)]);
      expect(cached.error).toBeNull();
    } finally {
      await proxy.restore();
    }
    const again = await getRfm([customerId(100)]);
    expect(again.error).toBeNull();
  });

  it('reports LoyaltyService NOT_SERVING while the database is down, the server itself SERVING', async () => {
    const health = healthClient(app.port);
    const check = (service: string) =>
      new Promise<string>((resolve, reject) =>
        health.Check({ service }, (err, res) => (err ? reject(err) : resolve(res.status))),
      );
    /** The status once it has held for two health intervals, or the last one seen after 5 s. */
    const settled = async (service: string) => {
      let last = await check(service);
      for (let waited = 0; waited < 5_000; waited += HEALTH_INTERVAL_MS) {
        await new Promise((r) => setTimeout(r, HEALTH_INTERVAL_MS * 2));
        const now = await check(service);
        if (now === last) return now;
        last = now;
      }
      return last;
    };
    try {
      expect(await settled('loyalty.v1.LoyaltyService')).toBe('SERVING');
      await proxy.cut();
      await new Promise((r) => setTimeout(r, HEALTH_INTERVAL_MS + QUERY_TIMEOUT_MS));
      expect(await settled('loyalty.v1.LoyaltyService')).toBe('NOT_SERVING');
      expect(await check('loyalty.v1.ModelService')).toBe('SERVING');
      expect(await check('')).toBe('SERVING');
      await proxy.restore();
      await new Promise((r) => setTimeout(r, HEALTH_INTERVAL_MS + QUERY_TIMEOUT_MS));
      expect(await settled('loyalty.v1.LoyaltyService')).toBe('SERVING');
    } finally {
      await proxy.restore();
      health.close();
    }
  });

  it('answers DEADLINE_EXCEEDED at the deadline when the database hangs', async () => {
    proxy.stall();
    try {
      const started = Date.now();
      const { error } = await getRfm([customerId(200)], 0.3);
      expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
      expect(Date.now() - started).toBeLessThan(QUERY_TIMEOUT_MS);
    } finally {
      await proxy.restore();
    }
    await new Promise((r) => setTimeout(r, QUERY_TIMEOUT_MS + 200));
    expect((await getRfm([customerId(201)])).error).toBeNull();
  });

  it('bounds a hung query by the query timeout, answering UNAVAILABLE', async () => {
    proxy.stall();
    try {
      const started = Date.now();
      const { error } = await getRfm([customerId(300)]);
      expect(error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(QUERY_TIMEOUT_MS * 3);
    } finally {
      await proxy.restore();
    }
    expect((await getRfm([customerId(301)])).error).toBeNull();
  });

  it('refuses calls beyond the in-flight limit with RESOURCE_EXHAUSTED instead of queueing them', async () => {
    proxy.stall();
    try {
      const held = Array.from({ length: MAX_INFLIGHT }, (_, i) => getRfm([customerId(400 + i)]));
      await new Promise((r) => setTimeout(r, 100));
      const refused = await getRfm([customerId(500)]);
      expect(refused.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(refused.error?.details).toMatch(/more than 4 calls in flight/);
      const settled = await Promise.all(held);
      expect(settled.every((r) => r.error?.code === grpc.status.UNAVAILABLE)).toBe(true);
    } finally {
      await proxy.restore();
    }
    expect((await getRfm([customerId(501)])).error).toBeNull();
  });
});
