import { createTableSql, type TableSpec } from '../features/sql/schema.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import type { PredictionRecord, PredictionSink } from './prediction-log.js';
import { featuresObject } from './record-json.js';

export const PREDICTION_LOG_TABLE: TableSpec = {
  name: 'prediction_log',
  columns: [
    { name: 'request_id', type: 'text' },
    { name: 'logged_at', type: 'datetime' },
    { name: 'caller', type: 'text', nullable: true },
    { name: 'model', type: 'text' },
    { name: 'model_version', type: 'text' },
    { name: 'customer_id', type: 'customer_id', nullable: true },
    { name: 'features', type: 'long_text' },
    { name: 'output', type: 'long_text' },
  ],
  indexes: [['model', 'logged_at'], ['customer_id']],
};

const COLUMNS = PREDICTION_LOG_TABLE.columns.map((c) => c.name);

/**
 * The table `prediction_log` in the feature store's database (MySQL/MariaDB or SQLite), created
 * when missing, on a connection of its own: a slow log never takes the feature reads' connections.
 * Features and output are JSON text.
 */
export class TableSink implements PredictionSink {
  private ready: Promise<void> | undefined;

  constructor(private readonly backend: SqlBackend) {}

  private ensureTable(): Promise<void> {
    this.ready ??= this.backend.select(`SELECT 1 FROM ${PREDICTION_LOG_TABLE.name} LIMIT 1`).then(
      () => undefined,
      async () => {
        for (const sql of createTableSql(PREDICTION_LOG_TABLE, this.backend.dialect))
          await this.backend.execute(sql);
      },
    );
    return this.ready;
  }

  async write(records: readonly PredictionRecord[]): Promise<void> {
    await this.ensureTable();
    await this.backend.insertRows(
      PREDICTION_LOG_TABLE.name,
      COLUMNS,
      records.map((r) => [
        r.requestId,
        new Date(r.time).toISOString().slice(0, 23).replace('T', ' '),
        r.caller,
        r.model,
        r.version,
        r.customerId,
        JSON.stringify(featuresObject(r)),
        JSON.stringify(Array.from(r.output)),
      ]),
    );
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
