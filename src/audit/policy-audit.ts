import { type TableSpec, TablesOnFirstUse } from '../features/sql/schema.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import type { ModelPolicy } from '../models/serving-policy.js';

/** One change of what is served: who, when, which model, its policy entry before and after. */
export interface PolicyChange {
  changedAt: string;
  caller: string;
  /** The peer's address (a proxy's, behind one). */
  peer: string;
  model: string;
  /** The model's entry before and after; null: no entry (the defaults). */
  before: ModelPolicy | null;
  after: ModelPolicy | null;
}

export interface PolicyAudit {
  record(change: PolicyChange): Promise<void>;
  recent(limit: number): Promise<PolicyChange[]>;
}

/** Records kept; older ones are deleted as new ones are written. */
export const MAX_AUDIT_RECORDS = 10_000;
export const MAX_AUDIT_READ = 500;

const TABLE: TableSpec = {
  name: 'policy_audit',
  columns: [
    { name: 'changed_at', type: 'datetime' },
    { name: 'caller', type: 'text' },
    { name: 'peer', type: 'text' },
    { name: 'model', type: 'text' },
    { name: 'before_entry', type: 'long_text', nullable: true },
    { name: 'after_entry', type: 'long_text', nullable: true },
  ],
  indexes: [['changed_at']],
};

/**
 * The serving policy's audit trail, in the feature store's database: every process of a
 * deployment writes to the same table, and it outlives the policy file's history.
 */
export class SqlPolicyAudit implements PolicyAudit {
  private readonly table: TablesOnFirstUse;

  constructor(private readonly backend: SqlBackend) {
    this.table = new TablesOnFirstUse(backend, [TABLE]);
  }

  async record(c: PolicyChange): Promise<void> {
    await this.table.ensure();
    const json = (e: ModelPolicy | null) => (e === null ? null : JSON.stringify(e));
    await this.backend.insertRows(
      TABLE.name,
      TABLE.columns.map((col) => col.name),
      [[c.changedAt, c.caller, c.peer, c.model, json(c.before), json(c.after)]],
    );
    const [cut] = await this.backend.selectArrays(
      `SELECT changed_at FROM ${TABLE.name} ORDER BY changed_at DESC LIMIT 1 OFFSET ${MAX_AUDIT_RECORDS}`,
    );
    if (cut) await this.backend.execute(`DELETE FROM ${TABLE.name} WHERE changed_at <= ?`, [String(cut[0])]);
  }

  async recent(limit: number): Promise<PolicyChange[]> {
    await this.table.ensure();
    const n = Math.max(1, Math.min(MAX_AUDIT_READ, Math.floor(limit)));
    const rows = await this.backend.selectArrays(
      `SELECT changed_at, caller, peer, model, before_entry, after_entry FROM ${TABLE.name} ORDER BY changed_at DESC LIMIT ${n}`,
    );
    const entry = (v: unknown) =>
      v === null || v === undefined ? null : (JSON.parse(String(v)) as ModelPolicy);
    return rows.map(([at, caller, peer, model, before, after]) => ({
      changedAt: String(at).slice(0, 19),
      caller: String(caller),
      peer: String(peer),
      model: String(model),
      before: entry(before),
      after: entry(after),
    }));
  }
}
