import cluster from 'node:cluster';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startApp } from '../app.js';
import { reportToSupervisor } from '../cluster/server-process.js';
import { Supervisor } from '../cluster/supervisor.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { openBackend } from '../features/open-store.js';
import { REGISTRY_TABLE } from '../features/repository/view-tables.js';
import { tableExists } from '../features/sql/sql-backend.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { createLogger, type Logger } from '../logger.js';
import { buildDemoStore, hasMaterialization } from '../offline/demo/demo-store.js';
import { ensurePublished } from '../offline/features/redis-publication.js';
import { loadSecurity } from '../security/security.js';
import { startMetricsEndpoint } from '../telemetry/metrics-endpoint.js';
import { startTracing } from '../telemetry/tracing.js';
import { progressReporter } from './progress.js';

/**
 * `make serve`: starts the server. With no MySQL URL configured it serves the embedded demo
 * store, creating it on first run (the only moment serving touches the offline code).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // Bad certificates, keys, tokens or policies stop the start here (exit 2), before any work.
  loadSecurity(config);
  if (cluster.isWorker)
    return serveInThisProcess(config, createLogger(config.logLevel, { pid: process.pid }));
  const logger = createLogger(config.logLevel);
  // Once, before any server process starts: they would all race to build it.
  if (config.store.kind === 'sqlite') await ensureDemoStore(config.store, logger);
  if (config.redis) await publishIfMissing(config, logger);
  if (config.processes > 1) return supervise(config, logger);
  return serveInThisProcess(config, logger);
}

/** The store's materialization copied to Redis when Redis holds none of its day (every replica may try: one publishes). */
async function publishIfMissing(config: Config, logger: Logger): Promise<void> {
  const backend = openBackend(config.store);
  try {
    await ensurePublished(backend, config.redis!, { log: (line) => logger.info(line) });
  } finally {
    await backend.close();
  }
}

type SqliteStore = Extract<Config['store'], { kind: 'sqlite' }>;

/**
 * Creates the embedded demo store unless the file already holds a materialization of it, or
 * holds a team's own feature views (a store of their data, which the demo must not replace).
 */
async function ensureDemoStore(
  { path, demoCustomers, demoSeed }: SqliteStore,
  logger: Logger,
): Promise<void> {
  if (await isReady(path)) return;
  const unlock = await lockBuild(path);
  try {
    // A builder that finished between the look above and the lock has made it.
    if (!(await isReady(path))) await buildInto(path, { demoCustomers, demoSeed }, logger);
  } finally {
    unlock();
  }
}

async function isReady(path: string): Promise<boolean> {
  const probe = existsSync(path) ? new SqliteBackend(path) : undefined;
  const ready = probe
    ? (await hasMaterialization(probe)) || (await tableExists(probe, REGISTRY_TABLE))
    : false;
  await probe?.close();
  return ready;
}

/**
 * The right to build the store at `path`, for one process at a time: a lock file created only if
 * absent, holding this pid. A lock left by a build that was killed is taken over; one held by a
 * running process stops this start (two builders of one file would clobber each other's rows).
 */
async function lockBuild(path: string): Promise<() => void> {
  const lock = `${path}.building.lock`;
  // On a fresh clone data/ does not exist yet.
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(lock);
    if (holder !== undefined && isRunning(holder))
      throw new Error(
        `another process (pid ${holder}) is building the demo store at ${path}: wait for it to finish or stop it`,
      );
    rmSync(lock, { force: true });
  }
}

/** The pid in a lock file; a file still empty a second after is a lock whose writer died. */
async function lockHolder(lock: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let text = '';
    try {
      text = readFileSync(lock, 'utf8');
    } catch {
      return undefined;
    }
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return pid;
    // Created but not written yet by its owner.
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function buildInto(
  path: string,
  { demoCustomers, demoSeed }: Pick<SqliteStore, 'demoCustomers' | 'demoSeed'>,
  logger: Logger,
): Promise<void> {
  logger.info(
    { path, customers: demoCustomers, seed: demoSeed },
    'creating the embedded demo store (first run, or the file was made by a version with other features)',
  );
  // What a killed build left behind is started over.
  for (const suffix of ['', '-wal', '-shm', '.building', '.building-wal', '.building-shm'])
    rmSync(`${path}${suffix}`, { force: true });
  const building = new SqliteBackend(`${path}.building`);
  const generate = progressReporter('generating demo customers');
  const features = progressReporter('materializing features');
  const summary = await buildDemoStore(building, {
    customers: demoCustomers,
    seed: demoSeed,
    onProgress: (stage, d, t) => (stage === 'generate' ? generate : features)(d, t),
    workersOpen: { kind: 'sqlite', path: `${path}.building` },
  });
  await building.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  await building.close();
  renameSync(`${path}.building`, path);
  for (const suffix of ['-wal', '-shm']) rmSync(`${path}.building${suffix}`, { force: true });
  logger.info(
    { customers: summary.customers, asOf: summary.asOf, segments: summary.segmentCounts },
    'demo store ready',
  );
}

/** One server: this process (LOYALTY_PROCESSES=1), or one of the supervisor's processes. */
async function serveInThisProcess(config: Config, logger: Logger): Promise<void> {
  const tracing = config.tracing ? startTracing('loyalty-inference') : undefined;
  const app = await startApp(config, openBackend(config.store), logger, {
    metricsEndpoint: cluster.isPrimary,
  });
  if (app.metricsPort !== undefined) logger.info({ port: app.metricsPort }, 'metrics at /metrics');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (cluster.isWorker) reportToSupervisor(app, stop);
}

/** LOYALTY_PROCESSES > 1: this process supervises the servers and serves their metrics. */
async function supervise(config: Config, logger: Logger): Promise<void> {
  const supervisor = new Supervisor({
    processes: config.processes,
    shutdownGraceMs: config.shutdownGraceMs,
    logger,
  });
  const address = await supervisor.start();
  const metrics = config.metrics
    ? await startMetricsEndpoint(config.metrics.host, config.metrics.port, () => supervisor.metricsText())
    : undefined;
  if (metrics) logger.info({ port: metrics.port }, 'metrics at /metrics');
  logger.info({ processes: config.processes, httpPort: address.httpPort, port: address.port }, 'serving');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes: supervisor.serving }, 'shutting down every server process');
    void supervisor.stop().then(async (clean) => {
      await metrics?.close();
      logger.info({ clean }, 'server stopped');
      process.exit(clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
