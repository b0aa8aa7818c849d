import type { Config } from '../config.js';
import { MysqlBackend } from './sql/mysql-backend.js';
import { PostgresBackend } from './sql/postgres-backend.js';
import type { SqlBackend } from './sql/sql-backend.js';
import { SqliteBackend } from './sql/sqlite-backend.js';

/** The SQL backend the configuration names: MySQL or PostgreSQL when its URL is set, else the embedded file. */
export function openBackend(store: Config['store']): SqlBackend {
  if (store.kind === 'sqlite') return new SqliteBackend(store.path);
  const options = { url: store.url, poolSize: store.poolSize, queryTimeoutMs: store.queryTimeoutMs };
  return store.kind === 'mysql' ? new MysqlBackend(options) : new PostgresBackend(options);
}
