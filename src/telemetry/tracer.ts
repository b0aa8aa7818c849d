import type { Metadata } from '@grpc/grpc-js';
import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';

/**
 * The server's tracer, through the OpenTelemetry API: spans are no-ops until an SDK is
 * registered (src/telemetry/tracing.ts when OTEL_* asks for it, or a test's provider).
 */
export const tracer = trace.getTracer('loyalty-inference');

const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const values = carrier.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
};

/** The caller's trace context (W3C traceparent/tracestate in the gRPC metadata), if any. */
export function contextFromMetadata(metadata: Metadata): Context {
  return propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
}

/** A span that records nothing, handed to code whose call is not traced. */
const NOT_RECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether the active span records: child spans of a call that is not traced (no SDK, or not
 * sampled) are not made at all, which keeps two spans, their contexts and closures off every call.
 */
export function tracing(): boolean {
  return trace.getActiveSpan()?.isRecording() === true;
}

/** Runs fn in a child span of the active context (when it is traced); the span ends when fn settles. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number | boolean>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracing()) return fn(NOT_RECORDED);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      });
      throw err;
    } finally {
      span.end();
    }
  });
}

export { context, trace };

/** Runs fn in a child span of the active context when it is traced, synchronously. */
export function inSpanSync<T>(name: string, attributes: Record<string, string>, fn: () => T): T {
  if (!tracing()) return fn();
  return tracer.startActiveSpan(name, { attributes }, (span) => {
    try {
      return fn();
    } finally {
      span.end();
    }
  });
}
