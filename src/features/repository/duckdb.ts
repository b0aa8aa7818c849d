import { tmpdir } from 'node:os';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

/**
 * The embedded analytical engine of the offline jobs: reads CSV and Parquet files, joins labels to
 * features point in time, and spills to disk past its memory limit, so a job's memory does not
 * follow the size of the data. Rows come to Node a chunk (about 2,048 rows) at a time.
 */
export class DuckDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** An in-memory database; `memoryLimit` bounds DuckDB's own memory (it spills the rest). */
  static async open(options: { memoryLimit?: string; threads?: number } = {}): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '512MB',
      threads: String(options.threads ?? 2),
      temp_directory: tmpdir(),
      // Order is asked for where it matters (ORDER BY); without this large results buffer more.
      preserve_insertion_order: 'false',
      // Nothing is fetched from the network at run time.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    return new DuckDb(instance, await instance.connect());
  }

  async run(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.connection.run(sql, params);
  }

  /** The rows of a small result (counts, previews). */
  async rows(sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
    return (await this.connection.runAndReadAll(sql, params)).getRows();
  }

  /** A result of any size, one DuckDB chunk of rows at a time. */
  async *stream(sql: string, params: DuckDBValue[] = []): AsyncIterable<DuckDBValue[][]> {
    const result = await this.connection.stream(sql, params);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      yield chunk.getRows();
    }
  }

  /**
   * Copies rows into a new DuckDB table (columns VARCHAR, or DOUBLE where `numeric`), through the
   * appender: how a source of the feature store's database joins files here.
   */
  async copyIn(
    table: string,
    columns: readonly { name: string; numeric: boolean }[],
    chunks: AsyncIterable<unknown[][]>,
  ): Promise<number> {
    await this.run(
      `CREATE TABLE ${table} (${columns.map((c) => `${quoted(c.name)} ${c.numeric ? 'DOUBLE' : 'VARCHAR'}`).join(', ')})`,
    );
    const appender = await this.connection.createAppender(table);
    let rows = 0;
    try {
      for await (const chunk of chunks) {
        for (const row of chunk) {
          columns.forEach((c, i) => {
            const v = row[i];
            if (v === null || v === undefined) appender.appendNull();
            else if (c.numeric) appender.appendDouble(Number(v));
            else appender.appendVarchar(v instanceof Date ? v.toISOString() : String(v));
          });
          appender.endRow();
        }
        rows += chunk.length;
        appender.flushSync();
      }
    } finally {
      appender.closeSync();
    }
    return rows;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** An identifier in double quotes (the repository refuses names holding one). */
export const quoted = (name: string): string => `"${name}"`;

/** A string literal (file paths). */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
