import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every setting of the server, read once from the environment at start-up. Nothing else in
 * the code reads process.env; the README's configuration table mirrors this schema.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  LOYALTY_GRPC_HOST: z.string().min(1).default('0.0.0.0'),
  LOYALTY_GRPC_PORT: integer(0, 65_535).default(50051),
  LOYALTY_MYSQL_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || /^mysql:\/\//.test(v), 'must start with mysql://'),
  /** postgres://user:pass@host:port/db: the feature store in PostgreSQL (instead of MySQL or SQLite). */
  LOYALTY_POSTGRES_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://'),
  LOYALTY_MYSQL_POOL_SIZE: integer(1, 256).default(8),
  LOYALTY_STORE_QUERY_TIMEOUT_MS: integer(50, 60_000).default(2_000),
  LOYALTY_SQLITE_PATH: z.string().min(1).default('data/loyalty-demo.sqlite'),
  /**
   * The shared online store: redis://host:port[/db], rediss:// (TLS) or redis+cluster://h:p,h:p.
   * Point reads of the built-in view go there (the in-process cache stays in front); the SQL store
   * keeps everything else. Unset: reads go to the SQL store.
   */
  LOYALTY_REDIS_URL: z
    .string()
    .regex(/^(rediss?|redis\+cluster):\/\/\S+$/, 'redis://, rediss:// or redis+cluster://')
    .optional(),
  LOYALTY_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/)
    .default('loyalty:online'),
  /** Each Redis command's limit: past it a read answers UNAVAILABLE (the call's deadline is kept). */
  LOYALTY_REDIS_COMMAND_TIMEOUT_MS: integer(10, 60_000).default(500),
  /** A published row's life without a newer publication, as a safety net (default 30 days). */
  LOYALTY_REDIS_TTL_S: integer(60, 31_536_000).default(2_592_000),
  LOYALTY_DEMO_CUSTOMERS: integer(100, 10_000_000).default(100_000),
  LOYALTY_DEMO_SEED: integer(0, 2 ** 31 - 1).default(42),
  LOYALTY_MAX_BATCH_SIZE: integer(1, 100_000).default(1_000),
  LOYALTY_MAX_INFLIGHT_CALLS: integer(1, 1_000_000).default(2_048),
  LOYALTY_MAX_QUEUE_WAIT_MS: integer(0, 600_000).default(200),
  LOYALTY_FEATURE_CACHE_SIZE: integer(0, 100_000_000).default(200_000),
  LOYALTY_FEATURE_CACHE_TTL_MS: integer(0, 86_400_000).default(300_000),
  LOYALTY_NEGATIVE_CACHE_TTL_MS: integer(0, 3_600_000).default(5_000),
  LOYALTY_NEGATIVE_CACHE_SIZE: integer(0, 10_000_000).default(20_000),
  LOYALTY_SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
  LOYALTY_HEALTH_INTERVAL_MS: integer(0, 600_000).default(5_000),
  LOYALTY_CATALOG_REFRESH_MS: integer(100, 3_600_000).default(30_000),
  LOYALTY_MODELS_DIR: z.string().min(1).default('models'),
  /** Server processes sharing the ports (node:cluster); 'auto' = one per core. */
  LOYALTY_PROCESSES: z.union([z.literal('auto'), integer(1, 256)]).default(1),
  /** Per process; by default the cores left to each process after its main thread. */
  LOYALTY_WORKERS: integer(1, 256).optional(),
  LOYALTY_MODEL_POLL_MS: integer(0, 3_600_000).default(2_000),
  LOYALTY_INFERENCE_TIMEOUT_MS: integer(10, 600_000).default(5_000),
  LOYALTY_SHADOW_MAX_ROWS: integer(0, 1_000_000).default(256),
  /** Where served predictions are recorded: off, JSON lines files, or a table of the store's database. */
  LOYALTY_PREDICTION_LOG: z.enum(['off', 'jsonl', 'table']).default('off'),
  LOYALTY_PREDICTION_LOG_DIR: z.string().min(1).default('data/prediction-log'),
  /** With the table sink: another database than the feature store's. */
  LOYALTY_PREDICTION_LOG_MYSQL_URL: z
    .string()
    .refine((v) => /^mysql:\/\//.test(v), 'must start with mysql://')
    .optional(),
  LOYALTY_PREDICTION_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(1),
  LOYALTY_PREDICTION_LOG_QUEUE: integer(1, 1_000_000).default(10_000),
  LOYALTY_PREDICTION_LOG_ROTATE_MB: integer(1, 100_000).default(64),
  LOYALTY_PREDICTION_LOG_KEEP_FILES: integer(1, 10_000).default(20),
  /** Served rows per model version over which drift (PSI) is measured; 0: drift off. */
  LOYALTY_DRIFT_WINDOW: integer(0, 10_000_000).default(10_000),
  LOYALTY_RECYCLE_AFTER_UNLOAD_MS: integer(0, 86_400_000).default(60_000),
  LOYALTY_BATCH_MAX_SIZE: integer(1, 4_096).optional(),
  LOYALTY_BATCH_MAX_DELAY_US: integer(0, 1_000_000).optional(),
  LOYALTY_BATCH_MAX_QUEUE: integer(1, 10_000_000).optional(),
  LOYALTY_CHURN_MODEL: z.string().min(1).default('churn'),
  LOYALTY_NBO_MODEL: z.string().min(1).default('nbo'),
  LOYALTY_LTV_MODEL: z.string().min(1).default('ltv'),
  /** Client connections are closed gracefully at this age, so that clients rebalance (0: never). */
  LOYALTY_MAX_CONNECTION_AGE_MS: integer(0, 86_400_000).default(0),
  /** A plaintext port with only grpc.health.v1, for probes that cannot speak TLS; 'off' by default. */
  LOYALTY_HEALTH_PORT: z.union([z.literal('off'), integer(0, 65_535)]).default('off'),
  LOYALTY_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  /** Port of the Open Inference Protocol's HTTP/REST endpoints; 'off' disables them, 0 picks a free port. */
  LOYALTY_HTTP_PORT: z.union([z.literal('off'), integer(0, 65_535)]).default(8080),
  /**
   * Host names (comma separated) that a state-changing HTTP request may name in its Host header
   * besides loopback ones, e.g. the name a deploy tool reaches the admin endpoint by.
   */
  LOYALTY_HTTP_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Loopback by default: metrics are for the host's own scraper unless configured otherwise. */
  LOYALTY_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOYALTY_TLS_CERT: z.string().min(1).optional(),
  LOYALTY_TLS_KEY: z.string().min(1).optional(),
  LOYALTY_TLS_CLIENT_CA: z.string().min(1).optional(),
  LOYALTY_TLS_REFRESH_MS: integer(100, 3_600_000).default(5_000),
  LOYALTY_AUTH_TOKENS: z.string().min(1).optional(),
  LOYALTY_AUTH_POLICY: z.string().min(1).optional(),
  LOYALTY_REFLECTION: z.enum(['on', 'off']).default('on'),
  /** Port of the Prometheus endpoint; 'off' disables it, 0 picks a free port. */
  LOYALTY_METRICS_PORT: z.union([z.literal('off'), integer(0, 65_535)]).default(9464),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  LOYALTY_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export interface Config {
  grpc: { host: string; port: number; healthPort: number | undefined; maxConnectionAgeMs: number };
  store:
    | { kind: 'mysql'; url: string; poolSize: number; queryTimeoutMs: number }
    | { kind: 'postgres'; url: string; poolSize: number; queryTimeoutMs: number }
    | { kind: 'sqlite'; path: string; demoCustomers: number; demoSeed: number };
  /** The shared online store in Redis, when configured. */
  redis: { url: string; prefix: string; commandTimeoutMs: number; ttlSeconds: number } | undefined;
  limits: { maxBatchSize: number; maxInflightCalls: number; maxQueueWaitMs: number };
  featureCache: { maxEntries: number; ttlMs: number; negativeTtlMs: number; negativeMaxEntries: number };
  models: {
    dir: string;
    pollMs: number;
    /** The model each prediction RPC uses. */
    churn: string;
    nbo: string;
    ltv: string;
    batchingOverrides: { maxBatchSize?: number; maxQueueDelayUs?: number; maxQueueSize?: number };
    /** Most rows a shadow version scores at a time (0: shadows never score). */
    shadowMaxRows: number;
    /** Quiet time after the last unload before the workers are replaced by fresh threads (0: never). */
    recycleAfterUnloadMs: number;
  };
  inference: { workers: number; taskTimeoutMs: number };
  /** Drift measurement, or undefined when off. */
  drift: { windowRows: number } | undefined;
  /** The prediction log, or undefined when off. */
  predictionLog:
    | {
        sink:
          | { kind: 'jsonl'; dir: string; rotateBytes: number; keepFiles: number }
          | { kind: 'table'; mysqlUrl: string | undefined };
        sampleRate: number;
        maxQueued: number;
      }
    | undefined;
  /** Server processes on the same ports, each with its own worker pool (1: no supervisor). */
  processes: number;
  /** Prometheus endpoint, or undefined when off. */
  metrics: { host: string; port: number } | undefined;
  /** The Open Inference Protocol over HTTP/REST, unless off. */
  http: { host: string; port: number; allowedHosts: string[] } | undefined;
  /** TLS on the gRPC port (mTLS with a client CA), unless no certificate is configured. */
  tls: { cert: string; key: string; clientCa: string | undefined; refreshMs: number } | undefined;
  /** Caller authentication and authorization, when a policy file is configured. */
  auth: { policyFile: string; tokensFile: string | undefined } | undefined;
  reflection: boolean;
  /** Whether the OTEL_* variables ask for trace export (the OpenTelemetry SDK reads the rest). */
  tracing: boolean;
  shutdownGraceMs: number;
  healthIntervalMs: number;
  /** How often the server re-reads what the last materialization published. */
  catalogRefreshMs: number;
  logLevel: z.infer<typeof schema>['LOYALTY_LOG_LEVEL'];
}

export class ConfigError extends Error {}

/** Every variable the server reads (the README's configuration table lists the same). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Parses the environment into a Config; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const processes = e.LOYALTY_PROCESSES === 'auto' ? availableParallelism() : e.LOYALTY_PROCESSES;
  if ((e.LOYALTY_TLS_CERT === undefined) !== (e.LOYALTY_TLS_KEY === undefined))
    throw new ConfigError('invalid configuration: LOYALTY_TLS_CERT and LOYALTY_TLS_KEY go together');
  if (e.LOYALTY_TLS_CLIENT_CA && !e.LOYALTY_TLS_CERT)
    throw new ConfigError(
      'invalid configuration: LOYALTY_TLS_CLIENT_CA needs LOYALTY_TLS_CERT and LOYALTY_TLS_KEY',
    );
  if (e.LOYALTY_AUTH_TOKENS && !e.LOYALTY_AUTH_POLICY)
    throw new ConfigError('invalid configuration: LOYALTY_AUTH_TOKENS needs LOYALTY_AUTH_POLICY');
  return {
    grpc: {
      host: e.LOYALTY_GRPC_HOST,
      port: e.LOYALTY_GRPC_PORT,
      healthPort: e.LOYALTY_HEALTH_PORT === 'off' ? undefined : e.LOYALTY_HEALTH_PORT,
      maxConnectionAgeMs: e.LOYALTY_MAX_CONNECTION_AGE_MS,
    },
    store: e.LOYALTY_MYSQL_URL
      ? {
          kind: 'mysql',
          url: e.LOYALTY_MYSQL_URL,
          poolSize: e.LOYALTY_MYSQL_POOL_SIZE,
          queryTimeoutMs: e.LOYALTY_STORE_QUERY_TIMEOUT_MS,
        }
      : e.LOYALTY_POSTGRES_URL
        ? {
            kind: 'postgres',
            url: e.LOYALTY_POSTGRES_URL,
            poolSize: e.LOYALTY_MYSQL_POOL_SIZE,
            queryTimeoutMs: e.LOYALTY_STORE_QUERY_TIMEOUT_MS,
          }
        : {
            kind: 'sqlite',
            path: e.LOYALTY_SQLITE_PATH,
            demoCustomers: e.LOYALTY_DEMO_CUSTOMERS,
            demoSeed: e.LOYALTY_DEMO_SEED,
          },
    redis: e.LOYALTY_REDIS_URL
      ? {
          url: e.LOYALTY_REDIS_URL,
          prefix: e.LOYALTY_REDIS_PREFIX,
          commandTimeoutMs: e.LOYALTY_REDIS_COMMAND_TIMEOUT_MS,
          ttlSeconds: e.LOYALTY_REDIS_TTL_S,
        }
      : undefined,
    limits: {
      maxBatchSize: e.LOYALTY_MAX_BATCH_SIZE,
      maxInflightCalls: e.LOYALTY_MAX_INFLIGHT_CALLS,
      maxQueueWaitMs: e.LOYALTY_MAX_QUEUE_WAIT_MS,
    },
    featureCache: {
      maxEntries: e.LOYALTY_FEATURE_CACHE_SIZE,
      ttlMs: e.LOYALTY_FEATURE_CACHE_TTL_MS,
      negativeTtlMs: e.LOYALTY_NEGATIVE_CACHE_TTL_MS,
      negativeMaxEntries: e.LOYALTY_NEGATIVE_CACHE_SIZE,
    },
    models: {
      dir: e.LOYALTY_MODELS_DIR,
      pollMs: e.LOYALTY_MODEL_POLL_MS,
      churn: e.LOYALTY_CHURN_MODEL,
      nbo: e.LOYALTY_NBO_MODEL,
      ltv: e.LOYALTY_LTV_MODEL,
      batchingOverrides: {
        maxBatchSize: e.LOYALTY_BATCH_MAX_SIZE,
        maxQueueDelayUs: e.LOYALTY_BATCH_MAX_DELAY_US,
        maxQueueSize: e.LOYALTY_BATCH_MAX_QUEUE,
      },
      shadowMaxRows: e.LOYALTY_SHADOW_MAX_ROWS,
      recycleAfterUnloadMs: e.LOYALTY_RECYCLE_AFTER_UNLOAD_MS,
    },
    inference: {
      workers: e.LOYALTY_WORKERS ?? Math.max(1, Math.floor(availableParallelism() / processes) - 1),
      taskTimeoutMs: e.LOYALTY_INFERENCE_TIMEOUT_MS,
    },
    processes,
    predictionLog:
      e.LOYALTY_PREDICTION_LOG === 'off'
        ? undefined
        : {
            sink:
              e.LOYALTY_PREDICTION_LOG === 'table'
                ? { kind: 'table', mysqlUrl: e.LOYALTY_PREDICTION_LOG_MYSQL_URL }
                : {
                    kind: 'jsonl',
                    dir: e.LOYALTY_PREDICTION_LOG_DIR,
                    rotateBytes: e.LOYALTY_PREDICTION_LOG_ROTATE_MB * 2 ** 20,
                    keepFiles: e.LOYALTY_PREDICTION_LOG_KEEP_FILES,
                  },
            sampleRate: e.LOYALTY_PREDICTION_LOG_SAMPLE,
            maxQueued: e.LOYALTY_PREDICTION_LOG_QUEUE,
          },
    drift: e.LOYALTY_DRIFT_WINDOW > 0 ? { windowRows: e.LOYALTY_DRIFT_WINDOW } : undefined,
    http:
      e.LOYALTY_HTTP_PORT === 'off'
        ? undefined
        : {
            host: e.LOYALTY_HTTP_HOST,
            port: e.LOYALTY_HTTP_PORT,
            allowedHosts: e.LOYALTY_HTTP_ALLOWED_HOSTS,
          },
    metrics:
      e.LOYALTY_METRICS_PORT === 'off'
        ? undefined
        : { host: e.LOYALTY_METRICS_HOST, port: e.LOYALTY_METRICS_PORT },
    tracing:
      (e.OTEL_TRACES_EXPORTER !== undefined && e.OTEL_TRACES_EXPORTER !== 'none') ||
      e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
      e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined,
    tls: e.LOYALTY_TLS_CERT
      ? {
          cert: e.LOYALTY_TLS_CERT,
          key: e.LOYALTY_TLS_KEY!,
          clientCa: e.LOYALTY_TLS_CLIENT_CA,
          refreshMs: e.LOYALTY_TLS_REFRESH_MS,
        }
      : undefined,
    auth: e.LOYALTY_AUTH_POLICY
      ? { policyFile: e.LOYALTY_AUTH_POLICY, tokensFile: e.LOYALTY_AUTH_TOKENS }
      : undefined,
    reflection: e.LOYALTY_REFLECTION === 'on',
    shutdownGraceMs: e.LOYALTY_SHUTDOWN_GRACE_MS,
    healthIntervalMs: e.LOYALTY_HEALTH_INTERVAL_MS,
    catalogRefreshMs: e.LOYALTY_CATALOG_REFRESH_MS,
    logLevel: e.LOYALTY_LOG_LEVEL,
  };
}
