import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Tracing export, configured the OpenTelemetry way: the SDK reads the standard OTEL_* variables
 * itself (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER and
 * OTEL_TRACES_SAMPLER_ARG, OTEL_SERVICE_NAME, ...). It is started only when those ask for trace
 * export (config.ts decides); otherwise the API's no-op tracer costs next to nothing.
 */
export function startTracing(serviceName: string): { shutdown: () => Promise<void> } {
  const sdk = new NodeSDK({ serviceName, instrumentations: [] });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
