import { CUSTOMER_ID_PATTERN } from '../feature-set.js';
import { createTableSql } from '../sql/schema.js';
import type { SqlBackend, SqlValue } from '../sql/sql-backend.js';
import { DuckDb } from './duckdb.js';
import type { LoadedRepository } from './repository-file.js';
import { duplicateEntitySql, latestRowsSql, sourceRelation } from './view-query.js';
import {
  definitionOf,
  featureColumn,
  readRegistry,
  sqlNow,
  switchTable,
  viewTable,
  viewTableSpec,
  writeRegistryRow,
} from './view-tables.js';

export interface ViewMaterialization {
  view: string;
  rows: number;
  /** Source rows whose customer id the server could never be asked for (empty, too long, odd characters). */
  skipped: number;
  valuesAsOf: string;
  seconds: number;
}

/** Rows written to the staging table per transaction or statement batch. */
const WRITE_ROWS = 10_000;

/**
 * Fills a view's online table from its source as of a time: each customer's latest values at or
 * before it (within the view's ttl), read and written in chunks into a staging table, which then
 * replaces the table in one step. Memory holds one chunk, whatever the size of the source: the
 * engine that holds the source (DuckDB for files, the database for a table or query) picks the
 * latest rows and sorts them, spilling to disk as it needs. The view must have been applied.
 */
export async function materializeView(
  backend: SqlBackend,
  loaded: LoadedRepository,
  name: string,
  options: { asOf?: string; onProgress?: (rows: number) => void } = {},
): Promise<ViewMaterialization> {
  const started = performance.now();
  const spec = loaded.repository.views.find((v) => v.name === name);
  if (!spec) throw new Error(`${loaded.file} declares no view ${name}`);
  const registered = (await readRegistry(backend)).get(name);
  const definition = definitionOf(spec);
  if (!registered || JSON.stringify(registered.definition) !== JSON.stringify(definition))
    throw new Error(`view ${name} has changed since it was applied: run features apply first`);
  const asOf = options.asOf ?? sqlNow();
  const relation = sourceRelation(loaded, spec.source, backend.dialect);
  // One thread: see view-query.ts latestRowsDuckDb.
  const duck = relation.engine === 'duckdb' ? await DuckDb.open({ threads: 1 }) : undefined;
  const read = (sql: string, params: string[]): AsyncIterable<unknown[][]> =>
    duck ? duck.stream(sql, params) : backend.streamArrays(sql, params, WRITE_ROWS);

  const table = viewTable(name);
  const staging = `${table}__new`;
  const features = registered.tableFeatures;
  try {
    if (!definition.timestampColumn) {
      for await (const rows of read(duplicateEntitySql(relation, definition), [])) {
        if (rows.length > 0)
          throw new Error(
            `view ${name} has no timestampColumn but its source holds customer ${String(rows[0]![0])} more than once`,
          );
      }
    }
    await backend.execute(`DROP TABLE IF EXISTS ${staging}`);
    // A name suffix of its own for the staging table's key (PostgreSQL keeps it through the switch).
    for (const sql of createTableSql(
      viewTableSpec(staging, features),
      backend.dialect,
      `_${Date.now().toString(36)}`,
    ))
      await backend.execute(sql);
    // Columns the repository no longer declares stay in the table, empty.
    const declared = new Set(definition.features.map((f) => f.name));
    const columns = [
      'customer_id',
      'event_ts',
      ...features.filter((f) => declared.has(f)).map(featureColumn),
    ];
    const { sql, params } = latestRowsSql(relation, definition, asOf);
    let rows = 0;
    let skipped = 0;
    let batch: SqlValue[][] = [];
    const flush = async () => {
      await backend.insertRows(staging, columns, batch);
      rows += batch.length;
      batch = [];
      options.onProgress?.(rows);
    };
    for await (const chunk of read(sql, params)) {
      for (const row of chunk) {
        const id = String(row[0]);
        if (!CUSTOMER_ID_PATTERN.test(id)) {
          skipped++;
          continue;
        }
        const values: SqlValue[] = [id, row[1] == null ? null : String(row[1])];
        for (let i = 2; i < row.length; i++) values.push(finiteOrNull(row[i]));
        batch.push(values);
      }
      if (batch.length >= WRITE_ROWS) await flush();
    }
    await flush();
    await switchTable(backend, table, staging);
    await writeRegistryRow(backend, {
      ...registered,
      materializedAt: sqlNow(),
      valuesAsOf: asOf,
      rows,
      materializedFeatures: [...declared],
    });
    return { view: name, rows, skipped, valuesAsOf: asOf, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    await backend.execute(`DROP TABLE IF EXISTS ${staging}`).catch(() => {});
    throw err;
  } finally {
    duck?.close();
  }
}

function finiteOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
