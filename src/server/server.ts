import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { ConsoleApi } from '../console/console-api.js';
import type { LiveStats } from '../console/live-stats.js';
import type { DriftMonitor } from '../drift/drift-monitor.js';
import { LoyaltyError } from '../errors.js';
import type { Explainer } from '../explain/explainer.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { GRPCInferenceServiceHandlers } from '../generated/inference/GRPCInferenceService.js';
import type { LoyaltyServiceHandlers } from '../generated/loyalty/v1/LoyaltyService.js';
import type { ModelServiceHandlers } from '../generated/loyalty/v1/ModelService.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { ShadowScoring } from '../models/shadow-scoring.js';
import type { PredictionLog } from '../prediction-log/prediction-log.js';
import type { CallerAuth } from '../security/caller-auth.js';
import type { HttpsTls } from '../security/https-context.js';
import type { ServerTransport } from '../security/transport-security.js';
import { NO_RPC_OBSERVER, type RpcObserver } from '../telemetry/observers.js';
import { type AdmissionStats, CallTracker } from './admission.js';
import { CallWrapper, type Implementation } from './call-wrapper.js';
import { HealthMonitor, LOYALTY_SERVICE, MODEL_SERVICE } from './health-monitor.js';
import { startHttpApi } from './http-api.js';
import { withTolerantDecoding } from './malformed-request.js';
import { OipEndpoints } from './oip-endpoints.js';
import type { StreamStats } from './paced-stream.js';
import { PredictionEndpoints } from './prediction-endpoints.js';
import { loadContract } from './proto.js';
import { RfmEndpoints } from './rfm-endpoints.js';
import { parseScoreRequest } from './score-request.js';

export interface ServerDeps {
  store: OnlineFeatureStore;
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  registry: ModelRegistry;
  shadow: ShadowScoring;
  logger: Logger;
  maxBatchSize: number;
  maxInflightCalls: number;
  /** Age after which a client connection is closed gracefully (0: never). */
  maxConnectionAgeMs: number;
  /** Calls expected to wait longer are shed (0: never). */
  maxQueueWaitMs: number;
  /** How often health re-checks the store and the models. */
  healthIntervalMs: number;
  models: { churn: string; nbo: string; ltv: string };
  rpcObserver?: RpcObserver;
  /** Where the Open Inference Protocol's HTTP/REST endpoints listen; undefined: off. */
  http?: { host: string; port: number };
  /**
   * A plaintext port serving only grpc.health.v1, for probes that cannot speak TLS (the kubelet's
   * native gRPC probes); undefined: none.
   */
  healthPort?: number;
  /** The gRPC port's credentials (plaintext, TLS or mTLS). */
  transport: ServerTransport;
  /** The HTTP port's TLS (the same files), when on. */
  httpsTls?: HttpsTls;
  /** Where served predictions are recorded, when the prediction log is on. */
  predictionLog?: PredictionLog;
  /** Served rows against the models' reference distributions, when drift is on. */
  drift?: DriftMonitor;
  /** Reason codes, on the inference workers. */
  explainer: Explainer;
  /** Who may call what; undefined: everyone everything. Health is always open. */
  auth: CallerAuth | undefined;
  /** Whether server reflection is offered. */
  reflection: boolean;
  /** What the web console on the HTTP port reads beyond the services' own components. */
  console: {
    live: LiveStats;
    pool: { readonly alive: number; readonly busy: number; readonly queued: number };
    modelsDir: string;
  };
}

const SERVICES = [LOYALTY_SERVICE, MODEL_SERVICE] as const;

/** This server's version, as the OIP's ServerMetadata answers it. */
const SERVER_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface RunningServer {
  port: number;
  /** Port of the OIP HTTP/REST endpoints, when on. */
  httpPort: number | undefined;
  /** The plaintext health port, when on. */
  healthPort: number | undefined;
  streams: StreamStats;
  admission: AdmissionStats;
  /** Stops accepting calls, lets in-flight calls finish within graceMs, then stops. */
  shutdown(graceMs: number): Promise<void>;
}

/** Assembles the gRPC server: services, health, reflection, admission control. */
export async function startServer(deps: ServerDeps, host: string, port: number): Promise<RunningServer> {
  const { logger } = deps;
  const tracker = new CallTracker({ maxInflight: deps.maxInflightCalls, maxWaitMs: deps.maxQueueWaitMs });
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    // Connections closed (GOAWAY, calls in flight may finish) after this age make clients
    // re-resolve and spread over replicas added since they connected.
    ...(deps.maxConnectionAgeMs > 0
      ? { 'grpc.max_connection_age_ms': deps.maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': 30_000 }
      : {}),
  });

  const wrap = new CallWrapper(tracker, logger, deps.rpcObserver ?? NO_RPC_OBSERVER, deps.auth);
  const streams: StreamStats = { buffered: 0, peakPerStream: 0 };
  const rfm = new RfmEndpoints({ ...deps, streamStats: streams });
  const predictions = new PredictionEndpoints({ ...deps, streamStats: streams });
  const loyalty: Implementation<LoyaltyServiceHandlers> = {
    GetRfm: (req, signal) => rfm.getRfm(req, signal),
    ScoreCustomers: (call, signal) => {
      const { target, chunkSize, filter } = parseScoreRequest(call.request);
      return 'kind' in target && target.kind === 'rfm'
        ? rfm.scoreCustomers(call, chunkSize, filter, signal)
        : predictions.scoreCustomers(call, target, chunkSize, filter, signal);
    },
    PredictChurn: (req, signal) => predictions.predictChurn(req, signal),
    PredictNbo: (req, signal) => predictions.predictNbo(req, signal),
    PredictLtv: (req, signal) => predictions.predictLtv(req, signal),
  };
  const models: Implementation<ModelServiceHandlers> = {
    Predict: (req, signal) => predictions.predict(req, signal),
    PredictCustomers: (req, signal) => predictions.predictCustomers(req, signal),
    ListModels: async () => predictions.listModels(),
    GetModelMetadata: async (req) => predictions.getModelMetadata(req),
  };

  let live = true;
  const oip = new OipEndpoints({
    registry: deps.registry,
    predictions,
    serverVersion: SERVER_VERSION,
    live: () => live,
  });
  const inference: Implementation<GRPCInferenceServiceHandlers> = {
    ServerLive: async () => oip.serverLive(),
    ServerReady: async () => oip.serverReady(),
    ModelReady: async (req) => oip.modelReady(req),
    ServerMetadata: async () => oip.serverMetadata(),
    ModelMetadata: async (req) => oip.modelMetadata(req),
    ModelInfer: (req, signal) => oip.modelInfer(req, signal),
  };

  const { definition, grpcObject } = loadContract();
  const loyaltyService = grpcObject.loyalty.v1.LoyaltyService.service;
  const modelService = grpcObject.loyalty.v1.ModelService.service;
  const inferenceService = grpcObject.inference.GRPCInferenceService.service;
  server.addService(withTolerantDecoding(loyaltyService), wrap.handlers(loyaltyService, loyalty));
  server.addService(withTolerantDecoding(modelService), wrap.handlers(modelService, models));
  server.addService(withTolerantDecoding(inferenceService), wrap.handlers(inferenceService, inference));

  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    ...Object.fromEntries(SERVICES.map((s) => [s, 'NOT_SERVING'])),
  });
  const monitor = new HealthMonitor(health, {
    store: deps.store,
    registry: deps.registry,
    catalog: deps.catalog,
    predictionModels: [deps.models.churn, deps.models.nbo, deps.models.ltv],
    logger,
  });
  health.addToServer(server);
  if (deps.reflection) {
    const healthDefinition = protoLoader.loadSync(healthProtoPath);
    new ReflectionService({ ...definition, ...healthDefinition }).addToServer(server);
  }

  // The same health statuses, without TLS: it tells only whether the server is serving.
  const probes = deps.healthPort === undefined ? undefined : new grpc.Server();
  let probePort: number | undefined;
  if (probes) {
    health.addToServer(probes);
    probePort = await new Promise<number>((resolve, reject) => {
      probes.bindAsync(`${host}:${deps.healthPort}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      );
    });
  }

  // The port opens only once the feature store answered and every model is loaded and warmed
  // up in every worker: a client that connects (a restarted replica's round-robin callers) must
  // not get calls refused for models still loading.
  // A store not (re-)materialized for this version is no reason not to start: Predict on raw
  // rows works, health says NOT_SERVING, calls by id answer FAILED_PRECONDITION saying what to
  // run, and the next materialization is picked up without a restart.
  let boundPort: number;
  try {
    await deps.catalog.current().catch((err: unknown) => {
      if (!(err instanceof LoyaltyError && err.code === grpc.status.FAILED_PRECONDITION)) throw err;
      logger.warn({ reason: err.message }, 'the feature store cannot serve customers yet');
    });
    await deps.registry.scan();
    await monitor.start(deps.healthIntervalMs);
    const bound = await deps.transport.loaded();
    boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${port}`, deps.transport.credentials, (err, p) =>
        err ? reject(err) : resolve(p),
      );
    }).finally(bound);
  } catch (err) {
    probes?.forceShutdown();
    throw err;
  }
  const rest = deps.http
    ? await startHttpApi(
        {
          oip,
          tracker,
          logger,
          registry: deps.registry,
          auth: deps.auth,
          tls: deps.httpsTls,
          console: new ConsoleApi({
            ...deps.console,
            registry: deps.registry,
            predictions,
            rfm,
            lookup: deps.lookup,
            catalog: deps.catalog,
            shadow: deps.shadow,
            admission: tracker.stats,
            drift: deps.drift,
          }),
        },
        deps.http.host,
        deps.http.port,
      )
    : undefined;
  // port last: tools (the benchmark harness, the serve test) read it just before the message.
  logger.info({ host, healthPort: probePort, httpPort: rest?.port, port: boundPort }, 'serving');

  return {
    port: boundPort,
    httpPort: rest?.port,
    healthPort: probePort,
    streams,
    admission: tracker.stats,
    async shutdown(graceMs: number) {
      live = false;
      monitor.stop();
      tracker.close();
      const restClosed = rest?.close();
      const stopped = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      if (!(await Promise.race([stopped, timedOut]))) {
        logger.warn({ inFlight: tracker.active }, 'grace period over; cancelling the calls still in flight');
        server.forceShutdown();
      }
      await restClosed;
      probes?.forceShutdown();
      logger.info('server stopped');
    },
  };
}
