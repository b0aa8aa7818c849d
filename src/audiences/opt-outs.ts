import { type SqlBackend, tableExists } from '../features/sql/sql-backend.js';

/**
 * The customers who asked not to be contacted: the store's table or view `opt_outs` with a
 * `customer_id` column. A team whose consent lives in a column of its own maps it with a view:
 *
 *   CREATE VIEW opt_outs AS SELECT customer_id FROM crm_customers WHERE marketing_consent = 0
 *
 * Read for a batch of ids at a time. A store without it has no opt-outs, and says so.
 */
export const OPT_OUT_TABLE = 'opt_outs';

export class OptOuts {
  private present: Promise<boolean> | undefined;

  constructor(private readonly backend: SqlBackend) {}

  /** Whether the store holds the opt-out table or view (looked up again after a miss). */
  async available(): Promise<boolean> {
    this.present ??= tableExists(this.backend, OPT_OUT_TABLE);
    const found = await this.present;
    if (!found) this.present = undefined;
    return found;
  }

  /** Which of these customers opted out. */
  async of(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0 || !(await this.available())) return new Set();
    const rows = await this.backend.selectArrays(
      `SELECT customer_id FROM ${OPT_OUT_TABLE} WHERE customer_id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    );
    return new Set(rows.map(([id]) => String(id)));
  }
}
