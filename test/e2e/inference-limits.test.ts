import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { inSeconds, type TestServer, withDemoServer } from '../helpers/server.js';

const QUEUE_DELAY_MS = 300;
const QUEUE_ROWS = 8;

let server: TestServer;
let app: App;

const churn = (id: string, deadlineMs = 5_000) =>
  server.loyalty.unary(
    'PredictChurn',
    { customers: [{ customerId: id }] },
    { deadline: Date.now() + deadlineMs },
  );

beforeAll(async () => {
  // A long queue delay holds requests in the batching queue long enough to observe it.
  // Load shedding off: these tests are about the batching queue's own limits.
  server = await withDemoServer({
    LOYALTY_MAX_QUEUE_WAIT_MS: '0',
    LOYALTY_WORKERS: '1',
    LOYALTY_BATCH_MAX_DELAY_US: String(QUEUE_DELAY_MS * 1000),
    LOYALTY_BATCH_MAX_QUEUE: String(QUEUE_ROWS),
  });
  app = server.app;
  await server.loyalty.unary(
    'GetRfm',
    { customers: [{ customerId: customerId(1) }] },
    { deadline: inSeconds(5) },
  );
});

afterAll(async () => {
  await server?.close();
});

describe('the batching queue', () => {
  it('answers RESOURCE_EXHAUSTED when full, and serves the queued calls', async () => {
    const queued = Array.from({ length: QUEUE_ROWS }, () => churn(customerId(1)));
    await new Promise((r) => setTimeout(r, 50));
    const refused = await churn(customerId(1));
    expect(refused.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.error?.details).toMatch(/batching queue of model churn@1 is full \(8 rows waiting\)/);
    const served = await Promise.all(queued);
    expect(served.every((r) => r.error === null)).toBe(true);
  });

  it('drops a call whose deadline passed before its batch formed: it never reaches a worker', async () => {
    const scheduler = app.registry.resolve('churn').scheduler;
    await churn(customerId(1)); // the feature row is cached now
    const droppedBefore = scheduler.stats.droppedBeforeInference;
    const rowsBefore = app.pool.stats.rows;
    const started = Date.now();
    const expired = await churn(customerId(1), 100);
    expect(expired.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(QUEUE_DELAY_MS);
    await new Promise((r) => setTimeout(r, QUEUE_DELAY_MS + 100));
    expect(scheduler.stats.droppedBeforeInference).toBe(droppedBefore + 1);
    expect(app.pool.stats.rows).toBe(rowsBefore);
    expect((await churn(customerId(1))).error).toBeNull();
  });
});
