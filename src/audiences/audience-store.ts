import { randomBytes } from 'node:crypto';
import { sqlDateTime } from '../decisioning/contact-history.js';
import { Errors } from '../errors.js';
import { switchTable } from '../features/repository/view-tables.js';
import { createTableSql, type TableSpec, TablesOnFirstUse } from '../features/sql/schema.js';
import type { SqlBackend, SqlValue } from '../features/sql/sql-backend.js';
import type { AudienceColumn } from './audience.js';
import type { AudienceRow } from './audience-runner.js';

/** An audience's name: what its URL, its saved row and its CRM table are called by. */
export const AUDIENCE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const MAX_SAVED_AUDIENCES = 500;
/** Export records kept; older ones are deleted as new ones are written. */
export const MAX_EXPORT_RECORDS = 1_000;
const RECENT_EXPORTS = 50;

const SAVED: TableSpec = {
  name: 'audiences',
  columns: [
    { name: 'name', type: 'text' },
    { name: 'query', type: 'long_text' },
    { name: 'saved_by', type: 'text' },
    { name: 'saved_at', type: 'datetime' },
  ],
  primaryKey: ['name'],
};

const EXPORTS: TableSpec = {
  name: 'audience_exports',
  columns: [
    { name: 'exported_at', type: 'datetime' },
    /** The saved audience's name, or empty for a list exported unsaved. */
    { name: 'audience', type: 'text' },
    { name: 'query', type: 'long_text' },
    { name: 'model', type: 'text' },
    { name: 'model_version', type: 'text' },
    /** `file:<name>.csv` or `table:<table>`. */
    { name: 'destination', type: 'text' },
    { name: 'row_count', type: 'bigint' },
    { name: 'holdout_count', type: 'bigint' },
    { name: 'exported_by', type: 'text' },
  ],
  indexes: [['exported_at']],
};

export interface SavedAudience {
  name: string;
  query: string;
  savedBy: string;
  savedAt: string;
}

export interface ExportRecord {
  exportedAt: string;
  audience: string;
  query: string;
  model: string;
  modelVersion: string;
  destination: string;
  rows: number;
  holdout: number;
  exportedBy: string;
}

export function checkAudienceName(name: string): string {
  if (!AUDIENCE_NAME.test(name))
    throw Errors.invalidArgument(
      'an audience name is 1-40 of a-z, 0-9, _ and -, starting with a letter or digit',
    );
  return name;
}

/** The CRM table an audience's list is written to. */
export const crmTableOf = (audience: string) => `crm_audience_${audience.replaceAll('-', '_')}`;

/**
 * Saved audiences, the export history, and the lists written as tables for a CRM, in the feature
 * store's database (SQLite, MariaDB/MySQL or PostgreSQL alike).
 */
export class AudienceStore {
  private readonly tables: TablesOnFirstUse;

  constructor(private readonly backend: SqlBackend) {
    this.tables = new TablesOnFirstUse(backend, [SAVED, EXPORTS]);
  }

  async list(): Promise<SavedAudience[]> {
    await this.tables.ensure();
    const rows = await this.backend.selectArrays(
      `SELECT name, query, saved_by, saved_at FROM audiences ORDER BY name LIMIT ${MAX_SAVED_AUDIENCES}`,
    );
    return rows.map(([name, query, by, at]) => ({
      name: String(name),
      query: String(query),
      savedBy: String(by),
      savedAt: String(at).slice(0, 19),
    }));
  }

  /** Saves (or replaces) an audience under a name, with who saved it and when. */
  async save(name: string, query: string, by: string, now = Date.now()): Promise<SavedAudience> {
    await this.tables.ensure();
    const existing = await this.backend.select('SELECT name FROM audiences WHERE name = ?', [name]);
    if (existing.length === 0) {
      const [count] = await this.backend.selectArrays('SELECT COUNT(*) FROM audiences');
      if (Number(count?.[0]) >= MAX_SAVED_AUDIENCES)
        throw Errors.failedPrecondition(
          `${MAX_SAVED_AUDIENCES} audiences are saved already; delete one first`,
        );
      await this.backend.execute(
        'INSERT INTO audiences (name, query, saved_by, saved_at) VALUES (?, ?, ?, ?)',
        [name, query, by, sqlDateTime(now)],
      );
    } else {
      await this.backend.execute(
        'UPDATE audiences SET query = ?, saved_by = ?, saved_at = ? WHERE name = ?',
        [query, by, sqlDateTime(now), name],
      );
    }
    return { name, query, savedBy: by, savedAt: sqlDateTime(now) };
  }

  async remove(name: string): Promise<boolean> {
    await this.tables.ensure();
    const found = (await this.backend.select('SELECT name FROM audiences WHERE name = ?', [name])).length > 0;
    if (found) await this.backend.execute('DELETE FROM audiences WHERE name = ?', [name]);
    return found;
  }

  async recordExport(record: ExportRecord): Promise<void> {
    await this.tables.ensure();
    await this.backend.insertRows(
      EXPORTS.name,
      EXPORTS.columns.map((c) => c.name),
      [
        [
          record.exportedAt,
          record.audience,
          record.query,
          record.model,
          record.modelVersion,
          record.destination,
          record.rows,
          record.holdout,
          record.exportedBy,
        ],
      ],
    );
    // The history stays bounded: records beyond the newest MAX_EXPORT_RECORDS go.
    const [cut] = await this.backend.selectArrays(
      `SELECT exported_at FROM audience_exports ORDER BY exported_at DESC LIMIT 1 OFFSET ${MAX_EXPORT_RECORDS}`,
    );
    if (cut)
      await this.backend.execute('DELETE FROM audience_exports WHERE exported_at <= ?', [cut[0] as SqlValue]);
  }

  async exports(): Promise<ExportRecord[]> {
    await this.tables.ensure();
    const rows = await this.backend.selectArrays(
      `SELECT ${EXPORTS.columns.map((c) => c.name).join(', ')} FROM audience_exports ORDER BY exported_at DESC LIMIT ${RECENT_EXPORTS}`,
    );
    return rows.map(([at, audience, query, model, version, destination, count, holdout, by]) => ({
      exportedAt: String(at).slice(0, 19),
      audience: String(audience),
      query: String(query),
      model: String(model),
      modelVersion: String(version),
      destination: String(destination),
      rows: Number(count),
      holdout: Number(holdout),
      exportedBy: String(by),
    }));
  }

  /**
   * A list as a table a CRM picks up: written to a staging table chunk by chunk, then switched in
   * whole (a reader sees the previous list or this one, never half of one).
   */
  async crmTable(audience: string, columns: readonly AudienceColumn[]): Promise<CrmTableWriter> {
    const table = crmTableOf(audience);
    // A staging name of its own each time, short enough for every database's identifiers with the
    // primary key's name made from it (PostgreSQL keeps that name through the switch's rename).
    const staging = `crm_staging_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const spec = crmTableSpec(staging, columns);
    for (const sql of createTableSql(spec, this.backend.dialect)) await this.backend.execute(sql);
    const names = spec.columns.map((c) => c.name);
    return {
      table,
      write: (rows, model, exportedAt) =>
        this.backend.insertRows(
          staging,
          names,
          rows.map((r) => crmValues(r, model, exportedAt, columns)),
        ),
      commit: () => switchTable(this.backend, table, staging),
      abandon: () => this.backend.execute(`DROP TABLE IF EXISTS ${staging}`),
    };
  }
}

export interface CrmTableWriter {
  table: string;
  write(rows: readonly AudienceRow[], model: string, exportedAt: string): Promise<void>;
  commit(): Promise<void>;
  abandon(): Promise<void>;
}

/** The optional columns' types in a CRM table. */
const CRM_COLUMN_TYPES: Record<AudienceColumn, 'text' | 'double'> = {
  model_version: 'text',
  risk_band: 'text',
  top_label: 'text',
  unit: 'text',
  segment: 'text',
  tier: 'text',
  ltv: 'double',
  next_best_action: 'text',
  next_best_action_value: 'double',
  uplift: 'double',
};

function crmTableSpec(name: string, columns: readonly AudienceColumn[]): TableSpec {
  return {
    name,
    columns: [
      { name: 'customer_id', type: 'customer_id' },
      { name: 'model', type: 'text' },
      { name: 'score', type: 'double', nullable: true },
      { name: 'holdout', type: 'int' },
      ...columns.map((c) => ({ name: c, type: CRM_COLUMN_TYPES[c], nullable: true })),
      { name: 'exported_at', type: 'datetime' },
    ],
    primaryKey: ['customer_id'],
  };
}

/** One row's cells in a CRM table or a CSV file: customer, model, score, holdout, then the chosen columns. */
export function exportCells(r: AudienceRow, model: string, columns: readonly AudienceColumn[]): SqlValue[] {
  const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);
  const cell: Record<AudienceColumn, SqlValue> = {
    model_version: r.version,
    risk_band: r.band,
    top_label: r.top,
    unit: r.unit,
    segment: r.segment,
    tier: r.tier,
    ltv: finite(r.ltv),
    next_best_action: r.nextBestAction ?? null,
    next_best_action_value: finite(r.nextBestActionValue),
    uplift: finite(r.uplift),
  };
  return [r.id, model, finite(r.score), r.holdout ? 1 : 0, ...columns.map((c) => cell[c])];
}

/** The header of an export: the cells' names in exportCells' order. */
export const exportHeader = (columns: readonly AudienceColumn[]) => [
  'customer_id',
  'model',
  'score',
  'holdout',
  ...columns,
];

function crmValues(
  r: AudienceRow,
  model: string,
  exportedAt: string,
  columns: readonly AudienceColumn[],
): SqlValue[] {
  return [...exportCells(r, model, columns), exportedAt];
}
