import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { Decider } from '../decisioning/decider.js';
import type { PlanService } from '../decisioning/plan-service.js';
import { LoyaltyError } from '../errors.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import type { GRPCInferenceServiceHandlers } from '../generated/inference/GRPCInferenceService.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/model-registry.js';
import type { CallerAuth } from '../security/caller-auth.js';
import type { ServerTransport } from '../security/transport-security.js';
import type { CallTracker } from '../serving/admission.js';
import type { Predictor } from '../serving/predictor.js';
import type { RfmReader } from '../serving/rfm-reader.js';
import { NO_RPC_OBSERVER, type RpcObserver } from '../telemetry/observers.js';
import { addBoundedHealth } from './bounded-health.js';
import { CallWrapper, type Implementation } from './call-wrapper.js';
import { decisionService } from './decision-service.js';
import { HealthMonitor, LOYALTY_SERVICE, MODEL_SERVICE } from './health-monitor.js';
import { loyaltyService } from './loyalty-service.js';
import { withTolerantDecoding } from './malformed-request.js';
import { modelService } from './model-service.js';
import type { OipEndpoints } from './oip-endpoints.js';
import { loadContract } from './proto.js';

export interface ServerDeps {
  store: OnlineFeatureStore;
  catalog: FeatureSetCatalog;
  registry: ModelRegistry;
  /** The serving core every RPC maps onto. */
  predictor: Predictor;
  rfm: RfmReader;
  /** The Open Inference Protocol's endpoints (shared with its REST routes). */
  oip: OipEndpoints;
  /** Admission control, shared with the HTTP port's inference route. */
  tracker: CallTracker;
  logger: Logger;
  /** Age after which a client connection is closed gracefully (0: never). */
  maxConnectionAgeMs: number;
  /** How often health re-checks the store and the models. */
  healthIntervalMs: number;
  /** The models behind the prediction RPCs of LoyaltyService (health watches them). */
  predictionModels: readonly string[];
  rpcObserver?: RpcObserver;
  /**
   * A plaintext port serving only grpc.health.v1, for probes that cannot speak TLS (the kubelet's
   * native gRPC probes); undefined: none.
   */
  healthPort?: number;
  /** The gRPC port's credentials (plaintext, TLS or mTLS). */
  transport: ServerTransport;
  /** Who may call what; undefined: everyone everything. Health is always open. */
  auth: CallerAuth | undefined;
  /** Whether server reflection is offered. */
  reflection: boolean;
  /** Whether calls record who made them (for the prediction log). */
  recordsCalls: boolean;
  /** DecisionService's core: next best action, campaign plans, outcomes. */
  decisions: { decider: Decider; plans: PlanService; backend: SqlBackend };
}

const SERVICES = [LOYALTY_SERVICE, MODEL_SERVICE] as const;

export interface RunningServer {
  port: number;
  /** The plaintext health port, when on. */
  healthPort: number | undefined;
  /** Stops accepting calls, lets in-flight calls finish within graceMs, then stops. */
  shutdown(graceMs: number): Promise<void>;
}

/** Assembles the gRPC server: the services' mappers over the core, health, reflection. */
export async function startServer(deps: ServerDeps, host: string, port: number): Promise<RunningServer> {
  const { logger } = deps;
  const { tracker } = deps;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    // Connections closed (GOAWAY, calls in flight may finish) after this age make clients
    // re-resolve and spread over replicas added since they connected.
    ...(deps.maxConnectionAgeMs > 0
      ? { 'grpc.max_connection_age_ms': deps.maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': 30_000 }
      : {}),
  });

  const wrap = new CallWrapper(
    tracker,
    logger,
    deps.rpcObserver ?? NO_RPC_OBSERVER,
    deps.auth,
    deps.recordsCalls,
  );
  const { oip } = deps;
  const inference: Implementation<GRPCInferenceServiceHandlers> = {
    ServerLive: async () => oip.serverLive(),
    ServerReady: async () => oip.serverReady(),
    ModelReady: async (req) => oip.modelReady(req),
    ServerMetadata: async () => oip.serverMetadata(),
    ModelMetadata: async (req) => oip.modelMetadata(req),
    ModelInfer: (req, signal) => oip.modelInfer(req, signal),
  };

  const { definition, grpcObject } = loadContract();
  const loyaltyDefinition = grpcObject.loyalty.v1.LoyaltyService.service;
  const modelDefinition = grpcObject.loyalty.v1.ModelService.service;
  const inferenceService = grpcObject.inference.GRPCInferenceService.service;
  server.addService(
    withTolerantDecoding(loyaltyDefinition),
    wrap.handlers(loyaltyDefinition, loyaltyService(deps.predictor, deps.rfm)),
  );
  server.addService(
    withTolerantDecoding(modelDefinition),
    wrap.handlers(modelDefinition, modelService(deps.predictor, deps.registry)),
  );
  server.addService(withTolerantDecoding(inferenceService), wrap.handlers(inferenceService, inference));
  const decisionDefinition = grpcObject.loyalty.v1.DecisionService.service;
  const { decider, plans, backend } = deps.decisions;
  server.addService(
    withTolerantDecoding(decisionDefinition),
    wrap.handlers(decisionDefinition, decisionService(decider, plans, backend)),
  );

  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    ...Object.fromEntries(SERVICES.map((s) => [s, 'NOT_SERVING'])),
  });
  const monitor = new HealthMonitor(health, {
    store: deps.store,
    registry: deps.registry,
    catalog: deps.catalog,
    predictionModels: deps.predictionModels,
    logger,
  });
  addBoundedHealth(health, server);
  if (deps.reflection) {
    const healthDefinition = protoLoader.loadSync(healthProtoPath);
    new ReflectionService({ ...definition, ...healthDefinition }).addToServer(server);
  }

  // The same health statuses, without TLS: it tells only whether the server is serving.
  const probes = deps.healthPort === undefined ? undefined : new grpc.Server();
  let probePort: number | undefined;
  if (probes) {
    addBoundedHealth(health, probes);
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

  return {
    port: boundPort,
    healthPort: probePort,
    async shutdown(graceMs: number) {
      monitor.stop();
      tracker.close();
      const stopped = new Promise<boolean>((resolve) => server.tryShutdown(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs).unref());
      if (!(await Promise.race([stopped, timedOut]))) {
        logger.warn({ inFlight: tracker.active }, 'grace period over; cancelling the calls still in flight');
        server.forceShutdown();
      }
      probes?.forceShutdown();
      logger.info('server stopped');
    },
  };
}
