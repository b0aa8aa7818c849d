import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { CustomerRef } from '../../src/generated/loyalty/v1/CustomerRef.js';
import type { ScoreCustomersRequest } from '../../src/generated/loyalty/v1/ScoreCustomersRequest.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import {
  healthClient,
  inSeconds,
  listServicesByReflection,
  type TestServer,
  withTestServer,
} from '../helpers/server.js';

const MAX_BATCH = 100;

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: TestServer;
let app: App;

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  server = await withTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_MAX_BATCH_SIZE: String(MAX_BATCH),
  });
  app = server.app;
});

afterAll(async () => {
  await server?.close();
  demo?.cleanup();
});

const getRfm = (customers: CustomerRef[], options: grpc.CallOptions = { deadline: inSeconds(5) }) =>
  server.loyalty.unary('GetRfm', { customers }, options);

describe('GetRfm over gRPC on the embedded store', () => {
  it('reports SERVING on grpc.health.v1 and lists its services through reflection', async () => {
    const health = healthClient(app.port);
    const status = await new Promise<string>((resolve, reject) =>
      health.Check({ service: 'loyalty.v1.LoyaltyService' }, (err, res) =>
        err ? reject(err) : resolve(res.status),
      ),
    );
    health.close();
    expect(status).toBe('SERVING');
    const services = await listServicesByReflection(app.port);
    expect(services).toEqual(
      expect.arrayContaining([
        'loyalty.v1.LoyaltyService',
        'loyalty.v1.ModelService',
        'loyalty.v1.DecisionService',
        'grpc.health.v1.Health',
      ]),
    );
  });

  it('scores one customer with R, F, M from 1 to 5, a named segment and raw values', async () => {
    const { error, response } = await getRfm([{ customerId: customerId(0) }]);
    expect(error).toBeNull();
    const [result] = response!.results;
    expect(result!.customerId).toBe(customerId(0));
    const rfm = result!.rfm!;
    for (const score of [rfm.recencyScore, rfm.frequencyScore, rfm.monetaryScore]) {
      expect(score).toBeGreaterThanOrEqual(1);
      expect(score).toBeLessThanOrEqual(5);
    }
    expect(rfm.segment).toMatch(/^RFM_SEGMENT_[A-Z_]+$/);
    expect(rfm.segmentName.length).toBeGreaterThan(2);
    expect(rfm.monetary!.currencyCode).toBe('EUR');
    expect(result!.provenance!.featuresAsOf!.seconds).toBe(String(Date.UTC(2025, 11, 31) / 1000));
    expect(response!.thresholdsAsOf!.seconds).toBe(String(Date.UTC(2025, 11, 31) / 1000));
  });

  it('answers a batch in request order, with NOT_FOUND for unknown ids only', async () => {
    const ids = [customerId(5), 'UNKNOWN-1', customerId(6), customerId(5)];
    const { error, response } = await getRfm(ids.map((id) => ({ customerId: id })));
    expect(error).toBeNull();
    expect(response!.results.map((r) => r.customerId)).toEqual(ids);
    expect(response!.results.map((r) => r.outcome)).toEqual(['rfm', 'error', 'rfm', 'rfm']);
    expect(response!.results[1]!.error).toEqual({
      code: grpc.status.NOT_FOUND,
      reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND',
      message: 'customer UNKNOWN-1 is not in the feature store',
    });
    expect(response!.results[3]).toEqual(response!.results[0]);
  });

  it('scores raw values of a customer not in the store with the same thresholds', async () => {
    const stored = (await getRfm([{ customerId: customerId(9) }])).response!.results[0]!.rfm!;
    const monetary = Number(stored.monetary!.units) + stored.monetary!.nanos / 1e9;
    const { response } = await getRfm([
      {
        features: {
          reference: 'prospect-1',
          values: { recency_days: stored.recencyDays, frequency: stored.frequency, monetary },
        },
      },
    ]);
    const raw = response!.results[0]!;
    expect(raw.customerId).toBe('prospect-1');
    expect(raw.provenance?.featuresAsOf ?? null).toBeNull();
    expect(raw.rfm).toEqual(stored);
  });

  it.each([
    ['an empty id', [{ customerId: '' }], /customers\[0\]\.customer_id is empty/],
    ['a 10 kB id', [{ customerId: 'C'.repeat(10_240) }], /10240 characters\) is malformed/],
    ['SQL metacharacters', [{ customerId: "C1' OR '1'='1" }], /customer_id \("C1' OR '1'='1"\) is malformed/],
    ['a double quote and a semicolon', [{ customerId: 'C1";DROP TABLE customers;--' }], /is malformed/],
    ['no customers', [], /customers is empty/],
    [
      'a batch over the maximum',
      Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ customerId: customerId(i) })),
      /101 items; at most 100/,
    ],
    [
      'raw features with a NaN',
      [{ features: { values: { recency_days: Number.NaN, frequency: 1, monetary: 1 } } }],
      /finite/,
    ],
    [
      'raw features missing a value',
      [{ features: { values: { recency_days: 1 } } }],
      /lacks frequency, monetary/,
    ],
    [
      'negative raw values',
      [{ features: { values: { recency_days: -1, frequency: 1, monetary: 1 } } }],
      /recency_days is -1; it must be from 0 to 36600/,
    ],
  ])('answers %s with INVALID_ARGUMENT and keeps serving', async (_what, customers, message) => {
    const { error } = await getRfm(customers);
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(message);
    expect(error?.details).not.toMatch(/SELECT|sqlite|\/work\/|\.ts:|at .*\(/);
    const next = await getRfm([{ customerId: customerId(1) }]);
    expect(next.error).toBeNull();
  });

  it('answers an expired deadline with DEADLINE_EXCEEDED and keeps serving', async () => {
    const { error } = await getRfm([{ customerId: customerId(2) }], { deadline: Date.now() - 1 });
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect((await getRfm([{ customerId: customerId(2) }])).error).toBeNull();
  });

  it('turns 100 concurrent calls for one uncached id into one SQL query', async () => {
    const before = app.store.stats.rowQueries;
    const id = customerId(2_500);
    const responses = await Promise.all(Array.from({ length: 100 }, () => getRfm([{ customerId: id }])));
    expect(responses.every((r) => r.error === null && r.response!.results[0]!.outcome === 'rfm')).toBe(true);
    expect(app.store.stats.rowQueries - before).toBe(1);
  });

  it('fetches a batch of uncached ids with one SQL query', async () => {
    const before = app.store.stats.rowQueries;
    const ids = Array.from({ length: MAX_BATCH }, (_, i) => ({ customerId: customerId(1_200 + i) }));
    const { error, response } = await getRfm(ids);
    expect(error).toBeNull();
    expect(response!.results).toHaveLength(MAX_BATCH);
    expect(app.store.stats.rowQueries - before).toBe(1);
  });
});

describe('ScoreCustomers(SCORE_KIND_RFM)', () => {
  const stream = async (request: ScoreCustomersRequest) => {
    const { messages, error } = await server.loyalty.stream('ScoreCustomers', request, {
      deadline: inSeconds(20),
    });
    return { chunks: messages, error: error ?? undefined };
  };

  it('streams the whole base once, in id order, in chunks of the requested size', async () => {
    const { chunks, error } = await stream({ kind: 'SCORE_KIND_RFM', chunkSize: 500 });
    expect(error).toBeUndefined();
    const ids = chunks.flatMap((c) => c.customers.map((x) => x.customerId));
    expect(ids).toHaveLength(demo.summary.customers);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(chunks.slice(0, -1).every((c) => c.customers.length === 500)).toBe(true);
  });

  it('streams one segment only, as many customers as materialization counted', async () => {
    const { chunks } = await stream({
      kind: 'SCORE_KIND_RFM',
      filter: { segments: ['RFM_SEGMENT_AT_RISK'] },
    });
    const customers = chunks.flatMap((c) => c.customers);
    expect(customers).toHaveLength(demo.summary.segmentCounts.AT_RISK!);
    expect(customers.every((c) => c.rfm!.segment === 'RFM_SEGMENT_AT_RISK')).toBe(true);
  });

  it('refuses an unset kind and an oversized chunk with INVALID_ARGUMENT', async () => {
    expect((await stream({})).error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await stream({ kind: 'SCORE_KIND_RFM', chunkSize: 1_000_000 })).error?.code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });
});
