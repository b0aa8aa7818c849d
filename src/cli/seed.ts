import { loadConfig } from '../config.js';
import { MysqlBackend } from '../features/sql/mysql-backend.js';
import { PostgresBackend } from '../features/sql/postgres-backend.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { buildDemoStore, hasMaterialization } from '../offline/demo/demo-store.js';
import { storeAddress } from '../offline/features/chunk-workers.js';
import { parseFlags } from './args.js';
import { progressReporter } from './progress.js';

const USAGE = `usage: node dist/cli/seed.js --target mysql|postgres|sqlite [--customers N] [--seed S] [--if-needed]
Recreates the loyalty data model in the target, loads the demo base and materializes it.
  mysql: LOYALTY_MYSQL_URL (default mysql://root@127.0.0.1:3306/loyalty, created if missing)
  postgres: LOYALTY_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/loyalty, created if missing)
  sqlite: LOYALTY_SQLITE_PATH (default data/loyalty-demo.sqlite)
  --if-needed: do nothing when the store already holds a materialization of this version's features`;

const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/loyalty';
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/loyalty';

/** Creates the URL's database when missing, through the server's postgres database. */
async function ensurePostgresDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(database))
    throw new Error(`database name ${JSON.stringify(database)} is not [A-Za-z0-9_]+`);
  parsed.pathname = '/postgres';
  const server = new PostgresBackend({ url: parsed.toString(), poolSize: 1, queryTimeoutMs: 10_000 });
  try {
    const found = await server.select('SELECT 1 FROM pg_database WHERE datname = ?', [database]);
    if (found.length === 0) await server.execute(`CREATE DATABASE ${database}`);
  } finally {
    await server.close();
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '');
  if (!/^[A-Za-z0-9_]+$/.test(database))
    throw new Error(`database name ${JSON.stringify(database)} is not [A-Za-z0-9_]+`);
  parsed.pathname = '/';
  const server = new MysqlBackend({ url: parsed.toString(), poolSize: 1, queryTimeoutMs: 10_000 });
  try {
    await server.execute(`CREATE DATABASE IF NOT EXISTS ${database} CHARACTER SET utf8mb4`);
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseFlags(
    {
      target: { type: 'string', default: 'mysql' },
      customers: { type: 'string' },
      seed: { type: 'string' },
      'if-needed': { type: 'boolean', default: false },
    },
    USAGE,
  );
  const env = { ...process.env };
  if (values.target === 'mysql') env.LOYALTY_MYSQL_URL ||= DEFAULT_MYSQL_URL;
  else delete env.LOYALTY_MYSQL_URL;
  if (values.target === 'postgres') env.LOYALTY_POSTGRES_URL ||= DEFAULT_POSTGRES_URL;
  else delete env.LOYALTY_POSTGRES_URL;
  if (values.customers) env.LOYALTY_DEMO_CUSTOMERS = values.customers;
  if (values.seed) env.LOYALTY_DEMO_SEED = values.seed;
  const config = loadConfig(env);
  const customers = Number(env.LOYALTY_DEMO_CUSTOMERS ?? 100_000);
  const seed = Number(env.LOYALTY_DEMO_SEED ?? 42);

  let backend: SqlBackend;
  if (config.store.kind === 'mysql') {
    await ensureDatabase(config.store.url);
    backend = new MysqlBackend({ url: config.store.url, poolSize: 4, queryTimeoutMs: 600_000 });
  } else if (config.store.kind === 'postgres') {
    await ensurePostgresDatabase(config.store.url);
    backend = new PostgresBackend({ url: config.store.url, poolSize: 4, queryTimeoutMs: 600_000 });
  } else {
    backend = new SqliteBackend(config.store.path);
  }
  if (values['if-needed'] && (await hasMaterialization(backend))) {
    process.stdout.write('the store already holds a materialization of these features; nothing to do\n');
    await backend.close();
    return;
  }
  const generate = progressReporter('generating demo customers');
  const features = progressReporter('materializing features');
  try {
    const summary = await buildDemoStore(backend, {
      customers,
      seed,
      onProgress: (stage, d, t) => (stage === 'generate' ? generate : features)(d, t),
      workersOpen: storeAddress(config.store),
    });
    process.stdout.write(`${summary.customers} customers materialized as of ${summary.asOf}\n`);
  } finally {
    await backend.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
