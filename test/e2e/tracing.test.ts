import * as grpc from '@grpc/grpc-js';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { inSeconds, type TestServer, withDemoServer } from '../helpers/server.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let server: TestServer;

beforeAll(async () => {
  // W3C trace context propagation and async context, as the SDK sets them up in production.
  provider.register();
  server = await withDemoServer();
});

afterAll(async () => {
  await server?.close();
  await provider.shutdown();
  trace.disable();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

describe('tracing', () => {
  it('records the span tree of one PredictChurn call under the trace context the client sent', async () => {
    exporter.reset();
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', `00-${TRACE_ID}-${CLIENT_SPAN}-01`);
    const { error } = await server.loyalty.unary(
      'PredictChurn',
      { customers: [{ customerId: customerId(77) }] },
      { deadline: inSeconds(5) },
      metadata,
    );
    expect(error).toBeNull();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

    const [rpc] = byName('loyalty.v1.LoyaltyService/PredictChurn');
    expect(rpc).toBeDefined();
    expect(rpc!.kind).toBe(SpanKind.SERVER);
    expect(rpc!.spanContext().traceId).toBe(TRACE_ID);
    expect(parentOf(rpc!)).toBe(CLIENT_SPAN);
    expect(rpc!.attributes['rpc.grpc.status_code']).toBe(0);
    const rpcId = rpc!.spanContext().spanId;

    const [fetch] = byName('feature.fetch');
    expect(parentOf(fetch!)).toBe(rpcId);
    expect(fetch!.attributes['loyalty.cache.misses']).toBe(1);
    expect(fetch!.attributes['loyalty.cache.hits']).toBe(0);

    const [query] = byName('db.query');
    expect(parentOf(query!)).toBe(fetch!.spanContext().spanId);
    expect(query!.attributes['db.system']).toBe('sqlite');

    for (const name of ['inference.queue', 'inference.run']) {
      const [span] = byName(name);
      expect(parentOf(span!), name).toBe(rpcId);
      expect(span!.attributes['loyalty.model']).toBe('churn');
      expect(span!.attributes['loyalty.model.version']).toBe('1');
      expect(span!.attributes['loyalty.batch.size']).toBe(1);
    }
    expect(parentOf(byName('postprocess')[0]!)).toBe(rpcId);
    expect(spans.every((s) => s.spanContext().traceId === TRACE_ID)).toBe(true);
  });

  it('marks a failed call with its status code and an error status', async () => {
    exporter.reset();
    await server.loyalty.unary('PredictChurn', { customers: [] }, { deadline: inSeconds(5) });
    await provider.forceFlush();
    const [rpc] = exporter
      .getFinishedSpans()
      .filter((s) => s.name === 'loyalty.v1.LoyaltyService/PredictChurn');
    expect(rpc!.attributes['rpc.grpc.status_code']).toBe(grpc.status.INVALID_ARGUMENT);
    expect(rpc!.status.code).toBe(2);
    expect(rpc!.parentSpanContext).toBeUndefined();
  });
});
