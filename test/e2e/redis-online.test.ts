import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { openRedis, type RedisClient } from '../../src/features/redis/redis-client.js';
import { RedisOnlineRows, redisKeys } from '../../src/features/redis/redis-online-rows.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { publishToRedis } from '../../src/offline/features/publish-redis.js';
import { buildTestSqliteStore, TEST_CUSTOMERS } from '../helpers/demo.js';
import { hasRedisServer, PrivateRedis } from '../helpers/redis.js';
import { type TestServer, withTestServer } from '../helpers/server.js';

/**
 * The Redis online store against a real redis-server of the test's own (killed and restarted for
 * the outage): rows equal to the SQL store's, a publication switching readers in one step, a
 * server reading through it, an outage answered from the first level or UNAVAILABLE within the
 * deadline, and no call answered from two materializations while one is published under load.
 */
const PREFIX = 'test:online';
const onCi = process.env.CI === 'true';

describe.skipIf(!hasRedisServer && !onCi)('the Redis online store', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let redis: PrivateRedis;
  let client: RedisClient;

  beforeAll(async () => {
    demo = await buildTestSqliteStore();
    redis = await PrivateRedis.start();
    client = await openRedis(redis.url);
  }, 60_000);

  afterAll(async () => {
    await client?.quit().catch(() => {});
    await redis?.stop();
    demo?.cleanup();
  });

  it('publishes every row of the online table and reads back exactly what the SQL store reads', async () => {
    const backend = new SqliteBackend(demo.path);
    const published = await publishToRedis(backend, client, {
      prefix: PREFIX,
      ttlSeconds: 3_600,
      chunkRows: 700,
    });
    expect(published.customers).toBe(TEST_CUSTOMERS);
    expect(await client.get(redisKeys.current(PREFIX))).toBe(published.version);
    const sql = new OnlineFeatureStore(backend);
    let switches = 0;
    const rows = new RedisOnlineRows(client, { prefix: PREFIX, refreshMs: 0, onSwitch: () => switches++ });
    const ids = [...Array.from({ length: 999 }, (_, i) => customerId(i * 3)), 'UNKNOWN'];
    const fromRedis = await rows.getRows(ids);
    const fromSql = await sql.getRows(ids);
    expect(fromRedis.size).toBe(999);
    expect(fromRedis.has('UNKNOWN')).toBe(false);
    for (const id of ids.slice(0, 999)) expect(fromRedis.get(id)).toEqual(fromSql.get(id));
    expect(switches).toBe(1);

    // A second publication: a new version in one SET, the old one's keys left to expire.
    const again = await publishToRedis(backend, client, {
      prefix: PREFIX,
      ttlSeconds: 3_600,
      graceSeconds: 60,
    });
    expect(again.previous).toBe(published.version);
    await rows.getRows([customerId(0)]);
    expect(switches).toBe(2);
    const oldTtl = await client.ttl(redisKeys.row(PREFIX, published.version, customerId(0)));
    expect(oldTtl).toBeGreaterThan(0);
    expect(oldTtl).toBeLessThanOrEqual(60);
    await backend.close();
  });

  describe('a server reading through it', () => {
    let server: TestServer;
    let plain: TestServer;

    beforeAll(async () => {
      const env = {
        LOYALTY_SQLITE_PATH: demo.path,
        LOYALTY_REDIS_URL: redis.url,
        LOYALTY_REDIS_PREFIX: PREFIX,
        LOYALTY_FEATURE_CACHE_SIZE: '500',
        LOYALTY_CATALOG_REFRESH_MS: '100',
        LOYALTY_REDIS_COMMAND_TIMEOUT_MS: '200',
      };
      server = await withTestServer(env);
      plain = await withTestServer({ LOYALTY_SQLITE_PATH: demo.path });
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await plain?.close();
    });

    const churn = (s: TestServer, ids: string[], ms = 5_000) =>
      s.loyalty.unary(
        'PredictChurn',
        { customers: ids.map((id) => ({ customerId: id })) },
        { deadline: Date.now() + ms },
      );

    it('answers as the server reading SQL does', async () => {
      const ids = Array.from({ length: 200 }, (_, i) => customerId(i * 7));
      const [a, b] = await Promise.all([
        churn(server, [...ids, 'C9999999']),
        churn(plain, [...ids, 'C9999999']),
      ]);
      expect(a.error).toBeNull();
      expect(a.response!.results).toEqual(b.response!.results);
      expect(a.response!.results.at(-1)!.error!.code).toBe(grpc.status.NOT_FOUND);
    });

    it('in an outage answers what the first level holds, the rest UNAVAILABLE within the deadline, and recovers by itself', async () => {
      const cached = Array.from({ length: 100 }, (_, i) => customerId(i));
      expect((await churn(server, cached)).error).toBeNull();
      await redis.down();
      try {
        for (let k = 0; k < 20; k++) {
          const hit = await churn(server, [cached[k % cached.length]!]);
          expect(hit.error).toBeNull();
          const started = performance.now();
          const miss = await churn(server, [customerId(2_000 + k)], 2_000);
          expect(miss.error!.code).toBe(grpc.status.UNAVAILABLE);
          expect(performance.now() - started).toBeLessThan(1_000);
        }
      } finally {
        await redis.up();
      }
      // Back by itself: the client reconnects within about a second.
      let recovered = false;
      for (let k = 0; k < 50 && !recovered; k++) {
        recovered = (await churn(server, [customerId(2_500 + k)])).error === null;
        if (!recovered) await new Promise((r) => setTimeout(r, 100));
      }
      expect(recovered).toBe(true);
    });

    it('a server started while Redis is down answers UNAVAILABLE, then serves once Redis is back', async () => {
      await redis.down();
      let late: TestServer | undefined;
      try {
        late = await withTestServer({
          LOYALTY_SQLITE_PATH: demo.path,
          LOYALTY_REDIS_URL: redis.url,
          LOYALTY_REDIS_PREFIX: PREFIX,
          LOYALTY_REDIS_COMMAND_TIMEOUT_MS: '200',
        });
        const down = await churn(late, [customerId(7)], 2_000);
        expect(down.error!.code).toBe(grpc.status.UNAVAILABLE);
        await redis.up();
        let answered = false;
        for (let k = 0; k < 50 && !answered; k++) {
          answered = (await churn(late, [customerId(7)])).error === null;
          if (!answered) await new Promise((r) => setTimeout(r, 100));
        }
        expect(answered).toBe(true);
      } finally {
        await redis.up().catch(() => {});
        await late?.close();
      }
    });

    it('never answers one call from two materializations while a new one is published under load', async () => {
      const backend = new SqliteBackend(demo.path);
      // A "new materialization": the same rows as of another day, published as a new version.
      await backend.execute("UPDATE online_features SET as_of = '2026-01-31'");
      await backend.execute("UPDATE feature_set SET as_of = '2026-01-31'");
      let running = true;
      const seen = new Set<string>();
      let calls = 0;
      const load = (async () => {
        let k = 0;
        while (running) {
          // 50 customers a call: 45 of the first 400 (held by the first level of 500), 5 others.
          const ids = Array.from({ length: 50 }, (_, i) =>
            customerId(i < 45 ? (k * 45 + i) % 400 : 400 + ((k * 5 + i) % (TEST_CUSTOMERS - 400))),
          );
          k++;
          const { error, response } = await churn(server, ids);
          expect(error).toBeNull();
          const days = new Set(response!.results.map((r) => r.provenance?.featuresAsOf?.seconds));
          expect(days.size).toBe(1);
          for (const d of days) seen.add(String(d));
          calls++;
        }
      })();
      await new Promise((r) => setTimeout(r, 300));
      const client2 = await openRedis(redis.url);
      await publishToRedis(backend, client2, { prefix: PREFIX, ttlSeconds: 3_600, chunkRows: 300 });
      await client2.quit();
      await new Promise((r) => setTimeout(r, 800));
      running = false;
      await load;
      await backend.close();
      // Both materializations were served, never within one call.
      expect(seen.size).toBe(2);
      expect(calls).toBeGreaterThan(20);
    });
  });
});
