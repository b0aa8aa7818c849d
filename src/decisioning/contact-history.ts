import { type TableSpec, TablesOnFirstUse } from '../features/sql/schema.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import type { Contact } from './eligibility.js';

/**
 * The contacts the contact policy counts: the store's campaign history (contacts, not control
 * picks, with their campaign's channel) and the decisions this server recorded (a Decide call
 * asked to record its first action, or a plan's treated customers). Read in one query per table
 * for a batch of customers.
 */
export const DECISION_LOG_TABLE: TableSpec = {
  name: 'decision_log',
  columns: [
    { name: 'customer_id', type: 'customer_id' },
    { name: 'decided_at', type: 'datetime' },
    { name: 'action_code', type: 'text' },
    { name: 'channel', type: 'text' },
    /** Where the decision came from: decide, or plan:<plan id>. */
    { name: 'source', type: 'text' },
  ],
  indexes: [['customer_id', 'decided_at']],
};

/** 'YYYY-MM-DD HH:MM:SS' (UTC), as the store's datetime columns hold times. */
export const sqlDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const parseDateTime = (v: unknown) => Date.parse(`${String(v).replace(' ', 'T').slice(0, 19)}Z`);

export class ContactHistory {
  private readonly log: TablesOnFirstUse;
  private campaigns: Promise<boolean> | undefined;

  constructor(private readonly backend: SqlBackend) {
    this.log = new TablesOnFirstUse(backend, [DECISION_LOG_TABLE]);
  }

  /** Whether the store holds a campaign history at all (a team's own store may not). */
  private hasCampaigns(): Promise<boolean> {
    this.campaigns ??= this.backend
      .select('SELECT 1 FROM campaign_contacts JOIN campaigns ON 1 = 0 LIMIT 1')
      .then(
        () => true,
        () => false,
      );
    return this.campaigns;
  }

  /** Each customer's contacts in (now - days, now], by id (customers without any are absent). */
  async contactsOf(ids: readonly string[], now: number, days: number): Promise<Map<string, Contact[]>> {
    const found = new Map<string, Contact[]>();
    if (ids.length === 0 || days <= 0) return found;
    await this.log.ensure();
    const from = sqlDateTime(now - days * 86_400_000);
    const to = sqlDateTime(now);
    const marks = ids.map(() => '?').join(', ');
    const add = (rows: unknown[][]) => {
      for (const [id, at, channel] of rows) {
        const list = found.get(String(id)) ?? [];
        list.push({ at: parseDateTime(at), channel: String(channel) });
        found.set(String(id), list);
      }
    };
    const reads = [
      this.backend.selectArrays(
        `SELECT customer_id, decided_at, channel FROM ${DECISION_LOG_TABLE.name} WHERE customer_id IN (${marks}) AND decided_at > ? AND decided_at <= ?`,
        [...ids, from, to],
      ),
    ];
    if (await this.hasCampaigns())
      reads.push(
        this.backend.selectArrays(
          `SELECT cc.customer_id, cc.contacted_at, c.channel FROM campaign_contacts cc JOIN campaigns c ON c.campaign_code = cc.campaign_code WHERE cc.customer_id IN (${marks}) AND cc.control_group = 0 AND cc.contacted_at > ? AND cc.contacted_at <= ?`,
          [...ids, from, to],
        ),
      );
    for (const rows of await Promise.all(reads)) add(rows);
    return found;
  }

  /** Records decisions acted upon, so the next decisions count them. */
  async record(
    rows: readonly { customerId: string; at: number; action: string; channel: string; source: string }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.log.ensure();
    await this.backend.insertRows(
      DECISION_LOG_TABLE.name,
      DECISION_LOG_TABLE.columns.map((c) => c.name),
      rows.map((r) => [r.customerId, sqlDateTime(r.at), r.action, r.channel, r.source]),
    );
  }
}
