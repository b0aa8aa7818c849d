import type { Config } from '../config.ts';
import { MysqlBackend } from './sql/mysql-backend.ts';
import type { SqlBackend } from './sql/sql-backend.ts';
import { SqliteBackend } from './sql/sqlite-backend.ts';

/** The SQL backend the configuration names: MySQL when its URL is set, else the embedded file. */
export function openBackend(store: Config['store']): SqlBackend {
  return store.kind === 'mysql'
    ? new MysqlBackend({ url: store.url, poolSize: store.poolSize, queryTimeoutMs: store.queryTimeoutMs })
    : new SqliteBackend(store.path);
}
