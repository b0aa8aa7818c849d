import type { Config } from './config.js';
import { LiveStats } from './console/live-stats.js';
import { DriftMonitor } from './drift/drift-monitor.js';
import { Explainer } from './explain/explainer.js';
import { FeatureLookup } from './features/feature-lookup.js';
import { FeatureSetCatalog } from './features/feature-set-catalog.js';
import { OnlineFeatureStore } from './features/online-store.js';
import type { SqlBackend } from './features/sql/sql-backend.js';
import { WorkerPool } from './inference/worker-pool.js';
import type { Logger } from './logger.js';
import { ModelRegistry } from './models/model-registry.js';
import { ShadowScoring } from './models/shadow-scoring.js';
import { PredictionLog } from './prediction-log/prediction-log.js';
import type { SinkSpec } from './prediction-log/sink-spec.js';
import { loadSecurity } from './security/security.js';
import type { StreamStats } from './server/paced-stream.js';
import { type RunningServer, startServer } from './server/server.js';
import { ServerMetrics } from './telemetry/metrics.js';
import { startMetricsEndpoint } from './telemetry/metrics-endpoint.js';
import { batchObservers, rpcObservers, shadowObservers } from './telemetry/observers.js';

export interface App {
  port: number;
  /** Port of the Prometheus endpoint, when this process serves one. */
  metricsPort: number | undefined;
  /** This process's metrics as Prometheus text, when metrics are on. */
  metricsText: (() => Promise<string>) | undefined;
  /** Port of the Open Inference Protocol's HTTP/REST endpoints, when on. */
  httpPort: number | undefined;
  /** The plaintext port serving only health, when on. */
  healthPort: number | undefined;
  store: OnlineFeatureStore;
  lookup: FeatureLookup;
  registry: ModelRegistry;
  shadow: ShadowScoring;
  pool: WorkerPool;
  streams: StreamStats;
  stop(): Promise<void>;
}

export interface AppOptions {
  /**
   * Whether this process serves its own /metrics (default). A server process under a supervisor
   * does not: the supervisor serves every process's metrics on the one port.
   */
  metricsEndpoint?: boolean;
}

/** Wires the serving path together: store -> cache -> models and workers -> services -> gRPC server. */
export async function startApp(
  config: Config,
  backend: SqlBackend,
  logger: Logger,
  options: AppOptions = {},
): Promise<App> {
  const security = loadSecurity(config);
  if (security.summary.tls === 'off' && security.summary.auth === 'off')
    logger.warn(
      'TLS and caller authorization are off: anyone who can reach the port may call every method (set LOYALTY_TLS_* and LOYALTY_AUTH_* in production)',
    );
  else logger.info(security.summary, 'transport security and caller authorization');
  const metrics = config.metrics ? ServerMetrics.create() : undefined;
  const endpoint =
    metrics && config.metrics && options.metricsEndpoint !== false
      ? await startMetricsEndpoint(config.metrics.host, config.metrics.port, () => metrics.text())
      : undefined;
  const predictionLog = config.predictionLog ? openPredictionLog(config, logger) : undefined;
  const store = new OnlineFeatureStore(backend, metrics);
  const lookup = new FeatureLookup(store, config.featureCache);
  const catalog = new FeatureSetCatalog(store, config.catalogRefreshMs, (state) => {
    logger.info({ asOf: state.info.asOf }, 'new materialization published; feature cache cleared');
    lookup.clear();
  });
  // The console's live page reads the same events as the metrics, kept in process.
  const live = new LiveStats();
  const pool = new WorkerPool(config.inference);
  const registry = new ModelRegistry(
    pool,
    {
      dir: config.models.dir,
      overrides: config.models.batchingOverrides,
      observer: batchObservers(metrics, live),
      recycleAfterUnloadMs: config.models.recycleAfterUnloadMs,
    },
    logger,
  );
  // Drift is read at each scrape: without the metrics endpoint nobody would read the windows.
  const drift = config.drift && metrics && new DriftMonitor(config.drift, () => registry.loaded());
  const shadow = new ShadowScoring(
    { maxRowsInFlight: config.models.shadowMaxRows, backlog: () => pool.queued > 0 },
    shadowObservers(metrics, live),
  );
  let server: RunningServer;
  try {
    server = await startServer(
      {
        store,
        lookup,
        catalog,
        registry,
        shadow,
        logger,
        maxBatchSize: config.limits.maxBatchSize,
        maxInflightCalls: config.limits.maxInflightCalls,
        maxConnectionAgeMs: config.grpc.maxConnectionAgeMs,
        maxQueueWaitMs: config.limits.maxQueueWaitMs,
        healthIntervalMs: config.healthIntervalMs,
        models: config.models,
        rpcObserver: rpcObservers(metrics, live),
        http: config.http,
        console: { live, pool, modelsDir: config.models.dir },
        transport: security.transport,
        httpsTls: security.https,
        predictionLog,
        drift,
        explainer: new Explainer({
          infer: (model, rows, data) => pool.infer(model, rows, data),
          concurrency: config.inference.workers,
        }),
        auth: security.auth,
        reflection: config.reflection,
        healthPort: config.grpc.healthPort,
      },
      config.grpc.host,
      config.grpc.port,
    );
  } catch (err) {
    await pool.close();
    await predictionLog?.close();
    await store.close();
    await endpoint?.close();
    await metrics?.close();
    throw err;
  }
  metrics?.observe({
    lookup,
    store,
    pool,
    registry,
    admission: server.admission,
    streams: server.streams,
    predictionLog,
    drift,
  });
  registry.watch(config.models.pollMs);
  return {
    port: server.port,
    httpPort: server.httpPort,
    healthPort: server.healthPort,
    metricsPort: endpoint?.port,
    metricsText: metrics ? () => metrics.text() : undefined,
    store,
    lookup,
    registry,
    shadow,
    pool,
    streams: server.streams,
    async stop() {
      registry.stop();
      await server.shutdown(config.shutdownGraceMs);
      await pool.close();
      await predictionLog?.close();
      await store.close();
      await endpoint?.close();
      await metrics?.close();
    },
  };
}

/** The prediction log and its writer thread's sink: JSON lines, or a table of the store's database. */
function openPredictionLog(config: Config, logger: Logger): PredictionLog {
  const options = config.predictionLog!;
  const store = config.store;
  const spec: SinkSpec =
    options.sink.kind === 'jsonl'
      ? options.sink
      : {
          kind: 'table',
          database: options.sink.mysqlUrl
            ? { kind: 'mysql', url: options.sink.mysqlUrl, queryTimeoutMs: 10_000 }
            : store.kind === 'mysql'
              ? { kind: 'mysql', url: store.url, queryTimeoutMs: 10_000 }
              : { kind: 'sqlite', path: store.path },
        };
  logger.info(
    { sink: options.sink.kind, sampleRate: options.sampleRate, maxQueued: options.maxQueued },
    'prediction log on',
  );
  let lastReport = 0;
  return new PredictionLog(spec, options, (err) => {
    // One line a minute at most: a broken sink must not flood the logs.
    if (Date.now() - lastReport < 60_000) return;
    lastReport = Date.now();
    logger.error({ err: err.message }, 'prediction log: a write failed; its rows are dropped (counted)');
  });
}
