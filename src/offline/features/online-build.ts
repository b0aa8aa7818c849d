import type { FeatureSetInfo } from '../../features/feature-set.js';
import { createTableSql, ONLINE_COLUMNS, ONLINE_TABLE, onlineTableSpec } from '../../features/sql/schema.js';
import type { SqlBackend, SqlValue } from '../../features/sql/sql-backend.js';
import type { RfmThresholds } from '../../rfm/quintiles.js';
import { segmentGrid } from '../../rfm/segments.js';
import type { ComputedFeatures } from './compute-features.js';

const STAGING_TABLE = `${ONLINE_TABLE}_next`;

/**
 * The next online table, built beside the served one: rows are written a chunk at a time as the
 * materialization computes them (scores left at 0), the RFM scores and segments are then set in
 * the database from the quintile cuts, and the table replaces the served one in one step with the
 * thresholds and the feature-set record. Readers see the old table or the new one, never a
 * half-written one (RENAME TABLE in MySQL, one transaction in SQLite).
 */
export class OnlineTableBuild {
  constructor(private readonly backend: SqlBackend) {}

  async start(): Promise<void> {
    const b = this.backend;
    await b.execute(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
    for (const sql of createTableSql(
      onlineTableSpec(STAGING_TABLE),
      b.dialect,
      `_${Date.now().toString(36)}`,
    ))
      await b.execute(sql);
  }

  async write(rows: readonly ComputedFeatures[], asOf: string): Promise<void> {
    const values = rows.map((r): SqlValue[] => [
      r.customerId,
      asOf,
      r.tier,
      ...r.features,
      r.rfm.recencyDays,
      r.rfm.frequency,
      r.rfm.monetaryCents,
      0,
      0,
      0,
      '',
      r.recentItems.join(','),
    ]);
    await this.backend.insertRows(STAGING_TABLE, ONLINE_COLUMNS, values);
  }

  /**
   * Sets every row's R, F and M scores from the cuts (rfm/quintiles.ts: 1 + the cuts a value lies
   * strictly above; recency inverted) and its segment from the grid (rfm/segments.ts), in two
   * statements; returns the customers per segment.
   */
  async score(t: RfmThresholds): Promise<Record<string, number>> {
    // Cut points written as exact double literals (no parameters: no statement timeout on a base-wide update).
    const above = (column: string, cuts: readonly number[]) =>
      cuts
        .map((cut) =>
          // PostgreSQL adds no booleans: its comparisons are cast to 0/1.
          this.backend.dialect === 'postgres'
            ? `CAST(${column} > ${doubleLiteral(cut)} AS INTEGER)`
            : `(${column} > ${doubleLiteral(cut)})`,
        )
        .join(' + ');
    await this.backend.execute(
      `UPDATE ${STAGING_TABLE} SET r_score = 5 - (${above('rfm_recency_days', t.recency.cuts)}), f_score = 1 + (${above('rfm_frequency', t.frequency.cuts)}), m_score = 1 + (${above('rfm_monetary_cents', t.monetary.cuts)})`,
    );
    const fm =
      this.backend.dialect === 'mysql' ? '(f_score + m_score + 1) DIV 2' : '(f_score + m_score + 1) / 2';
    const cases = segmentGrid().map(({ r, fm: cell, segment }) => `WHEN ${r * 10 + cell} THEN '${segment}'`);
    await this.backend.execute(
      `UPDATE ${STAGING_TABLE} SET segment = CASE r_score * 10 + ${fm} ${cases.join(' ')} END`,
    );
    const counts = await this.backend.select(
      `SELECT segment, COUNT(*) AS n FROM ${STAGING_TABLE} GROUP BY segment`,
    );
    return Object.fromEntries(counts.map((c) => [String(c.segment), Number(c.n)]));
  }

  async drop(): Promise<void> {
    await this.backend.execute(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
  }

  /** The staging table becomes the online table, with its thresholds and feature-set record. */
  async publish(thresholds: RfmThresholds, info: FeatureSetInfo): Promise<void> {
    const b = this.backend;
    const metaStatements: [string, SqlValue[]][] = [
      ["DELETE FROM feature_set WHERE name = 'default'", []],
      [
        "INSERT INTO feature_set (name, as_of, currency, feature_names, customer_count, materialized_at) VALUES ('default', ?, ?, ?, ?, ?)",
        [
          info.asOf,
          info.currency,
          JSON.stringify(info.featureNames),
          info.customerCount,
          info.materializedAt,
        ],
      ],
      ['DELETE FROM rfm_thresholds', []],
      ...(['recency', 'frequency', 'monetary'] as const).map((metric): [string, SqlValue[]] => [
        'INSERT INTO rfm_thresholds (metric, as_of, q1, q2, q3, q4) VALUES (?, ?, ?, ?, ?, ?)',
        [metric, thresholds.asOf, ...thresholds[metric].cuts],
      ]),
    ];
    if (b.dialect === 'mysql') {
      // MySQL's DDL commits by itself: its multi-table RENAME is the one atomic step.
      await b.execute(`CREATE TABLE IF NOT EXISTS ${ONLINE_TABLE} LIKE ${STAGING_TABLE}`);
      await b.execute(`DROP TABLE IF EXISTS ${ONLINE_TABLE}_old`);
      await b.execute(
        `RENAME TABLE ${ONLINE_TABLE} TO ${ONLINE_TABLE}_old, ${STAGING_TABLE} TO ${ONLINE_TABLE}`,
      );
      await b.execute(`DROP TABLE ${ONLINE_TABLE}_old`);
      for (const [sql, params] of metaStatements) await b.execute(sql, params);
      return;
    }
    await b.execute('BEGIN');
    try {
      await b.execute(`DROP TABLE IF EXISTS ${ONLINE_TABLE}`);
      await b.execute(`ALTER TABLE ${STAGING_TABLE} RENAME TO ${ONLINE_TABLE}`);
      for (const [sql, params] of metaStatements) await b.execute(sql, params);
      await b.execute('COMMIT');
    } catch (err) {
      await b.execute('ROLLBACK');
      throw err;
    }
  }
}

/** A double as a SQL literal that parses back to the same value (exponent form: a DOUBLE in MySQL too). */
function doubleLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cut point ${value} is not finite`);
  return value.toExponential();
}
