import { MysqlBackend } from '../features/sql/mysql-backend.js';
import { PostgresBackend } from '../features/sql/postgres-backend.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { JsonLinesSink } from './json-lines-sink.js';
import type { PredictionSink } from './prediction-log.js';
import { TableSink } from './table-sink.js';

/** Which sink the writer thread opens: plain data, so that it crosses to the thread. */
export type SinkSpec =
  | { kind: 'jsonl'; dir: string; rotateBytes: number; keepFiles: number }
  | {
      kind: 'table';
      database:
        | { kind: 'mysql' | 'postgres'; url: string; queryTimeoutMs: number }
        | { kind: 'sqlite'; path: string };
    };

export function openSink(spec: SinkSpec): PredictionSink {
  if (spec.kind === 'jsonl') return new JsonLinesSink(spec);
  const db = spec.database;
  if (db.kind === 'sqlite') return new TableSink(new SqliteBackend(db.path));
  const options = { url: db.url, poolSize: 1, queryTimeoutMs: db.queryTimeoutMs };
  return new TableSink(db.kind === 'mysql' ? new MysqlBackend(options) : new PostgresBackend(options));
}
