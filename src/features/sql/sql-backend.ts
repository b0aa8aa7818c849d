/**
 * The little the feature store needs from a SQL database. Both backends take the same SQL with
 * `?` placeholders; schema.ts writes the few statements whose types differ per dialect.
 */
export type Dialect = 'sqlite' | 'mysql' | 'postgres';

export type SqlValue = string | number | bigint | null;
export type SqlRow = Record<string, unknown>;

export interface SqlBackend {
  readonly dialect: Dialect;
  /** Runs a read through a prepared statement. */
  select<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * A read whose rows come back as arrays in the order of the selected columns: for wide,
   * many-row reads, where building an object per row costs more than the query (measured: a
   * 100,000-row scan of the online table took 3x longer as objects in SQLite).
   */
  selectArrays(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  /** Runs a statement that returns no rows (DDL, DELETE, single INSERT). */
  execute(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * A read of any size, `chunkRows` rows at a time as arrays, with memory bounded by the chunk: a
   * cursor on a connection of its own (jobs over the base, never the request path).
   */
  streamArrays(sql: string, params: readonly SqlValue[], chunkRows: number): AsyncIterable<unknown[][]>;
  /** Inserts many rows into a table as fast as the database allows. */
  insertRows(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void>;
  close(): Promise<void>;
}

/** Whether the database holds a table or a view of that name (as information_schema.tables lists both). */
export async function tableExists(backend: SqlBackend, table: string): Promise<boolean> {
  const rows =
    backend.dialect === 'sqlite'
      ? await backend.select("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", [
          table,
        ])
      : await backend.select(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = ${backend.dialect === 'mysql' ? 'DATABASE()' : 'current_schema()'} AND table_name = ?`,
          [table],
        );
  return rows.length > 0;
}
