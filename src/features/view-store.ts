import { NO_QUERY_OBSERVER, type QueryObserver } from '../telemetry/observers.js';
import { IN_LIST_SIZES, MAX_IDS_PER_QUERY, placeholders, timedRead } from './online-store.js';
import { featureColumn, type RegisteredView, readRegistry, viewTable } from './repository/view-tables.js';
import type { SqlBackend, SqlValue } from './sql/sql-backend.js';

/** One customer's row of a feature view's online table, compact: its values in one typed array. */
export interface ViewRow {
  customerId: string;
  /** When the values became true ('YYYY-MM-DD HH:MM:SS'); undefined for a view without timestamps. */
  eventTs: string | undefined;
  /** In the order of the view's registered features (NaN for a missing value). */
  values: Float64Array;
}

/**
 * The serving side's reads of the feature views: the registry, and batched point reads and
 * id-order scans of one view's table. The SQL texts are bounded like the online table's: one
 * per view and padded IN-list size, the limit a parameter.
 */
export class ViewStore {
  constructor(
    readonly backend: SqlBackend,
    private readonly observer: QueryObserver = NO_QUERY_OBSERVER,
  ) {}

  registry(): Promise<Map<string, RegisteredView>> {
    return this.timed(() => readRegistry(this.backend));
  }

  /** Rows of the given ids (at most MAX_IDS_PER_QUERY) of one view; unknown ids are absent. */
  async getRows(view: RegisteredView, ids: readonly string[]): Promise<Map<string, ViewRow>> {
    if (ids.length === 0) return new Map();
    if (ids.length > MAX_IDS_PER_QUERY) throw new RangeError(`at most ${MAX_IDS_PER_QUERY} ids per query`);
    const size = IN_LIST_SIZES.find((s) => s >= ids.length)!;
    const params: string[] = [...ids];
    while (params.length < size) params.push(ids[ids.length - 1]!);
    const rows = await this.timed(() =>
      this.backend.selectArrays(
        `SELECT ${columns(view)} FROM ${viewTable(view.name)} WHERE customer_id IN (${placeholders(size)})`,
        params,
      ),
    );
    return new Map(rows.map((r) => [String(r[0]), decode(r)]));
  }

  /** Rows after a customer id, in id order. */
  async scan(view: RegisteredView, afterId: string, limit: number): Promise<ViewRow[]> {
    const params: SqlValue[] = [afterId, BigInt(Math.trunc(limit))];
    const rows = await this.timed(() =>
      this.backend.selectArrays(
        `SELECT ${columns(view)} FROM ${viewTable(view.name)} WHERE customer_id > ? ORDER BY customer_id LIMIT ?`,
        params,
      ),
    );
    return rows.map(decode);
  }

  private timed<T>(read: () => Promise<T>): Promise<T> {
    return timedRead(this.observer, read);
  }
}

const columns = (view: RegisteredView): string =>
  ['customer_id', 'event_ts', ...view.tableFeatures.map(featureColumn)].join(', ');

function decode(row: unknown[]): ViewRow {
  const values = new Float64Array(row.length - 2);
  for (let i = 2; i < row.length; i++) values[i - 2] = row[i] == null ? Number.NaN : Number(row[i]);
  return { customerId: String(row[0]), eventTs: row[1] == null ? undefined : String(row[1]), values };
}
