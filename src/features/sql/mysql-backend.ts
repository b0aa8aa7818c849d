import mysql from 'mysql2/promise';
import type { SqlBackend, SqlRow, SqlValue } from './sql-backend.js';

export interface MysqlOptions {
  url: string;
  poolSize: number;
  queryTimeoutMs: number;
}

/** Rows per multi-row INSERT: large enough to amortise round trips, far below max_allowed_packet. */
const INSERT_CHUNK = 2_000;

/** MySQL or MariaDB through a mysql2 pool with prepared statements. */
export class MysqlBackend implements SqlBackend {
  readonly dialect = 'mysql' as const;
  private readonly pool: mysql.Pool;
  private readonly timeout: number;

  constructor(options: MysqlOptions) {
    this.timeout = options.queryTimeoutMs;
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
    });
  }

  async select<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const [rows] = await this.pool.execute({ sql, timeout: this.timeout }, params as SqlValue[]);
    return rows as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    if (params.length === 0) {
      await this.pool.query(sql);
      return;
    }
    await this.pool.execute({ sql, timeout: this.timeout }, params as SqlValue[]);
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
