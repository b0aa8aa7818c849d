import type { SqlBackend } from '../features/sql/sql-backend.js';
import { readLogRecords } from '../prediction-log/log-files.js';
import { PREDICTION_LOG_TABLE } from '../prediction-log/table-sink.js';

/** One customer row a server answered, as its prediction log recorded it. */
export interface ServedRow {
  /** YYYY-MM-DD: the day the served features describe. */
  asOf: string;
  /** By input name, as served (float32 values). */
  features: Record<string, number>;
}

/**
 * The customer rows of a model in a JSON lines prediction log, oldest file first: per customer,
 * one row per as-of day (the last served wins: the same day's features are the same features).
 * Raw rows (no customer) and records of a log older than features_as_of are skipped; a line
 * that is not JSON fails with its file and line.
 */
export async function readServedRowsFromFiles(
  dir: string,
  model: string,
  cutoff: string,
): Promise<Map<string, ServedRow[]>> {
  const rows = new ServedRows();
  for await (const record of readLogRecords(dir)) {
    const { customer_id: id, features_as_of: asOf, features } = record;
    if (record.model !== model || typeof id !== 'string' || typeof asOf !== 'string') continue;
    if (asOf > cutoff || typeof features !== 'object' || features === null) continue;
    rows.add(id, asOf, features as Record<string, number>);
  }
  return rows.byCustomer();
}

/**
 * The same from the prediction_log table of a database (the training store's), oldest first.
 * Rows written before the table had features_as_of (null there) are skipped.
 */
export async function readServedRowsFromTable(
  backend: SqlBackend,
  model: string,
  cutoff: string,
): Promise<Map<string, ServedRow[]>> {
  const rows = new ServedRows();
  const found = await backend.selectArrays(
    `SELECT customer_id, features_as_of, features FROM ${PREDICTION_LOG_TABLE.name}
     WHERE model = ? AND customer_id IS NOT NULL AND features_as_of IS NOT NULL AND features_as_of <= ?
     ORDER BY logged_at`,
    [model, cutoff],
  );
  for (const [id, asOf, features] of found)
    rows.add(String(id), String(asOf).slice(0, 10), JSON.parse(String(features)) as Record<string, number>);
  return rows.byCustomer();
}

/** Served rows by customer and as-of day; a later row of the same day replaces the earlier. */
class ServedRows {
  private readonly days = new Map<string, Map<string, ServedRow>>();

  add(customerId: string, asOf: string, features: Record<string, number>): void {
    let days = this.days.get(customerId);
    if (!days) {
      days = new Map();
      this.days.set(customerId, days);
    }
    days.set(asOf, { asOf, features });
  }

  byCustomer(): Map<string, ServedRow[]> {
    return new Map([...this.days].map(([id, days]) => [id, [...days.values()]]));
  }
}
