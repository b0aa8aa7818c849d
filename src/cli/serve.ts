import { existsSync, rmSync } from 'node:fs';
import { startApp } from '../app.js';
import { ConfigError, loadConfig } from '../config.js';
import { openBackend } from '../features/open-store.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { createLogger } from '../logger.js';
import { buildDemoStore, hasMaterialization } from '../offline/demo/demo-store.js';
import { loadSecurity } from '../security/security.js';
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
  const logger = createLogger(config.logLevel);

  if (config.store.kind === 'sqlite') {
    const { path, demoCustomers, demoSeed } = config.store;
    const probe = existsSync(path) ? new SqliteBackend(path) : undefined;
    const ready = probe ? await hasMaterialization(probe) : false;
    await probe?.close();
    if (!ready) {
      logger.info(
        { path, customers: demoCustomers, seed: demoSeed },
        'creating the embedded demo store (first run, or the file was made by a version with other features)',
      );
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      const building = new SqliteBackend(`${path}.building`);
      const generate = progressReporter('generating demo customers');
      const features = progressReporter('materializing features');
      const summary = await buildDemoStore(building, {
        customers: demoCustomers,
        seed: demoSeed,
        onProgress: (stage, d, t) => (stage === 'generate' ? generate : features)(d, t),
      });
      await building.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      await building.close();
      const { renameSync } = await import('node:fs');
      renameSync(`${path}.building`, path);
      for (const suffix of ['-wal', '-shm']) rmSync(`${path}.building${suffix}`, { force: true });
      logger.info(
        { customers: summary.customers, asOf: summary.asOf, segments: summary.segmentCounts },
        'demo store ready',
      );
    }
  }

  const tracing = config.tracing ? startTracing('loyalty-inference') : undefined;
  const app = await startApp(config, openBackend(config.store), logger);
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
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
