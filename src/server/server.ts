import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { LoyaltyServiceHandlers } from '../generated/loyalty/v1/LoyaltyService.js';
import type { ModelServiceHandlers } from '../generated/loyalty/v1/ModelService.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { NO_RPC_OBSERVER, type RpcObserver } from '../telemetry/observers.js';
import { context, contextFromMetadata, trace, tracer } from '../telemetry/tracer.js';
import { type AdmissionStats, CallTracker, callWork } from './admission.js';
import { callSignal } from './call-guard.js';
import { HealthMonitor, LOYALTY_SERVICE, MODEL_SERVICE } from './health-monitor.js';
import { checkDecoded, withTolerantDecoding } from './malformed-request.js';
import type { StreamStats } from './paced-stream.js';
import { PredictionEndpoints } from './prediction-endpoints.js';
import { loadContract } from './proto.js';
import { RfmEndpoints } from './rfm-endpoints.js';
import { parseScoreRequest } from './score-request.js';
import { toServiceError } from './status.js';

export interface ServerDeps {
  store: OnlineFeatureStore;
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  registry: ModelRegistry;
  logger: Logger;
  maxBatchSize: number;
  maxInflightCalls: number;
  /** Calls expected to wait longer are shed (0: never). */
  maxQueueWaitMs: number;
  /** How often health re-checks the store and the models. */
  healthIntervalMs: number;
  models: { churn: string; nbo: string; ltv: string };
  rpcObserver?: RpcObserver;
}

const SERVICES = [LOYALTY_SERVICE, MODEL_SERVICE] as const;

export interface RunningServer {
  port: number;
  streams: StreamStats;
  admission: AdmissionStats;
  /** Stops accepting calls, lets in-flight calls finish within graceMs, then stops. */
  shutdown(graceMs: number): Promise<void>;
}

/** Assembles the gRPC server: services, health, reflection, admission control. */
export async function startServer(deps: ServerDeps, host: string, port: number): Promise<RunningServer> {
  const { logger } = deps;
  const tracker = new CallTracker({ maxInflight: deps.maxInflightCalls, maxWaitMs: deps.maxQueueWaitMs });
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024 });

  const observer = deps.rpcObserver ?? NO_RPC_OBSERVER;

  /**
   * Every call goes through here: admission, the RPC span (continuing the caller's W3C trace
   * context), the work under the call's deadline signal, then its status in the span and the
   * metrics. Rejects with the ServiceError to answer.
   */
  const serve = async <T>(
    service: string,
    method: string,
    call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
    streaming: boolean,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const started = performance.now();
    const parent = contextFromMetadata(call.metadata);
    const span = tracer.startSpan(
      `${service}/${method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': method },
      },
      parent,
    );
    let code: grpc.status = grpc.status.OK;
    try {
      checkDecoded(call.request);
      const release = tracker.admit(streaming ? 0 : callWork(rowsOf(call.request)), deadlineOf(call));
      const { signal, done } = callSignal(call);
      try {
        return await context.with(trace.setSpan(parent, span), () => work(signal));
      } finally {
        done();
        release();
      }
    } catch (err) {
      const answer = toServiceError(err, logger, method);
      code = answer.code ?? grpc.status.UNKNOWN;
      span.setStatus({ code: SpanStatusCode.ERROR, message: answer.details });
      throw answer;
    } finally {
      span.setAttribute('rpc.grpc.status_code', code);
      span.end();
      observer.onRpc(method, code, (performance.now() - started) / 1000);
    }
  };

  const unary =
    <Req, Res>(
      service: string,
      method: string,
      fn: (request: Req, signal: AbortSignal) => Promise<Res>,
    ): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      serve(service, method, call as grpc.ServerUnaryCall<unknown, unknown>, false, (signal) =>
        fn(call.request, signal),
      ).then(
        (response) => callback(null, response),
        (answer: Partial<grpc.ServiceError>) => callback(answer),
      );
    };

  const streaming =
    <Req, Res>(
      service: string,
      method: string,
      fn: (call: grpc.ServerWritableStream<Req, Res>, signal: AbortSignal) => Promise<void>,
    ): grpc.handleServerStreamingCall<Req, Res> =>
    (call) => {
      serve(service, method, call as grpc.ServerWritableStream<unknown, unknown>, true, (signal) =>
        fn(call, signal),
      ).then(
        () => call.end(),
        (answer: Partial<grpc.ServiceError>) => {
          if (!call.cancelled) call.emit('error', answer);
        },
      );
    };

  const streams: StreamStats = { buffered: 0, peakPerStream: 0 };
  const rfm = new RfmEndpoints({ ...deps, streamStats: streams });
  const predictions = new PredictionEndpoints({ ...deps, streamStats: streams });
  const loyaltyHandlers: LoyaltyServiceHandlers = {
    GetRfm: unary('loyalty.v1.LoyaltyService', 'GetRfm', (req, signal) => rfm.getRfm(req, signal)),
    ScoreCustomers: streaming('loyalty.v1.LoyaltyService', 'ScoreCustomers', (call, signal) => {
      const { target, chunkSize, filter } = parseScoreRequest(call.request);
      return 'kind' in target && target.kind === 'rfm'
        ? rfm.scoreCustomers(call, chunkSize, filter, signal)
        : predictions.scoreCustomers(call, target, chunkSize, filter, signal);
    }),
    PredictChurn: unary('loyalty.v1.LoyaltyService', 'PredictChurn', (req, signal) =>
      predictions.predictChurn(req, signal),
    ),
    PredictNbo: unary('loyalty.v1.LoyaltyService', 'PredictNbo', (req, signal) =>
      predictions.predictNbo(req, signal),
    ),
    PredictLtv: unary('loyalty.v1.LoyaltyService', 'PredictLtv', (req, signal) =>
      predictions.predictLtv(req, signal),
    ),
  };
  const modelHandlers: ModelServiceHandlers = {
    Predict: unary('loyalty.v1.ModelService', 'Predict', (req, signal) => predictions.predict(req, signal)),
    PredictCustomers: unary('loyalty.v1.ModelService', 'PredictCustomers', (req, signal) =>
      predictions.predictCustomers(req, signal),
    ),
    ListModels: unary('loyalty.v1.ModelService', 'ListModels', async () => predictions.listModels()),
    GetModelMetadata: unary('loyalty.v1.ModelService', 'GetModelMetadata', async (req) =>
      predictions.getModelMetadata(req),
    ),
  };

  const { definition, grpcObject } = loadContract();
  server.addService(withTolerantDecoding(grpcObject.loyalty.v1.LoyaltyService.service), loyaltyHandlers);
  server.addService(withTolerantDecoding(grpcObject.loyalty.v1.ModelService.service), modelHandlers);

  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    ...Object.fromEntries(SERVICES.map((s) => [s, 'NOT_SERVING'])),
  });
  const monitor = new HealthMonitor(health, {
    store: deps.store,
    registry: deps.registry,
    predictionModels: [deps.models.churn, deps.models.nbo, deps.models.ltv],
    logger,
  });
  health.addToServer(server);
  const healthDefinition = protoLoader.loadSync(healthProtoPath);
  new ReflectionService({ ...definition, ...healthDefinition }).addToServer(server);

  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });

  // Serving only once the feature store answers and every model is loaded and warmed up in
  // every worker: a load balancer must not send calls before.
  await deps.catalog.current();
  await deps.registry.scan();
  await monitor.start(deps.healthIntervalMs);
  logger.info({ host, port: boundPort }, 'serving');

  return {
    port: boundPort,
    streams,
    admission: tracker.stats,
    async shutdown(graceMs: number) {
      monitor.stop();
      tracker.close();
      const stopped = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      if (!(await Promise.race([stopped, timedOut]))) {
        logger.warn({ inFlight: tracker.active }, 'grace period over; cancelling the calls still in flight');
        server.forceShutdown();
      }
      logger.info('server stopped');
    },
  };
}

/** The work a call asks for, in rows: its customers or input rows (1 for the others). */
function rowsOf(request: unknown): number {
  const r = request as { customers?: unknown[]; rows?: unknown[] };
  return Math.max(1, r.customers?.length ?? r.rows?.length ?? 1);
}

/** The call's deadline in epoch milliseconds (infinite when the caller set none). */
function deadlineOf(call: { getDeadline(): grpc.Deadline }): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : Number(deadline);
}
