import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { SqlBackend, SqlRow, SqlValue } from './sql-backend.js';

const MAX_STATEMENTS = 64;

/** The embedded database: SQLite in one file, so a fresh machine needs no database server. */
export class SqliteBackend implements SqlBackend {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  /**
   * Prepared statements by SQL text, least recently used dropped beyond a bound: the serving
   * path makes a few dozen texts, but an unbounded map grew by one statement per text a caller
   * could vary (2 GB after 10,000 calls once). A dropped statement is finalized when collected.
   */
  private readonly statements = new LRUCache<string, Database.Statement>({ max: MAX_STATEMENTS });
  private readonly rawStatements = new LRUCache<string, Database.Statement>({ max: MAX_STATEMENTS });

  constructor(
    private readonly path: string,
    options: { readonly?: boolean } = {},
  ) {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Prepared statements held now (both caches). */
  get statementCount(): number {
    return this.statements.size + this.rawStatements.size;
  }

  async select<T extends SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async selectArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    let statement = this.rawStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, statement);
    }
    return statement.all(...params) as unknown[][];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<void> {
    if (params.length === 0 && !sql.trim().toUpperCase().startsWith('INSERT')) {
      this.db.exec(sql);
      return;
    }
    this.prepare(sql).run(...params);
  }

  /**
   * On a read-only connection of its own: better-sqlite3 refuses other statements on a connection
   * while one iterates, and a job writes while it reads. WAL lets both run.
   */
  async *streamArrays(
    sql: string,
    params: readonly SqlValue[],
    chunkRows: number,
  ): AsyncIterable<unknown[][]> {
    if (this.path === ':memory:') throw new Error('streaming reads need a database file');
    const reader = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      let chunk: unknown[][] = [];
      for (const row of reader
        .prepare(sql)
        .raw(true)
        .iterate(...params)) {
        chunk.push(row as unknown[]);
        if (chunk.length >= chunkRows) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    } finally {
      reader.close();
    }
  }

  async insertRows(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
    if (rows.length === 0) return;
    const insert = this.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    this.db.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.rawStatements.clear();
    this.db.close();
  }
}
