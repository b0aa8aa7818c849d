import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { inSeconds, type TestServer, withDemoServer } from '../helpers/server.js';

let server: TestServer;
let app: App;

beforeAll(async () => {
  server = await withDemoServer({ LOYALTY_WORKERS: '2' });
  app = server.app;
});

afterAll(async () => {
  await server?.close();
});

/** The Prometheus text exposition, as a map from `name{labels}` (scope label dropped) to value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const key = line
      .slice(0, cut)
      .replace(/,?otel_scope_name="[^"]*"/, '')
      .replace('{}', '');
    samples.set(key, Number(line.slice(cut + 1)));
  }
  return samples;
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string) =>
  (after.get(key) ?? 0) - (before.get(key) ?? 0);

describe('the Prometheus endpoint', () => {
  it('moves the RPC, batching, cache and database metrics by what real calls did', async () => {
    const before = await scrape();
    const ids = [customerId(100), customerId(101), customerId(102)];
    for (const id of ids) {
      const r = await server.loyalty.unary(
        'PredictChurn',
        { customers: [{ customerId: id }] },
        { deadline: inSeconds(5) },
      );
      expect(r.error).toBeNull();
    }
    // The same three again: cache hits this time.
    await server.loyalty.unary(
      'PredictChurn',
      { customers: ids.map((id) => ({ customerId: id })) },
      { deadline: inSeconds(5) },
    );
    const bad = await server.loyalty.unary('PredictChurn', { customers: [] }, { deadline: inSeconds(5) });
    expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const after = await scrape();

    const ok = '{rpc_method="PredictChurn",rpc_grpc_status_code="0"}';
    const invalid = '{rpc_method="PredictChurn",rpc_grpc_status_code="3"}';
    expect(delta(before, after, `loyalty_rpc_duration_seconds_count${ok}`)).toBe(4);
    expect(delta(before, after, `loyalty_rpc_duration_seconds_count${invalid}`)).toBe(1);
    expect(delta(before, after, `loyalty_rpc_duration_seconds_sum${ok}`)).toBeGreaterThan(0);

    const churn = '{model="churn",model_version="1"}';
    expect(delta(before, after, `loyalty_inference_batch_size_rows_sum${churn}`)).toBe(6);
    expect(delta(before, after, `loyalty_inference_batch_size_rows_count${churn}`)).toBe(4);
    expect(delta(before, after, 'loyalty_inference_queue_wait_seconds_count')).toBe(4);
    expect(delta(before, after, `loyalty_inference_duration_seconds_count${churn}`)).toBe(4);

    expect(delta(before, after, 'loyalty_feature_cache_misses_total')).toBe(3);
    expect(delta(before, after, 'loyalty_feature_cache_hits_total')).toBe(3);
    expect(delta(before, after, 'loyalty_db_queries_total')).toBe(3);
    expect(delta(before, after, 'loyalty_db_query_duration_seconds_count')).toBe(3);

    expect(after.get('loyalty_inference_workers')).toBe(2);
    expect(after.get('loyalty_models_loaded{model="churn",model_version="1",serving="true"}')).toBe(1);
    expect(after.get(`loyalty_inference_queue_depth_rows${churn}`)).toBe(0);

    // What each version answered: six churn probabilities over the value buckets.
    const sum = (samples: Map<string, number>, prefix: string) =>
      [...samples].filter(([k]) => k.startsWith(prefix)).reduce((t, [, v]) => t + v, 0);
    const churnOutputs = 'loyalty_model_outputs_total{model="churn",model_version="1",le=';
    expect(sum(after, churnOutputs) - sum(before, churnOutputs)).toBe(6);
    expect(sum(after, `${churnOutputs}"+Inf"`) - sum(before, `${churnOutputs}"+Inf"`)).toBe(0);
  });

  it('tallies the top output of multi-output models by index, per version', async () => {
    const before = await scrape();
    const r = await server.loyalty.unary(
      'PredictNbo',
      { customers: [customerId(7), customerId(8)].map((id) => ({ customerId: id })) },
      { deadline: inSeconds(5) },
    );
    expect(r.error).toBeNull();
    const after = await scrape();
    const prefix = 'loyalty_model_outputs_total{model="nbo",model_version="1",top1=';
    const moved = [...after]
      .filter(([k]) => k.startsWith(prefix))
      .reduce((t, [k, v]) => t + v - (before.get(k) ?? 0), 0);
    expect(moved).toBe(2);
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`http://127.0.0.1:${app.metricsPort}/`)).status).toBe(404);
  });
});
