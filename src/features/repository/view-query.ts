import { literal, quoted } from './duckdb.js';
import { fileFormat, type LoadedRepository } from './repository-file.js';
import type { SourceSpec } from './repository-schema.js';
import type { ViewDefinition } from './view-tables.js';
import { featureColumn } from './view-tables.js';

/**
 * The SQL that reads a view from its source, written for the engine that holds the source:
 * DuckDB for CSV and Parquet files, the feature store's own database (SQLite, MariaDB/MySQL or PostgreSQL)
 * for a table or a query. Every engine answers the same columns: customer_id (text), event_ts
 * ('YYYY-MM-DD HH:MM:SS' or NULL), then one DOUBLE per feature (its default for a NULL).
 */
export type Engine = 'duckdb' | 'sqlite' | 'mysql' | 'postgres';

export interface SourceRelation {
  engine: Engine;
  /** What follows FROM. */
  from: string;
}

export function sourceRelation(
  loaded: LoadedRepository,
  sourceName: string,
  storeDialect: 'sqlite' | 'mysql' | 'postgres',
): SourceRelation {
  if (!Object.hasOwn(loaded.repository.sources, sourceName)) throw new Error(`no source named ${sourceName}`);
  const source: SourceSpec = loaded.repository.sources[sourceName]!;
  return relationOf(source, loaded.files.get(sourceName), storeDialect);
}

/** A source's relation; `path` is a file source's absolute path. */
export function relationOf(
  source: SourceSpec,
  path: string | undefined,
  storeDialect: 'sqlite' | 'mysql' | 'postgres',
): SourceRelation {
  if ('file' in source) {
    const file = literal(path ?? source.file);
    const parquet = fileFormat(source) === 'parquet';
    const read = parquet ? `read_parquet(${file})` : `read_csv(${file}, header = true, auto_detect = true)`;
    if (source.rowNumber === undefined) return { engine: 'duckdb', from: read };
    const rowNumber = quote('duckdb', source.rowNumber);
    // Parquet numbers its rows itself; DuckDB's window over a CSV read follows the file's order
    // (checked on a 3,000,000-row file on two threads, and on the data sets in the tests).
    return {
      engine: 'duckdb',
      from: parquet
        ? `(SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS ${rowNumber} FROM read_parquet(${file}, file_row_number = true)) numbered`
        : `(SELECT row_number() OVER () AS ${rowNumber}, * FROM ${read}) numbered`,
    };
  }
  if ('table' in source) return { engine: storeDialect, from: quote(storeDialect, source.table) };
  return { engine: storeDialect, from: `(${source.query}) source_rows` };
}

export function quote(engine: Engine, name: string): string {
  return engine === 'mysql' ? `\`${name}\`` : quoted(name);
}

/**
 * A source column's value as text, as a DOUBLE, and a timestamp as 'YYYY-MM-DD HH:MM:SS'. In a
 * file, an id written as a float (13085.0, as Parquet exports of spreadsheets have them) is the
 * integer's text, the id the same customer has everywhere else.
 */
export function asText(engine: Engine, expr: string): string {
  if (engine === 'duckdb') return `regexp_replace(CAST(${expr} AS VARCHAR), '\\.0$', '')`;
  return `CAST(${expr} AS ${engine === 'mysql' ? 'CHAR' : 'TEXT'})`;
}

export function asDouble(engine: Engine, expr: string): string {
  return `CAST(${expr} AS ${engine === 'sqlite' ? 'REAL' : engine === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE'})`;
}

export function asTimestamp(engine: Engine, expr: string): string {
  if (engine === 'duckdb') return `strftime(CAST(${expr} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S')`;
  if (engine === 'sqlite') return `datetime(${expr})`;
  if (engine === 'postgres') return `to_char(CAST(${expr} AS TIMESTAMP), 'YYYY-MM-DD HH24:MI:SS')`;
  return `DATE_FORMAT(CAST(${expr} AS DATETIME), '%Y-%m-%d %H:%i:%s')`;
}

/** A feature's value: its source column as a DOUBLE, its default for a NULL. */
function featureValue(engine: Engine, f: ViewDefinition['features'][number]): string {
  const source = f.expr === undefined ? quote(engine, f.column) : `(${f.expr})`;
  // PostgreSQL casts a boolean to an integer, never straight to a double.
  const value = asDouble(
    engine,
    engine === 'postgres' && f.type === 'bool' ? `CAST(${source} AS INTEGER)` : source,
  );
  return f.default === undefined ? value : `COALESCE(${value}, ${f.default})`;
}

/**
 * A view's source columns in one engine: the id, each feature's value with its column name
 * (`f_x`), and the rows' filter.
 */
function sourceColumns(e: Engine, view: ViewDefinition, ts: string) {
  const where = [`${quote(e, view.entityColumn)} IS NOT NULL`];
  if (view.timestampColumn) where.push(`${ts} IS NOT NULL`);
  const values = view.features.map((f) => ({ name: featureColumn(f.name), value: featureValue(e, f) }));
  return {
    id: asText(e, quote(e, view.entityColumn)),
    features: values.map((v) => `${v.value} AS ${v.name}`),
    values,
    where,
  };
}

/**
 * The times a materialization as of `asOf` reads: at or before it and, with a ttl, after asOf -
 * ttl; conditions on `ts` with their parameters (`param` is how the engine reads one as a time).
 */
function timeWindow(view: ViewDefinition, ts: string, asOf: string, param: string) {
  if (!view.timestampColumn) return { where: [], params: [] };
  const where = [`${ts} <= ${param}`];
  const params = [asOf];
  if (view.ttlDays !== undefined) {
    where.push(`${ts} > ${param}`);
    params.push(daysBefore(asOf, view.ttlDays));
  }
  return { where, params };
}

/**
 * Each customer's latest row with event time at or before `asOf` (and after asOf - ttl), in
 * customer id order; for a view without a timestamp column, each customer's one row.
 */
export function latestRowsSql(
  relation: SourceRelation,
  view: ViewDefinition,
  asOf: string,
): { sql: string; params: string[] } {
  const e = relation.engine;
  if (e === 'duckdb') return latestRowsDuckDb(relation, view, asOf);
  const ts = view.timestampColumn ? asTimestamp(e, quote(e, view.timestampColumn)) : 'NULL';
  const { id, features, values, where } = sourceColumns(e, view, ts);
  const window = timeWindow(view, ts, asOf, '?');
  const names = ['customer_id', 'event_ts', ...values.map((v) => v.name)];
  const order = view.timestampColumn ? `${ts} DESC` : id;
  const sql = `SELECT ${names.join(', ')} FROM (
  SELECT ${id} AS customer_id, ${ts} AS event_ts, ${features.join(', ')},
    ROW_NUMBER() OVER (PARTITION BY ${id} ORDER BY ${order}) AS row_rank
  FROM ${relation.from}
  WHERE ${[...where, ...window.where].join(' AND ')}
) latest WHERE row_rank = 1 ORDER BY customer_id`;
  return { sql, params: window.params };
}

/**
 * latestRowsSql in DuckDB: an aggregate, which spills to disk past the memory limit (a window
 * over 10 M rows did not), of each customer's row of the greatest time as one struct (so NULLs
 * stay NULL), times compared as TIMESTAMPs and written out as text only at the end. Run it on one
 * thread: with two, 10 M rows ran out of a 512 MB (and a 768 MB) limit; with one it peaked at
 * 543 MB RSS in 8 s.
 */
function latestRowsDuckDb(
  relation: SourceRelation,
  view: ViewDefinition,
  asOf: string,
): { sql: string; params: string[] } {
  const ts = view.timestampColumn ? `CAST(${quote('duckdb', view.timestampColumn)} AS TIMESTAMP)` : 'NULL';
  const { id, values, where } = sourceColumns('duckdb', view, ts);
  const window = timeWindow(view, ts, asOf, 'CAST(? AS TIMESTAMP)');
  const fields = [`event_ts := ${ts}`, ...values.map((v) => `${v.name} := ${v.value}`)].join(', ');
  const pick = view.timestampColumn
    ? `arg_max(struct_pack(${fields}), ${ts})`
    : `any_value(struct_pack(${fields}))`;
  const picked = values.map((v) => `struct_extract(latest, '${v.name}')`);
  const sql = `SELECT customer_id, strftime(struct_extract(latest, 'event_ts'), '%Y-%m-%d %H:%M:%S'), ${picked.join(', ')} FROM (
  SELECT ${id} AS customer_id, ${pick} AS latest
  FROM ${relation.from}
  WHERE ${[...where, ...window.where].join(' AND ')}
  GROUP BY ${id}
) picked ORDER BY customer_id`;
  return { sql, params: window.params };
}

/**
 * Every row of a view's source (not only each customer's latest), in the same columns: what a
 * point-in-time join picks from.
 */
export function allRowsSql(relation: SourceRelation, view: ViewDefinition): string {
  const e = relation.engine;
  const ts = view.timestampColumn ? asTimestamp(e, quote(e, view.timestampColumn)) : 'NULL';
  const { id, features, where } = sourceColumns(e, view, ts);
  return `SELECT ${id} AS customer_id, ${ts} AS event_ts, ${features.join(', ')} FROM ${relation.from} WHERE ${where.join(' AND ')}`;
}

/** One customer id that a view without a timestamp column holds twice, if any. */
export function duplicateEntitySql(relation: SourceRelation, view: ViewDefinition): string {
  const e = relation.engine;
  const id = asText(e, quote(e, view.entityColumn));
  return `SELECT ${id} FROM ${relation.from} GROUP BY ${id} HAVING COUNT(*) > 1 LIMIT 1`;
}

/** 'YYYY-MM-DD HH:MM:SS' `days` days before another. */
export function daysBefore(at: string, days: number): string {
  const t = Date.parse(`${at.replace(' ', 'T')}Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}
