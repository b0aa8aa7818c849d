import type { InputName } from '../input-names.js';
import type { SqlBackend } from '../sql/sql-backend.js';
import { DuckDb } from './duckdb.js';
import type { LoadedRepository } from './repository-file.js';
import { BUILTIN_VIEW, type SourceSpec } from './repository-schema.js';
import {
  allRowsSql,
  asDouble,
  asText,
  asTimestamp,
  type Engine,
  quote,
  relationOf,
  type SourceRelation,
  sourceRelation,
} from './view-query.js';
import { definitionOf, featureColumn, type ViewDefinition } from './view-tables.js';

/** Where a training set's labels come from: one row per (customer, time, label). */
export interface LabelSource {
  source: SourceSpec;
  /** A file source's absolute path. */
  path?: string;
  customer: string;
  /** Without it the labels carry no time, and only views without timestamps may join them. */
  timestamp?: string;
  /** A column, or an SQL expression of the source's engine. */
  label: ColumnOrExpr;
  /** 1 for a treated row, 0 for control (uplift models). */
  treatment?: ColumnOrExpr;
  /** A condition of the source's engine that the label rows meet. */
  where?: string;
}

export type ColumnOrExpr = string | { expr: string };

const columnOrExpr = (e: Engine, v: ColumnOrExpr): string =>
  typeof v === 'string' ? quote(e, v) : `(${v.expr})`;

/** One label row with its feature values as of its time (null: no value then). */
export interface LabelledRow {
  customerId: string;
  /** 'YYYY-MM-DD HH:MM:SS'. */
  labelTs: string;
  label: number;
  treatment: number | null;
  values: (number | null)[];
}

/**
 * Labels joined to feature views point in time, in DuckDB: for each label row and each view, the
 * view's row of that customer with the greatest event time at or before the label's time (an ASOF
 * join), and none if that row is older than the view's ttl; a view without timestamps joins its
 * one row per customer. A value written after a label's time is never in that label's row.
 * Sources in the feature store's database are copied into DuckDB in chunks first; files are read
 * where they are. DuckDB spills past its memory limit; rows come back a chunk at a time.
 */
export async function* pointInTimeRows(
  backend: SqlBackend,
  loaded: LoadedRepository,
  labels: LabelSource,
  inputs: readonly InputName[],
): AsyncIterable<LabelledRow[]> {
  const views = new Map<string, ViewDefinition>();
  for (const { view } of inputs) {
    if (view === BUILTIN_VIEW)
      throw new Error(
        `${view} features are computed from purchase histories as of a cutoff: train them with a history target, not from labels`,
      );
    const spec = loaded.repository.views.find((v) => v.name === view);
    if (!spec) throw new Error(`${loaded.file} declares no view ${view}`);
    views.set(view, definitionOf(spec));
  }
  for (const { view, feature } of inputs)
    if (!views.get(view)!.features.some((f) => f.name === feature))
      throw new Error(`view ${view} declares no feature ${feature}`);
  if (!labels.timestamp) {
    const dated = [...views].find(([, v]) => v.timestampColumn);
    if (dated)
      throw new Error(
        `the labels have no timestamp, and view ${dated[0]} is dated: without a label time its values could come from after the label; give the labels a timestamp column`,
      );
  }

  const duck = await DuckDb.open();
  try {
    await relationIn(
      duck,
      backend,
      'labels_src',
      relationOf(labels.source, labels.path, backend.dialect),
      (r) => labelRowsSql(r, labels),
      [
        { name: 'customer_id', numeric: false },
        { name: 'label_ts', numeric: false },
        { name: 'label', numeric: true },
        { name: 'treatment', numeric: true },
      ],
    );
    await duck.run(
      'CREATE TABLE labels AS SELECT customer_id, CAST(label_ts AS TIMESTAMP) AS label_ts, label, treatment FROM labels_src',
    );
    // Undated labels join only undated views (checked above): the ASOF joins below are not used.
    const joins: string[] = [];
    const aliases = new Map<string, string>();
    let k = 0;
    for (const [name, definition] of views) {
      const alias = `v${k++}`;
      aliases.set(name, alias);
      await relationIn(
        duck,
        backend,
        `${alias}_src`,
        sourceRelation(loaded, definition.source, backend.dialect),
        (r) => allRowsSql(r, definition),
        [
          { name: 'customer_id', numeric: false },
          { name: 'event_ts', numeric: false },
          ...definition.features.map((f) => ({ name: featureColumn(f.name), numeric: true })),
        ],
      );
      await duck.run(
        `CREATE VIEW ${alias} AS SELECT * REPLACE (CAST(event_ts AS TIMESTAMP) AS event_ts) FROM ${alias}_src`,
      );
      joins.push(
        definition.timestampColumn
          ? `ASOF LEFT JOIN ${alias} ON l.customer_id = ${alias}.customer_id AND l.label_ts >= ${alias}.event_ts`
          : `LEFT JOIN ${alias} ON l.customer_id = ${alias}.customer_id`,
      );
    }
    const values = inputs.map(({ view, feature }) => {
      const alias = aliases.get(view)!;
      const column = `${alias}.${featureColumn(feature)}`;
      const ttl = views.get(view)!.ttlDays;
      return ttl === undefined
        ? column
        : `CASE WHEN ${alias}.event_ts > l.label_ts - INTERVAL ${ttl} DAY THEN ${column} END`;
    });
    const sql = `SELECT l.customer_id, coalesce(strftime(l.label_ts, '%Y-%m-%d %H:%M:%S'), ''), l.label, l.treatment, ${values.join(', ')}
FROM labels l ${joins.join(' ')}
ORDER BY l.customer_id, l.label_ts`;
    for await (const chunk of duck.stream(sql)) {
      yield chunk.map((r) => ({
        customerId: String(r[0]),
        labelTs: String(r[1]),
        label: Number(r[2]),
        treatment: r[3] === null ? null : Number(r[3]),
        values: r.slice(4).map((v) => (v === null ? null : Number(v))),
      }));
    }
  } finally {
    duck.close();
  }
}

/** The label source's rows: customer id, time, label and treatment (NULL when not declared). */
function labelRowsSql(relation: SourceRelation, labels: LabelSource): string {
  const e = relation.engine;
  const treatment = labels.treatment ? asDouble(e, columnOrExpr(e, labels.treatment)) : 'NULL';
  const ts = labels.timestamp ? asTimestamp(e, quote(e, labels.timestamp)) : 'NULL';
  const label = asDouble(e, columnOrExpr(e, labels.label));
  const where = [`${quote(e, labels.customer)} IS NOT NULL`, `${label} IS NOT NULL`];
  if (labels.timestamp) where.push(`${ts} IS NOT NULL`);
  if (labels.where) where.push(`(${labels.where})`);
  return `SELECT ${asText(e, quote(e, labels.customer))} AS customer_id, ${ts} AS label_ts, ${label} AS label, ${treatment} AS treatment FROM ${relation.from} WHERE ${where.join(' AND ')}`;
}

/**
 * Makes `name` a DuckDB relation of a source's rows: a view over the file for DuckDB's own
 * sources, a table filled in chunks from the feature store's database otherwise.
 */
async function relationIn(
  duck: DuckDb,
  backend: SqlBackend,
  name: string,
  relation: SourceRelation,
  select: (relation: SourceRelation) => string,
  columns: { name: string; numeric: boolean }[],
): Promise<void> {
  if (relation.engine === 'duckdb') {
    await duck.run(`CREATE VIEW ${name} AS ${select(relation)}`);
    return;
  }
  await duck.copyIn(name, columns, backend.streamArrays(select(relation), [], 10_000));
}
