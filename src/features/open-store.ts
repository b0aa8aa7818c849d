import type { Config } from '../config.js';
import { MysqlBackend } from './sql/mysql-backend.js';
import type { SqlBackend } from './sql/sql-backend.js';
import { SqliteBackend } from './sql/sqlite-backend.js';

/** The SQL backend the configuration names: MySQL when its URL is set, else the embedded file. */
export function openBackend(store: Config['store']): SqlBackend {
  return store.kind === 'mysql'
    ? new MysqlBackend({ url: store.url, poolSize: store.poolSize, queryTimeoutMs: store.queryTimeoutMs })
    : new SqliteBackend(store.path);
}
