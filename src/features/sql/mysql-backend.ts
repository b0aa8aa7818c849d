import type { Connection as CoreConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { SqlBackend, SqlRow, SqlValue } from './sql-backend.js';

export interface MysqlOptions {
  url: string;
  poolSize: number;
  queryTimeoutMs: number;
}

/** Rows per multi-row INSERT: large enough to amortise round trips, far below max_allowed_packet. */
const INSERT_CHUNK = 2_000;
const MAX_STATEMENTS_PER_CONNECTION = 64;

/** MySQL or MariaDB through a mysql2 pool with prepared statements. */
export class MysqlBackend implements SqlBackend {
  readonly dialect = 'mysql' as const;
  private readonly pool: mysql.Pool;
  private readonly timeout: number;
  private readonly url: string;

  constructor(options: MysqlOptions) {
    this.timeout = options.queryTimeoutMs;
    this.url = options.url;
    this.pool = mysql.createPool({
      uri: options.url,
      connectionLimit: options.poolSize,
      connectTimeout: Math.max(options.queryTimeoutMs, 1_000),
      // Dates stay the strings they are in the table, as in SQLite: no time-zone shifts.
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      enableKeepAlive: true,
      multipleStatements: false,
      // mysql2 keeps 16,000 prepared statements per connection by default, as many as MariaDB
      // allows for the whole server; the serving path uses a few dozen texts. Evicted ones are
      // closed on the server.
      maxPreparedStatements: MAX_STATEMENTS_PER_CONNECTION,
    });
  }

  /**
   * A prepared read bounded by the query timeout, connection and PREPARE included: mysql2's own
   * `timeout` covers neither. A connection whose query timed out is destroyed, not returned to
   * the pool, so a hung server cannot leave the pool full of stuck connections.
   */
  async select<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.read(sql, params, false)) as T[];
  }

  async selectArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    return (await this.read(sql, params, true)) as unknown[][];
  }

  /**
   * A prepared read bounded by the query timeout, connection and PREPARE included: mysql2's own
   * `timeout` covers neither. A connection whose query timed out is destroyed, not returned to
   * the pool, so a hung server cannot leave the pool full of stuck connections.
   */
  private async read(sql: string, params: readonly SqlValue[], rowsAsArray: boolean): Promise<unknown[]> {
    const started = Date.now();
    const connection = await withTimeout(this.pool.getConnection(), this.timeout, (late) => late.release());
    const remaining = Math.max(1, this.timeout - (Date.now() - started));
    let timedOut = false;
    try {
      const [rows] = await withTimeout(
        connection.execute({ sql, rowsAsArray }, params as SqlValue[]),
        remaining,
        () => {},
        () => {
          timedOut = true;
        },
      );
      return rows as unknown[];
    } finally {
      if (timedOut) connection.destroy();
      else connection.release();
    }
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    if (params.length === 0) {
      await this.pool.query(sql);
      return;
    }
    await this.pool.execute({ sql, timeout: this.timeout }, params as SqlValue[]);
  }

  /**
   * A cursor over a connection of its own, outside the pool (a job writes through the pool while
   * it reads: with a pool of one the two would wait for each other): mysql2 streams the rows and
   * pauses the socket while a chunk is handled. A consumer that stops early destroys the connection (the rest of the result
   * is not read).
   */
  async *streamArrays(
    sql: string,
    params: readonly SqlValue[],
    chunkRows: number,
  ): AsyncIterable<unknown[][]> {
    const connection = await mysql.createConnection({
      uri: this.url,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      multipleStatements: false,
    });
    let complete = false;
    try {
      // A promise connection holds the callback one, which streams, as `connection` (untyped).
      const core = (connection as unknown as { connection: CoreConnection }).connection;
      const rows = core
        .query({ sql, values: params as SqlValue[], rowsAsArray: true })
        .stream({ highWaterMark: chunkRows });
      let chunk: unknown[][] = [];
      for await (const row of rows) {
        chunk.push(row as unknown[]);
        if (chunk.length >= chunkRows) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
      complete = true;
    } finally {
      if (complete) await connection.end();
      else connection.destroy();
    }
  }

  async insertRows(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      await this.pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [chunk]);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class QueryTimeoutError extends Error {
  constructor(ms: number) {
    super(`query timed out after ${ms} ms`);
    this.name = 'QueryTimeoutError';
  }
}

/**
 * Settles as `work` does, or rejects with QueryTimeoutError after ms. `onLate` receives a result
 * that arrives after the timeout (to release it); `onTimeout` runs when the timer wins.
 */
function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onLate: (value: T) => void,
  onTimeout = () => {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      onTimeout();
      reject(new QueryTimeoutError(ms));
    }, ms);
    work.then(
      (value) => {
        if (done) return onLate(value);
        clearTimeout(timer);
        done = true;
        resolve(value);
      },
      (err: unknown) => {
        if (done) return;
        clearTimeout(timer);
        done = true;
        reject(err);
      },
    );
  });
}
