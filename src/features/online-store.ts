import { Errors } from '../errors.js';
import type { RfmThresholds } from '../rfm/quintiles.js';
import { isSegmentName, RFM_SEGMENTS } from '../rfm/segments.js';
import { NO_QUERY_OBSERVER, type QueryObserver } from '../telemetry/observers.js';
import { inSpan } from '../telemetry/tracer.js';
import { FEATURE_NAMES, type FeatureRow, type FeatureSetInfo } from './feature-set.js';
import { ONLINE_COLUMNS, ONLINE_TABLE } from './sql/schema.js';
import { type SqlBackend, type SqlRow, type SqlValue, tableExists } from './sql/sql-backend.js';

/**
 * Ids per query, padded up to the next size here by repeating the last id: each distinct
 * IN-list length is a prepared statement of its own, so padding bounds them to a dozen.
 */
export const IN_LIST_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000] as const;
export const MAX_IDS_PER_QUERY = 1000;

/** The online table's columns in the order rows are read and decoded (decodeRow). */
export const ROW_COLUMNS = ONLINE_COLUMNS.join(', ');

/** Most distinct values of a scan filter: every segment, and more tiers than any store has. */
export const MAX_SEGMENT_FILTER = RFM_SEGMENTS.length;
export const MAX_TIER_FILTER = 16;

export interface CustomerFilter {
  segments?: readonly string[];
  tiers?: readonly string[];
}

export interface StoreStats {
  /** Reads of customer rows, each one SQL query. */
  rowQueries: number;
}

/** The serving side's read path into the online table: batched point reads and scans. */
export class OnlineFeatureStore {
  readonly stats: StoreStats = { rowQueries: 0 };

  constructor(
    readonly backend: SqlBackend,
    private readonly observer: QueryObserver = NO_QUERY_OBSERVER,
  ) {}

  /** Rows of the given ids (at most MAX_IDS_PER_QUERY) in one query; unknown ids are absent. */
  async getRows(ids: readonly string[]): Promise<Map<string, FeatureRow>> {
    if (ids.length === 0) return new Map();
    if (ids.length > MAX_IDS_PER_QUERY) throw new RangeError(`at most ${MAX_IDS_PER_QUERY} ids per query`);
    const size = IN_LIST_SIZES.find((s) => s >= ids.length)!;
    const params: string[] = [...ids];
    while (params.length < size) params.push(ids[ids.length - 1]!);
    const attributes = {
      'db.system': this.backend.dialect,
      'db.operation': 'SELECT',
      'loyalty.ids': ids.length,
    };
    const rows = await inSpan('db.query', attributes, async (span) => {
      const found = await this.runArrays(
        `SELECT ${ROW_COLUMNS} FROM ${ONLINE_TABLE} WHERE customer_id IN (${placeholders(size)})`,
        params,
      );
      span.setAttribute('loyalty.rows', found.length);
      return found;
    });
    this.stats.rowQueries++;
    const found = new Map<string, FeatureRow>();
    for (const row of rows) {
      const decoded = decodeRow(row);
      found.set(decoded.customerId, decoded);
    }
    return found;
  }

  /**
   * Rows after a customer id, in id order, for streaming the base. The SQL text has one of four
   * shapes whatever the caller sends: the limit is a parameter and each IN list is padded to its
   * fixed length, because every distinct text is a prepared statement the database keeps open
   * (one client once took MariaDB to its global statement limit with distinct chunk sizes).
   */
  async scan(afterId: string, limit: number, filter: CustomerFilter = {}): Promise<FeatureRow[]> {
    const where = ['customer_id > ?'];
    const params: SqlValue[] = [afterId];
    const segments = uniquePadded(filter.segments, MAX_SEGMENT_FILTER, 'segments');
    if (segments) {
      where.push(`segment IN (${placeholders(segments.length)})`);
      params.push(...segments);
    }
    const tiers = uniquePadded(filter.tiers, MAX_TIER_FILTER, 'tiers');
    if (tiers) {
      where.push(`tier IN (${placeholders(tiers.length)})`);
      params.push(...tiers);
    }
    // A bigint binds as an integer in SQLite and as a string in mysql2, which MySQL 8 accepts
    // for LIMIT (a JavaScript number goes as a DOUBLE, which it refuses).
    params.push(BigInt(Math.trunc(limit)));
    const rows = await this.runArrays(
      `SELECT ${ROW_COLUMNS} FROM ${ONLINE_TABLE} WHERE ${where.join(' AND ')} ORDER BY customer_id LIMIT ?`,
      params,
    );
    return rows.map(decodeRow);
  }

  /** What the last materialization produced, or undefined before the first one. */
  async getFeatureSetInfo(): Promise<FeatureSetInfo | undefined> {
    // A store holding only feature views has never had the built-in tables.
    if (!(await this.timed(() => tableExists(this.backend, 'feature_set')))) return undefined;
    const rows = await this.run(
      "SELECT as_of, currency, feature_names, customer_count, materialized_at FROM feature_set WHERE name = 'default'",
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      asOf: String(row.as_of),
      currency: String(row.currency),
      featureNames: JSON.parse(String(row.feature_names)) as string[],
      customerCount: Number(row.customer_count),
      materializedAt: String(row.materialized_at),
    };
  }

  async getRfmThresholds(): Promise<RfmThresholds | undefined> {
    if (!(await this.timed(() => tableExists(this.backend, 'rfm_thresholds')))) return undefined;
    const rows = await this.run('SELECT metric, as_of, q1, q2, q3, q4 FROM rfm_thresholds');
    const byMetric = new Map(rows.map((r) => [String(r.metric), r]));
    const cuts = (metric: string) => {
      const r = byMetric.get(metric);
      if (!r) return undefined;
      return {
        cuts: [Number(r.q1), Number(r.q2), Number(r.q3), Number(r.q4)] as [number, number, number, number],
      };
    };
    const recency = cuts('recency');
    const frequency = cuts('frequency');
    const monetary = cuts('monetary');
    if (!recency || !frequency || !monetary) return undefined;
    return { asOf: String(byMetric.get('recency')!.as_of), recency, frequency, monetary };
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  private run(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.timed(() => this.backend.select(sql, params));
  }

  private runArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    return this.timed(() => this.backend.selectArrays(sql, params));
  }

  private timed<T>(read: () => Promise<T>): Promise<T> {
    return timedRead(this.observer, read);
  }
}

/** Times a read of the store for the metrics, and turns any failure into UNAVAILABLE. */
export async function timedRead<T>(observer: QueryObserver, read: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const rows = await read();
    observer.onQuery((performance.now() - started) / 1000, true);
    return rows;
  } catch (err) {
    observer.onQuery((performance.now() - started) / 1000, false);
    throw Errors.storeUnavailable(err);
  }
}

export function placeholders(count: number): string {
  return new Array(count).fill('?').join(',');
}

/**
 * The distinct values of a filter, padded to `length` by repeating one (which matches nothing
 * more), or undefined for no filter. Callers validate the count; more here is a bug.
 */
function uniquePadded(
  values: readonly string[] | undefined,
  length: number,
  what: string,
): string[] | undefined {
  if (!values?.length) return undefined;
  const unique = [...new Set(values)];
  if (unique.length > length) throw new RangeError(`at most ${length} distinct ${what} per scan`);
  while (unique.length < length) unique.push(unique[0]!);
  return unique;
}

/** Positions of the online table's columns in a row read as an array. */
const COLUMN = Object.fromEntries(ONLINE_COLUMNS.map((name, i) => [name, i])) as Record<string, number>;
const FEATURE_COLUMNS = FEATURE_NAMES.map((name) => COLUMN[name]!);

/** A row of the online table read as an array of ROW_COLUMNS (from SQL, or from Redis's copy). */
export function decodeRow(row: unknown[]): FeatureRow {
  // Allocated at its length (push would leave growth slack in every cached row).
  const features = new Array<number>(FEATURE_COLUMNS.length);
  for (let i = 0; i < FEATURE_COLUMNS.length; i++) features[i] = Number(row[FEATURE_COLUMNS[i]!]);
  const at = (name: string) => row[COLUMN[name]!];
  const segment = String(at('segment'));
  if (!isSegmentName(segment)) throw new Error(`online table holds unknown segment ${segment}`);
  return {
    customerId: String(at('customer_id')),
    asOf: intern(String(at('as_of'))),
    tier: intern(String(at('tier'))),
    features,
    rfm: {
      recencyDays: Number(at('rfm_recency_days')),
      frequency: Number(at('rfm_frequency')),
      monetaryCents: Number(at('rfm_monetary_cents')),
    },
    scores: {
      r: Number(at('r_score')),
      f: Number(at('f_score')),
      m: Number(at('m_score')),
      segment: intern(segment),
    },
    recentItems: splitItems(at('recent_items')),
  };
}

const NO_ITEMS: readonly string[] = Object.freeze([]);

function splitItems(value: unknown): readonly string[] {
  const text = value === null || value === undefined ? '' : String(value);
  return text === '' ? NO_ITEMS : text.split(',').map(intern);
}

/**
 * One string per distinct value of what rows repeat (days, tiers, segments, product codes):
 * a cache of many rows then holds references, not a copy per row (with the features a plain
 * array: 853 bytes a row before, 561 after; bench/cache-row-size.js). Bounded: past INTERNED values, strings are kept as read.
 */
const INTERNED = 65_536;
const interned = new Map<string, string>();
function intern<T extends string>(text: T): T {
  const known = interned.get(text) as T | undefined;
  if (known !== undefined) return known;
  if (interned.size < INTERNED) interned.set(text, text);
  return text;
}
