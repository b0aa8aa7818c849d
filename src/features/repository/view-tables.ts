import { createTableSql, type TableSpec } from '../sql/schema.js';
import { type Dialect, type SqlBackend, type SqlValue, tableExists } from '../sql/sql-backend.js';
import { columnOf, type FeatureSpec, type ViewSpec } from './repository-schema.js';

/**
 * The online side of the feature views: one table per view (`fv_<view>`: customer id, the event
 * time of the values, one DOUBLE column `f_<feature>` per feature) and the registry table
 * `feature_views`, which says what each table holds and how fresh it is. Servers read only these.
 */
export const REGISTRY_TABLE = 'feature_views';

export const viewTable = (view: string): string => `fv_${view}`;
export const featureColumn = (feature: string): string => `f_${feature}`;

const REGISTRY_SPEC: TableSpec = {
  name: REGISTRY_TABLE,
  columns: [
    { name: 'name', type: 'text' },
    { name: 'definition', type: 'long_text' },
    { name: 'table_features', type: 'long_text' },
    { name: 'applied_at', type: 'datetime' },
    { name: 'materialized_at', type: 'datetime', nullable: true },
    { name: 'values_as_of', type: 'datetime', nullable: true },
    { name: 'row_count', type: 'bigint', nullable: true },
    { name: 'materialized_features', type: 'long_text', nullable: true },
  ],
  primaryKey: ['name'],
};

/** What serving needs of a view's declaration (kept in the registry as JSON). */
export interface ViewDefinition {
  description: string;
  source: string;
  entityColumn: string;
  timestampColumn?: string;
  ttlDays?: number;
  maxAgeDays?: number;
  features: { name: string; type: FeatureSpec['type']; column: string; expr?: string; default?: number }[];
}

/** One row of the registry. */
export interface RegisteredView {
  name: string;
  definition: ViewDefinition;
  /** The features the table has a column for, in column order (a superset of the declared ones). */
  tableFeatures: string[];
  appliedAt: string;
  /** When the table was last filled; undefined before the first materialization. */
  materializedAt: string | undefined;
  /** The time the values describe (the materialization's as-of). */
  valuesAsOf: string | undefined;
  rows: number | undefined;
  /** The features the last materialization filled (a feature added since holds nothing yet). */
  materializedFeatures: string[];
}

export function definitionOf(view: ViewSpec): ViewDefinition {
  return {
    description: view.description,
    source: view.source,
    entityColumn: view.entityColumn,
    timestampColumn: view.timestampColumn,
    ttlDays: view.ttlDays,
    maxAgeDays: view.maxAgeDays,
    features: view.features.map((f) => ({
      name: f.name,
      type: f.type,
      column: columnOf(f),
      expr: f.expr,
      default: f.default,
    })),
  };
}

/** The table spec of a view's online table (or of its staging copy, under another name). */
export function viewTableSpec(table: string, features: readonly string[]): TableSpec {
  return {
    name: table,
    columns: [
      { name: 'customer_id', type: 'customer_id' },
      { name: 'event_ts', type: 'datetime', nullable: true },
      ...features.map((f) => ({ name: featureColumn(f), type: 'double' as const, nullable: true })),
    ],
    primaryKey: ['customer_id'],
  };
}

export async function ensureRegistry(backend: SqlBackend): Promise<void> {
  if (await tableExists(backend, REGISTRY_TABLE)) return;
  for (const sql of createTableSql(REGISTRY_SPEC, backend.dialect)) await backend.execute(sql);
}

/** Every registered view, by name; none when nothing was ever applied. */
export async function readRegistry(backend: SqlBackend): Promise<Map<string, RegisteredView>> {
  if (!(await tableExists(backend, REGISTRY_TABLE))) return new Map();
  const rows = await backend.select(
    `SELECT name, definition, table_features, applied_at, materialized_at, values_as_of, row_count, materialized_features FROM ${REGISTRY_TABLE} ORDER BY name`,
  );
  return new Map(
    rows.map((r) => [
      String(r.name),
      {
        name: String(r.name),
        definition: JSON.parse(String(r.definition)) as ViewDefinition,
        tableFeatures: JSON.parse(String(r.table_features)) as string[],
        appliedAt: String(r.applied_at),
        materializedAt: r.materialized_at == null ? undefined : String(r.materialized_at),
        valuesAsOf: r.values_as_of == null ? undefined : String(r.values_as_of),
        rows: r.row_count == null ? undefined : Number(r.row_count),
        materializedFeatures:
          r.materialized_features == null ? [] : (JSON.parse(String(r.materialized_features)) as string[]),
      },
    ]),
  );
}

export async function writeRegistryRow(backend: SqlBackend, view: RegisteredView): Promise<void> {
  const values: SqlValue[] = [
    view.name,
    JSON.stringify(view.definition),
    JSON.stringify(view.tableFeatures),
    view.appliedAt,
    view.materializedAt ?? null,
    view.valuesAsOf ?? null,
    view.rows ?? null,
    JSON.stringify(view.materializedFeatures),
  ];
  await backend.execute(`DELETE FROM ${REGISTRY_TABLE} WHERE name = ?`, [view.name]);
  await backend.execute(
    `INSERT INTO ${REGISTRY_TABLE} (name, definition, table_features, applied_at, materialized_at, values_as_of, row_count, materialized_features) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    values,
  );
}

/** Now as the registry's datetime columns hold it (UTC, to the second). */
export const sqlNow = (): string => toSqlDateTime(new Date());
export const toSqlDateTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * Replaces `table` with `staging` in one step readers cannot see half of: MariaDB/MySQL's
 * multi-table RENAME; SQLite's two renames in one immediate transaction. The old table is dropped.
 */
export async function switchTable(backend: SqlBackend, table: string, staging: string): Promise<void> {
  const old = `${table}__old`;
  await backend.execute(`DROP TABLE IF EXISTS ${old}`);
  if (!(await tableExists(backend, table))) {
    await backend.execute(`ALTER TABLE ${staging} RENAME TO ${table}`);
    return;
  }
  if (backend.dialect === 'mysql') {
    await backend.execute(`RENAME TABLE ${table} TO ${old}, ${staging} TO ${table}`);
  } else {
    // SQLite and PostgreSQL: both renames in one transaction (PostgreSQL's DDL is transactional).
    await backend.execute(backend.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN');
    try {
      await backend.execute(`ALTER TABLE ${table} RENAME TO ${old}`);
      await backend.execute(`ALTER TABLE ${staging} RENAME TO ${table}`);
      await backend.execute('COMMIT');
    } catch (err) {
      await backend.execute('ROLLBACK');
      throw err;
    }
  }
  await backend.execute(`DROP TABLE ${old}`);
}

export const quoteIdentifier = (dialect: Dialect | 'duckdb', name: string): string =>
  dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
