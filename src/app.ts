import { createRequire } from 'node:module';
import { AudienceStore } from './audiences/audience-store.js';
import { OptOuts } from './audiences/opt-outs.js';
import { SqlPolicyAudit } from './audit/policy-audit.js';
import type { Config } from './config.js';
import { audienceRoutes } from './console/audience-routes.js';
import { consoleRoutes } from './console/console-api.js';
import { decisionRoutes } from './console/decision-routes.js';
import { LiveStats } from './console/live-stats.js';
import { consoleFileRoutes } from './console/static-files.js';
import { ActionScorer, bestActions } from './decisioning/action-scorer.js';
import { CatalogStore } from './decisioning/catalog-store.js';
import { ContactHistory } from './decisioning/contact-history.js';
import { Decider } from './decisioning/decider.js';
import { PlanService } from './decisioning/plan-service.js';
import { DriftMonitor } from './drift/drift-monitor.js';
import { Explainer } from './explain/explainer.js';
import { FeatureLookup } from './features/feature-lookup.js';
import { FeatureSetCatalog } from './features/feature-set-catalog.js';
import { FeatureViews } from './features/feature-views.js';
import { OnlineFeatureStore } from './features/online-store.js';
import { openRedis } from './features/redis/redis-client.js';
import { oneAsOfPerCall, RedisOnlineRows } from './features/redis/redis-online-rows.js';
import type { SqlBackend } from './features/sql/sql-backend.js';
import { ViewStore } from './features/view-store.js';
import { startHttpServer } from './http/http-server.js';
import { BodyBudget } from './http/json-body.js';
import type { HttpRoute } from './http/route-table.js';
import { WorkerPool } from './inference/worker-pool.js';
import type { Logger } from './logger.js';
import { ModelRegistry } from './models/model-registry.js';
import { ShadowScoring } from './models/shadow-scoring.js';
import { PredictionLog } from './prediction-log/prediction-log.js';
import type { SinkSpec } from './prediction-log/sink-spec.js';
import { loadSecurity } from './security/security.js';
import { OipEndpoints } from './server/oip-endpoints.js';
import { oipRoutes } from './server/oip-rest.js';
import { policyAdminRoutes } from './server/policy-admin.js';
import { type RunningServer, startServer } from './server/server.js';
import { CallTracker } from './serving/admission.js';
import type { StreamStats } from './serving/base-stream.js';
import { Predictor } from './serving/predictor.js';
import { RfmReader } from './serving/rfm-reader.js';
import { ServerMetrics } from './telemetry/metrics.js';
import { startMetricsEndpoint } from './telemetry/metrics-endpoint.js';
import { batchObservers, rpcObservers, shadowObservers } from './telemetry/observers.js';

/** This server's version, as the OIP's ServerMetadata answers it. */
const SERVER_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

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
  // Point reads from Redis when configured (shared by every replica), else from the SQL store;
  // the in-process cache in front of either.
  const redis = config.redis ? await openRedis(config.redis.url, config.redis.commandTimeoutMs) : undefined;
  const lookup: FeatureLookup = redis
    ? new FeatureLookup(
        new RedisOnlineRows(
          redis,
          {
            prefix: config.redis!.prefix,
            refreshMs: config.catalogRefreshMs,
            onSwitch: () => lookup.clear(),
          },
          metrics,
        ),
        config.featureCache,
      )
    : new FeatureLookup(store, config.featureCache);
  // A call's rows of one materialization, whatever a publication switches meanwhile.
  const rows = redis ? oneAsOfPerCall(lookup) : lookup;
  const catalog = new FeatureSetCatalog(store, config.catalogRefreshMs, (state) => {
    logger.info({ asOf: state.info.asOf }, 'new materialization published; feature cache cleared');
    lookup.clear();
  });
  const views = new FeatureViews(
    new ViewStore(backend, metrics),
    config.catalogRefreshMs,
    config.featureCache,
  );
  // The console's live page reads the same events as the metrics, kept in process.
  const liveStats = new LiveStats();
  const pool = new WorkerPool(config.inference);
  const registry = new ModelRegistry(
    pool,
    {
      dir: config.models.dir,
      overrides: config.models.batchingOverrides,
      observer: batchObservers(metrics, liveStats),
      recycleAfterUnloadMs: config.models.recycleAfterUnloadMs,
    },
    logger,
  );
  // Drift is read at each scrape: without the metrics endpoint nobody would read the windows.
  const drift = config.drift && metrics && new DriftMonitor(config.drift, () => registry.loaded());
  const shadow = new ShadowScoring(
    { maxRowsInFlight: config.models.shadowMaxRows, backlog: () => pool.queued > 0 },
    shadowObservers(metrics, liveStats),
  );
  const explainer = new Explainer({
    infer: (model, rows, data) => pool.infer(model, rows, data),
    concurrency: config.inference.workers,
  });
  const streams: StreamStats = { buffered: 0, peakPerStream: 0 };
  const tracker = new CallTracker({
    maxInflight: config.limits.maxInflightCalls,
    maxWaitMs: config.limits.maxQueueWaitMs,
  });
  const predictor = new Predictor({
    registry,
    rows,
    catalog,
    store,
    maxBatchSize: config.limits.maxBatchSize,
    models: config.models,
    streamStats: streams,
    shadow,
    predictionLog,
    drift,
    views,
    explainer,
  });
  const rfm = new RfmReader({
    rows,
    catalog,
    store,
    maxBatchSize: config.limits.maxBatchSize,
    streamStats: streams,
  });
  const contacts = new ContactHistory(backend);
  const actions = new CatalogStore(config.models.dir, logger);
  const scorer = new ActionScorer({ predictor, contacts });
  const decisions = {
    decider: new Decider({ catalog: actions, rows, scorer, contacts, predictor }),
    plans: new PlanService({ store, scorer, contacts, catalog: actions }),
    backend,
  };
  let live = true;
  const oip = new OipEndpoints({ registry, predictor, serverVersion: SERVER_VERSION, live: () => live });
  let server: RunningServer;
  let http: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  try {
    server = await startServer(
      {
        store,
        catalog,
        registry,
        predictor,
        rfm,
        oip,
        tracker,
        logger,
        maxConnectionAgeMs: config.grpc.maxConnectionAgeMs,
        healthIntervalMs: config.healthIntervalMs,
        predictionModels: [config.models.churn, config.models.nbo, config.models.ltv],
        rpcObserver: rpcObservers(metrics, liveStats),
        transport: security.transport,
        auth: security.auth,
        reflection: config.reflection,
        recordsCalls: predictionLog !== undefined,
        healthPort: config.grpc.healthPort,
        decisions,
      },
      config.grpc.host,
      config.grpc.port,
    );
    if (config.http) {
      const bodies = new BodyBudget();
      const routes: HttpRoute[] = [
        ...oipRoutes({ oip, tracker, bodies }),
        ...policyAdminRoutes({ registry, logger, bodies, audit: new SqlPolicyAudit(backend) }),
        ...consoleRoutes({
          registry,
          predictor,
          rfm,
          rows,
          cache: lookup,
          catalog,
          live: liveStats,
          shadow,
          pool,
          admission: tracker.stats,
          modelsDir: config.models.dir,
          drift,
          views,
        }),
        ...decisionRoutes({ plans: decisions.plans, backend }),
        ...audienceRoutes({
          audiences: {
            predictor,
            rows,
            contacts,
            optOuts: new OptOuts(backend),
            nextBestActions: async (customers, now, signal) =>
              bestActions(await scorer.weigh(actions.current(), customers, now, false, signal)),
            upliftModel: () => registry.list().find((m) => m.serving.manifest.output.kind === 'uplift')?.name,
          },
          store: new AudienceStore(backend),
          bodies,
          baseSize: async () => (await catalog.current()).info.customerCount,
        }),
        ...consoleFileRoutes(),
        {
          method: 'GET',
          path: /^\/$/,
          access: 'open',
          handle: ({ res }) => void res.writeHead(302, { location: '/console/' }).end(),
        },
      ];
      http = await startHttpServer(
        routes,
        { logger, auth: security.auth, tls: security.https, allowedHosts: config.http.allowedHosts },
        config.http.host,
        config.http.port,
      ).catch(async (err: unknown) => {
        await server.shutdown(0);
        throw err;
      });
    }
  } catch (err) {
    await pool.close();
    await predictionLog?.close();
    await store.close();
    await redis?.quit().catch(() => {});
    await endpoint?.close();
    await metrics?.close();
    throw err;
  }
  // port last: tools (the benchmark harness, the serve test) read it just before the message.
  logger.info(
    { host: config.grpc.host, healthPort: server.healthPort, httpPort: http?.port, port: server.port },
    'serving',
  );
  metrics?.observe({
    lookup,
    store,
    pool,
    registry,
    admission: tracker.stats,
    streams,
    predictionLog,
    drift,
    views,
  });
  registry.watch(config.models.pollMs);
  return {
    port: server.port,
    httpPort: http?.port,
    healthPort: server.healthPort,
    metricsPort: endpoint?.port,
    metricsText: metrics ? () => metrics.text() : undefined,
    store,
    lookup,
    registry,
    shadow,
    pool,
    streams,
    async stop() {
      registry.stop();
      live = false;
      const httpClosed = http?.close();
      await server.shutdown(config.shutdownGraceMs);
      await httpClosed;
      await pool.close();
      await predictionLog?.close();
      await store.close();
      await redis?.quit().catch(() => {});
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
            : store.kind === 'sqlite'
              ? { kind: 'sqlite', path: store.path }
              : { kind: store.kind, url: store.url, queryTimeoutMs: 10_000 },
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
