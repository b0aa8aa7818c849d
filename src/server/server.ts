import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { LoyaltyServiceHandlers } from '../generated/loyalty/v1/LoyaltyService.js';
import type { ModelServiceHandlers } from '../generated/loyalty/v1/ModelService.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { CallTracker, callSignal } from './call-guard.js';
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
  models: { churn: string; nbo: string; ltv: string };
}

const SERVICES = ['loyalty.v1.LoyaltyService', 'loyalty.v1.ModelService'] as const;

export interface RunningServer {
  port: number;
  /** Stops accepting calls, lets in-flight calls finish within graceMs, then stops. */
  shutdown(graceMs: number): Promise<void>;
}

/** Assembles the gRPC server: services, health, reflection, admission control. */
export async function startServer(deps: ServerDeps, host: string, port: number): Promise<RunningServer> {
  const { logger } = deps;
  const tracker = new CallTracker(deps.maxInflightCalls);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024 });

  const unary =
    <Req, Res>(
      method: string,
      fn: (request: Req, signal: AbortSignal) => Promise<Res>,
    ): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      let release: () => void;
      try {
        release = tracker.admit();
      } catch (err) {
        callback(toServiceError(err, logger, method));
        return;
      }
      const signal = callSignal(call);
      Promise.resolve()
        .then(() => fn(call.request, signal))
        .then(
          (response) => callback(null, response),
          (err: unknown) => callback(toServiceError(err, logger, method)),
        )
        .finally(release);
    };

  const streaming =
    <Req, Res>(
      method: string,
      fn: (call: grpc.ServerWritableStream<Req, Res>, signal: AbortSignal) => Promise<void>,
    ): grpc.handleServerStreamingCall<Req, Res> =>
    (call) => {
      let release: () => void;
      try {
        release = tracker.admit();
      } catch (err) {
        call.emit('error', toServiceError(err, logger, method));
        return;
      }
      const signal = callSignal(call);
      Promise.resolve()
        .then(() => fn(call, signal))
        .then(
          () => call.end(),
          (err: unknown) => {
            if (!call.cancelled) call.emit('error', toServiceError(err, logger, method));
          },
        )
        .finally(release);
    };

  const rfm = new RfmEndpoints(deps);
  const predictions = new PredictionEndpoints(deps);
  const loyaltyHandlers: LoyaltyServiceHandlers = {
    GetRfm: unary('GetRfm', (req, signal) => rfm.getRfm(req, signal)),
    ScoreCustomers: streaming('ScoreCustomers', (call, signal) => {
      const { kind, chunkSize, filter } = parseScoreRequest(call.request);
      return kind === 'rfm'
        ? rfm.scoreCustomers(call, chunkSize, filter, signal)
        : predictions.scoreCustomers(call, kind, chunkSize, filter, signal);
    }),
    PredictChurn: unary('PredictChurn', (req, signal) => predictions.predictChurn(req, signal)),
    PredictNbo: unary('PredictNbo', (req, signal) => predictions.predictNbo(req, signal)),
    PredictLtv: unary('PredictLtv', (req, signal) => predictions.predictLtv(req, signal)),
  };
  const modelHandlers: ModelServiceHandlers = {
    Predict: unary('Predict', (req, signal) => predictions.predict(req, signal)),
    ListModels: unary('ListModels', async () => predictions.listModels()),
    GetModelMetadata: unary('GetModelMetadata', async (req) => predictions.getModelMetadata(req)),
  };

  const { definition, grpcObject } = loadContract();
  server.addService(grpcObject.loyalty.v1.LoyaltyService.service, loyaltyHandlers);
  server.addService(grpcObject.loyalty.v1.ModelService.service, modelHandlers);

  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    ...Object.fromEntries(SERVICES.map((s) => [s, 'NOT_SERVING'])),
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
  for (const service of ['', ...SERVICES]) health.setStatus(service, 'SERVING');
  logger.info({ host, port: boundPort }, 'serving');

  return {
    port: boundPort,
    async shutdown(graceMs: number) {
      for (const service of ['', ...SERVICES]) health.setStatus(service, 'NOT_SERVING');
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
