import { columnSql, createTableSql, type TableSpec } from '../features/sql/schema.js';
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
    { name: 'features_as_of', type: 'date', nullable: true },
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

  /** Creates the table when missing; a table of an earlier version gets the columns added since. */
  private ensureTable(): Promise<void> {
    const table = PREDICTION_LOG_TABLE.name;
    this.ready ??= this.backend.select(`SELECT 1 FROM ${table} LIMIT 1`).then(
      async () => {
        const added = await this.backend.select(`SELECT features_as_of FROM ${table} LIMIT 1`).then(
          () => true,
          () => false,
        );
        if (!added)
          await this.backend.execute(
            `ALTER TABLE ${table} ADD COLUMN ${columnSql(PREDICTION_LOG_TABLE, 'features_as_of', this.backend.dialect)}`,
          );
      },
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
        r.featuresAsOf,
        JSON.stringify(featuresObject(r)),
        JSON.stringify(Array.from(r.output)),
      ]),
    );
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
