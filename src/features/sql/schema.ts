import { FEATURE_NAMES } from '../feature-set.js';
import { type Dialect, type SqlBackend, tableExists } from './sql-backend.js';

/**
 * The loyalty data model, declared once and written as DDL for each dialect. Customer ids use
 * a binary ASCII collation in MySQL so that they sort and compare as in SQLite.
 */
type ColumnType = 'customer_id' | 'text' | 'long_text' | 'date' | 'datetime' | 'int' | 'bigint' | 'double';

interface Column {
  name: string;
  type: ColumnType;
  nullable?: boolean;
}

export interface TableSpec {
  name: string;
  columns: Column[];
  primaryKey?: string[];
  indexes?: string[][];
}

const col = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });

export const RAW_TABLES: TableSpec[] = [
  {
    name: 'customers',
    columns: [
      col('customer_id', 'customer_id'),
      col('signup_date', 'date'),
      col('tier', 'text'),
      col('region', 'text'),
      col('plan', 'text'),
      col('birth_year', 'int', true),
    ],
    primaryKey: ['customer_id'],
  },
  {
    name: 'transactions',
    columns: [
      col('customer_id', 'customer_id'),
      col('occurred_at', 'datetime'),
      col('amount_cents', 'bigint'),
      col('channel', 'text'),
    ],
    indexes: [['customer_id', 'occurred_at']],
  },
  {
    name: 'service_usage',
    columns: [
      col('customer_id', 'customer_id'),
      col('month', 'date'),
      col('data_mb', 'bigint'),
      col('voice_minutes', 'int'),
      col('sms_count', 'int'),
    ],
    primaryKey: ['customer_id', 'month'],
  },
  {
    name: 'points_ledger',
    columns: [
      col('customer_id', 'customer_id'),
      col('occurred_at', 'datetime'),
      col('points', 'int'),
      col('kind', 'text'),
    ],
    indexes: [['customer_id', 'occurred_at']],
  },
  {
    name: 'offer_types',
    columns: [col('offer_code', 'text'), col('name', 'text'), col('description', 'text')],
    primaryKey: ['offer_code'],
  },
  {
    name: 'offers',
    columns: [
      col('customer_id', 'customer_id'),
      col('offer_code', 'text'),
      col('offered_at', 'datetime'),
      col('accepted_at', 'datetime', true),
    ],
    indexes: [['customer_id', 'offered_at']],
  },
  {
    name: 'support_contacts',
    columns: [col('customer_id', 'customer_id'), col('occurred_at', 'datetime'), col('reason', 'text')],
    indexes: [['customer_id', 'occurred_at']],
  },
  {
    name: 'products',
    columns: [
      col('product_code', 'text'),
      col('category', 'text'),
      col('name', 'text'),
      col('price_cents', 'bigint'),
    ],
    primaryKey: ['product_code'],
  },
  {
    /** The products of each purchase; a purchase's lines add up to its amount. */
    name: 'transaction_lines',
    columns: [
      col('customer_id', 'customer_id'),
      col('occurred_at', 'datetime'),
      col('product_code', 'text'),
      col('quantity', 'int'),
      col('amount_cents', 'bigint'),
    ],
    indexes: [['customer_id', 'occurred_at']],
  },
  {
    /** Postpaid bills; paid_at is NULL while a bill is unpaid. */
    name: 'bills',
    columns: [
      col('customer_id', 'customer_id'),
      col('issued_on', 'date'),
      col('due_on', 'date'),
      col('amount_cents', 'bigint'),
      col('paid_at', 'datetime', true),
    ],
    indexes: [['customer_id', 'issued_on']],
  },
  {
    name: 'digital_engagement',
    columns: [
      col('customer_id', 'customer_id'),
      col('month', 'date'),
      col('app_sessions', 'int'),
      col('logins', 'int'),
      col('feature_uses', 'int'),
    ],
    primaryKey: ['customer_id', 'month'],
  },
  {
    name: 'campaigns',
    columns: [
      col('campaign_code', 'text'),
      col('name', 'text'),
      col('channel', 'text'),
      col('started_on', 'date'),
    ],
    primaryKey: ['campaign_code'],
  },
  {
    /** Customers picked for a campaign; control_group 1 = held out, not contacted. */
    name: 'campaign_contacts',
    columns: [
      col('customer_id', 'customer_id'),
      col('campaign_code', 'text'),
      col('contacted_at', 'datetime'),
      col('control_group', 'int'),
      col('responded_at', 'datetime', true),
    ],
    indexes: [['customer_id', 'contacted_at']],
  },
];

export function onlineTableSpec(name: string): TableSpec {
  return {
    name,
    columns: [
      col('customer_id', 'customer_id'),
      col('as_of', 'date'),
      col('tier', 'text'),
      ...FEATURE_NAMES.map((f) => col(f, 'double')),
      col('rfm_recency_days', 'double'),
      col('rfm_frequency', 'double'),
      col('rfm_monetary_cents', 'bigint'),
      col('r_score', 'int'),
      col('f_score', 'int'),
      col('m_score', 'int'),
      col('segment', 'text'),
      col('recent_items', 'long_text'),
    ],
    primaryKey: ['customer_id'],
    indexes: [['segment'], ['tier']],
  };
}

export const ONLINE_TABLE = 'online_features';

/** The online table's columns in order: what the materialization writes and the server reads. */
export const ONLINE_COLUMNS: readonly string[] = onlineTableSpec(ONLINE_TABLE).columns.map((c) => c.name);

export const META_TABLES: TableSpec[] = [
  {
    name: 'feature_set',
    columns: [
      col('name', 'text'),
      col('as_of', 'date'),
      col('currency', 'text'),
      col('feature_names', 'long_text'),
      col('customer_count', 'int'),
      col('materialized_at', 'datetime'),
    ],
    primaryKey: ['name'],
  },
  {
    name: 'rfm_thresholds',
    columns: [
      col('metric', 'text'),
      col('as_of', 'date'),
      col('q1', 'double'),
      col('q2', 'double'),
      col('q3', 'double'),
      col('q4', 'double'),
    ],
    primaryKey: ['metric'],
  },
];

const TYPES: Record<Dialect, Record<ColumnType, string>> = {
  mysql: {
    customer_id: 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin',
    text: 'VARCHAR(255)',
    long_text: 'TEXT',
    date: 'DATE',
    datetime: 'DATETIME',
    int: 'INT',
    bigint: 'BIGINT',
    double: 'DOUBLE',
  },
  postgres: {
    // The C collation: ids sort and compare byte by byte, as in SQLite and MySQL's ascii_bin.
    customer_id: 'VARCHAR(64) COLLATE "C"',
    text: 'VARCHAR(255)',
    long_text: 'TEXT',
    date: 'DATE',
    datetime: 'TIMESTAMP',
    int: 'INTEGER',
    bigint: 'BIGINT',
    double: 'DOUBLE PRECISION',
  },
  sqlite: {
    customer_id: 'TEXT',
    text: 'TEXT',
    long_text: 'TEXT',
    date: 'TEXT',
    datetime: 'TEXT',
    int: 'INTEGER',
    bigint: 'INTEGER',
    double: 'REAL',
  },
};

/**
 * CREATE TABLE and CREATE INDEX statements for one table. SQLite index names are global and
 * survive a table rename, so a table built to be swapped in needs an index suffix of its own.
 */
/** One column's definition, as CREATE TABLE and ALTER TABLE ... ADD COLUMN write it. */
export function columnSql(spec: TableSpec, name: string, dialect: Dialect): string {
  const c = spec.columns.find((column) => column.name === name);
  if (!c) throw new Error(`${spec.name} has no column ${name}`);
  return `${c.name} ${TYPES[dialect][c.type]}${c.nullable ? '' : ' NOT NULL'}`;
}

export function createTableSql(spec: TableSpec, dialect: Dialect, indexSuffix = ''): string[] {
  const columns = spec.columns.map(
    (c) => `${c.name} ${TYPES[dialect][c.type]}${c.nullable ? '' : ' NOT NULL'}`,
  );
  // PostgreSQL names a primary key's index after the table and keeps the name through a rename:
  // a staging table built again next time needs a name of its own.
  if (spec.primaryKey)
    columns.push(
      `${dialect === 'postgres' ? `CONSTRAINT pk_${spec.name}${indexSuffix} ` : ''}PRIMARY KEY (${spec.primaryKey.join(', ')})`,
    );
  // SQLite keeps a table with a primary key clustered by it only WITHOUT ROWID; otherwise every
  // read by customer id goes index -> rowid -> row. (InnoDB always clusters by the primary key.)
  const suffix =
    dialect === 'mysql'
      ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4'
      : dialect === 'sqlite' && spec.primaryKey
        ? ' WITHOUT ROWID'
        : '';
  const statements = [`CREATE TABLE ${spec.name} (\n  ${columns.join(',\n  ')}\n)${suffix}`];
  for (const index of spec.indexes ?? []) {
    statements.push(
      `CREATE INDEX ix_${spec.name}_${index.join('_')}${indexSuffix} ON ${spec.name} (${index.join(', ')})`,
    );
  }
  return statements;
}

/**
 * Tables a module creates for itself when first used (the decisions log, saved audiences, the
 * policy audit trail): each missing one created once per process, a creation by another process
 * in between taken as done, a failure tried again on the next use.
 */
export class TablesOnFirstUse {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly backend: SqlBackend,
    private readonly specs: readonly TableSpec[],
  ) {}

  ensure(): Promise<void> {
    this.ready ??= (async () => {
      for (const spec of this.specs) {
        if (await tableExists(this.backend, spec.name)) continue;
        for (const sql of createTableSql(spec, this.backend.dialect))
          await this.backend.execute(sql).catch(async (err: unknown) => {
            if (!(await tableExists(this.backend, spec.name))) throw err;
          });
      }
    })();
    return this.ready.catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
  }
}
