import pg from 'pg';
import type { SqlBackend, SqlRow, SqlValue } from './sql-backend.js';

export interface PostgresOptions {
  url: string;
  poolSize: number;
  queryTimeoutMs: number;
}

// Values as the other backends give them: dates and times the strings the table holds (no time
// zone shifts), 64-bit integers and sums as numbers.
const DATE = 1082;
const TIMESTAMP = 1114;
const INT8 = 20;
const NUMERIC = 1700;
pg.types.setTypeParser(DATE, (v) => v);
pg.types.setTypeParser(TIMESTAMP, (v) => v);
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

/** Parameters per multi-row INSERT: PostgreSQL allows 65,535 per statement. */
const MAX_INSERT_PARAMS = 60_000;

/**
 * The statements' `?` placeholders as PostgreSQL's $1, $2, ... (the SQL of this project carries
 * no `?` inside literals). Cached: the texts are few.
 */
const numbered = new Map<string, string>();
function toNumbered(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 4_096) numbered.set(sql, text);
  }
  return text;
}

type Queryable = pg.Pool | pg.PoolClient;

/**
 * PostgreSQL through a pg pool. Statements are unnamed (parsed each time): the server keeps no
 * prepared statement per text, so however many shapes callers send, nothing accumulates (the
 * bound MariaDB needs `maxPreparedStatements` for). Every statement runs under
 * `statement_timeout`. `BEGIN` pins one connection for the statements up to `COMMIT` or
 * `ROLLBACK` (the offline jobs' table switches; the serving path never opens a transaction).
 */
export class PostgresBackend implements SqlBackend {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private tx: pg.PoolClient | undefined;

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: Math.max(options.queryTimeoutMs, 1_000),
      statement_timeout: options.queryTimeoutMs,
      query_timeout: options.queryTimeoutMs + 1_000,
    });
    // An idle connection that breaks is dropped by the pool; its error must not crash the process.
    this.pool.on('error', () => {});
  }

  private get target(): Queryable {
    return this.tx ?? this.pool;
  }

  async select<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const result = await this.target.query({ text: toNumbered(sql), values: params as unknown[] });
    return result.rows as T[];
  }

  async selectArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    const result = await this.target.query({
      text: toNumbered(sql),
      values: params as unknown[],
      rowMode: 'array',
    });
    return result.rows as unknown[][];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    const verb = sql.trim().split(/\s+/)[0]!.toUpperCase();
    if (verb === 'BEGIN') {
      if (this.tx) throw new Error('a transaction is already open on this backend');
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
      } catch (err) {
        client.release(err as Error);
        throw err;
      }
      this.tx = client;
      return;
    }
    if ((verb === 'COMMIT' || verb === 'ROLLBACK') && this.tx) {
      const client = this.tx;
      this.tx = undefined;
      try {
        await client.query(verb);
      } finally {
        client.release();
      }
      return;
    }
    await this.target.query({ text: toNumbered(sql), values: params as unknown[] });
  }

  /**
   * A cursor on a connection of its own (a job writes through the pool while it reads): `FETCH`
   * `chunkRows` at a time, so memory holds one chunk whatever the result's size.
   */
  async *streamArrays(
    sql: string,
    params: readonly SqlValue[],
    chunkRows: number,
  ): AsyncIterable<unknown[][]> {
    const client = new pg.Client({ connectionString: this.options.url });
    await client.connect();
    let complete = false;
    try {
      await client.query('BEGIN');
      await client.query({
        text: `DECLARE job_cursor NO SCROLL CURSOR FOR ${toNumbered(sql)}`,
        values: params as unknown[],
      });
      const fetch = `FETCH FORWARD ${Math.max(1, Math.trunc(chunkRows))} FROM job_cursor`;
      for (;;) {
        const result = await client.query({ text: fetch, rowMode: 'array' });
        if (result.rows.length === 0) break;
        yield result.rows as unknown[][];
      }
      await client.query('COMMIT');
      complete = true;
    } finally {
      if (!complete) await client.query('ROLLBACK').catch(() => {});
      await client.end();
    }
  }

  async insertRows(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
    const perStatement = Math.max(1, Math.floor(MAX_INSERT_PARAMS / columns.length));
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      let n = 0;
      const tuples = chunk.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ');
      await this.target.query({
        text: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples}`,
        values: chunk.flat() as unknown[],
      });
    }
  }

  async close(): Promise<void> {
    if (this.tx) {
      this.tx.release();
      this.tx = undefined;
    }
    await this.pool.end();
  }
}
