import { dayNumber, formatDateTime, formatDay, nextMonthStart } from '../calendar.js';
import {
  createTableSql,
  META_TABLES,
  ONLINE_TABLE,
  onlineTableSpec,
  RAW_TABLES,
} from '../features/sql/schema.js';
import type { SqlBackend, SqlValue } from '../features/sql/sql-backend.js';
import { type CustomerHistory, emptyHistory, OFFER_TYPES, type Product } from './history.js';

const STAGING_TABLE = `${ONLINE_TABLE}_next`;

/**
 * The offline side of the feature store: raw tables in, histories out, and the atomic
 * publication of a new online table. Used by the seed, import and materialization jobs only.
 */
export class OfflineStore {
  constructor(readonly backend: SqlBackend) {}

  /** Drops and recreates every table of the data model. */
  async resetSchema(): Promise<void> {
    const tables = [
      ...RAW_TABLES,
      ...META_TABLES,
      onlineTableSpec(ONLINE_TABLE),
      onlineTableSpec(STAGING_TABLE),
    ];
    for (const t of tables) await this.backend.execute(`DROP TABLE IF EXISTS ${t.name}`);
    for (const t of [...RAW_TABLES, ...META_TABLES]) {
      for (const sql of createTableSql(t, this.backend.dialect)) await this.backend.execute(sql);
    }
    await this.backend.insertRows(
      'offer_types',
      ['offer_code', 'name', 'description'],
      OFFER_TYPES.map((o) => [o.code, o.name, o.description]),
    );
  }

  async insertHistories(histories: readonly CustomerHistory[]): Promise<void> {
    const customers: SqlValue[][] = [];
    const transactions: SqlValue[][] = [];
    const usage: SqlValue[][] = [];
    const points: SqlValue[][] = [];
    const offers: SqlValue[][] = [];
    const support: SqlValue[][] = [];
    const lines: SqlValue[][] = [];
    const bills: SqlValue[][] = [];
    const engagement: SqlValue[][] = [];
    const contacts: SqlValue[][] = [];
    for (const h of histories) {
      const c = h.customer;
      const id = c.customerId;
      customers.push([id, c.signupDate, c.tier, c.region, c.plan, c.birthYear]);
      for (const t of h.transactions) transactions.push([id, t.occurredAt, t.amountCents, t.channel]);
      for (const u of h.usage) usage.push([id, u.month, u.dataMb, u.voiceMinutes, u.smsCount]);
      for (const p of h.points) points.push([id, p.occurredAt, p.points, p.kind]);
      for (const o of h.offers) offers.push([id, o.offerCode, o.offeredAt, o.acceptedAt]);
      for (const s of h.support) support.push([id, s.occurredAt, s.reason]);
      for (const l of h.lines) lines.push([id, l.occurredAt, l.productCode, l.quantity, l.amountCents]);
      for (const b of h.bills) bills.push([id, b.issuedOn, b.dueOn, b.amountCents, b.paidAt]);
      for (const e of h.engagement) engagement.push([id, e.month, e.appSessions, e.logins, e.featureUses]);
      for (const c of h.campaigns)
        contacts.push([id, c.campaignCode, c.contactedAt, c.controlGroup ? 1 : 0, c.respondedAt]);
    }
    const b = this.backend;
    await b.insertRows(
      'customers',
      ['customer_id', 'signup_date', 'tier', 'region', 'plan', 'birth_year'],
      customers,
    );
    await b.insertRows(
      'transactions',
      ['customer_id', 'occurred_at', 'amount_cents', 'channel'],
      transactions,
    );
    await b.insertRows(
      'service_usage',
      ['customer_id', 'month', 'data_mb', 'voice_minutes', 'sms_count'],
      usage,
    );
    await b.insertRows('points_ledger', ['customer_id', 'occurred_at', 'points', 'kind'], points);
    await b.insertRows('offers', ['customer_id', 'offer_code', 'offered_at', 'accepted_at'], offers);
    await b.insertRows('support_contacts', ['customer_id', 'occurred_at', 'reason'], support);
    await b.insertRows(
      'transaction_lines',
      ['customer_id', 'occurred_at', 'product_code', 'quantity', 'amount_cents'],
      lines,
    );
    await b.insertRows('bills', ['customer_id', 'issued_on', 'due_on', 'amount_cents', 'paid_at'], bills);
    await b.insertRows(
      'digital_engagement',
      ['customer_id', 'month', 'app_sessions', 'logins', 'feature_uses'],
      engagement,
    );
    await b.insertRows(
      'campaign_contacts',
      ['customer_id', 'campaign_code', 'contacted_at', 'control_group', 'responded_at'],
      contacts,
    );
  }

  /** Writes the product catalogue (after resetSchema; each code once). */
  async insertProducts(products: readonly Product[]): Promise<void> {
    if (products.length === 0) return;
    await this.backend.insertRows(
      'products',
      ['product_code', 'category', 'name', 'price_cents'],
      products.map((p) => [p.code, p.category, p.name, p.priceCents]),
    );
  }

  async insertCampaigns(
    campaigns: readonly { code: string; name: string; channel: string; startedOn: string }[],
  ): Promise<void> {
    await this.backend.insertRows(
      'campaigns',
      ['campaign_code', 'name', 'channel', 'started_on'],
      campaigns.map((c) => [c.code, c.name, c.channel, c.startedOn]),
    );
  }

  /** The code tables labels name their classes from (pipeline-config.ts VOCABULARIES), in code order. */
  async vocabularies(): Promise<Record<'offer_types' | 'products', { codes: string[]; names: string[] }>> {
    const offers = await this.backend.select('SELECT offer_code, name FROM offer_types ORDER BY offer_code');
    const products = await this.products();
    // Offers keep the programme's order (the NBO model's outputs were trained in it).
    const order = OFFER_TYPES.map((o) => o.code as string);
    offers.sort((a, b) => order.indexOf(String(a.offer_code)) - order.indexOf(String(b.offer_code)));
    return {
      offer_types: {
        codes: offers.map((o) => String(o.offer_code)),
        names: offers.map((o) => String(o.name)),
      },
      products: { codes: products.map((p) => p.code), names: products.map((p) => p.name) },
    };
  }

  /**
   * The `n` products bought by the most customers in the `days` before the end of `day`
   * (YYYY-MM-DD), most bought first (then by code): a catalogue of thousands cut to its best sellers.
   */
  async bestSellers(day: string, days: number, n: number): Promise<{ codes: string[]; names: string[] }> {
    const to = `${day} 23:59:59`;
    const from = formatDateTime(dayNumber(day) - days, 86_399);
    const rows = await this.backend.select(
      `SELECT l.product_code, MIN(p.name) AS name, COUNT(DISTINCT l.customer_id) AS buyers
       FROM transaction_lines l LEFT JOIN products p ON p.product_code = l.product_code
       WHERE l.occurred_at > ? AND l.occurred_at <= ?
       GROUP BY l.product_code ORDER BY buyers DESC, l.product_code LIMIT ?`,
      [from, to, n],
    );
    return {
      codes: rows.map((r) => String(r.product_code)),
      names: rows.map((r) => String(r.name ?? r.product_code)),
    };
  }

  /** The product catalogue, by code. */
  async products(): Promise<Product[]> {
    const rows = await this.backend.select(
      'SELECT product_code, category, name, price_cents FROM products ORDER BY product_code',
    );
    return rows.map((r) => ({
      code: String(r.product_code),
      category: String(r.category),
      name: String(r.name),
      priceCents: Number(r.price_cents),
    }));
  }

  async customerCount(): Promise<number> {
    const [row] = await this.backend.select('SELECT COUNT(*) AS n FROM customers');
    return Number(row?.n ?? 0);
  }

  /** Up to `limit` customer ids after `afterId`, ascending: the base a page at a time. */
  async customerIdsAfter(afterId: string, limit: number): Promise<string[]> {
    const rows = await this.backend.selectArrays(
      'SELECT customer_id FROM customers WHERE customer_id > ? ORDER BY customer_id LIMIT ?',
      [afterId, BigInt(Math.trunc(limit))],
    );
    return rows.map((r) => String(r[0]));
  }

  /** The last day the raw records cover, YYYY-MM-DD, or undefined for an empty store. */
  async lastRecordDate(): Promise<string | undefined> {
    const [t] = await this.backend.select('SELECT MAX(occurred_at) AS last FROM transactions');
    const [u] = await this.backend.select('SELECT MAX(month) AS last FROM service_usage');
    const candidates: string[] = [];
    if (typeof t?.last === 'string') candidates.push(t.last.slice(0, 10));
    // A month of usage is recorded once the month is over: it covers up to the month's last day.
    if (typeof u?.last === 'string') candidates.push(formatDay(nextMonthStart(dayNumber(u.last)) - 1));
    return candidates.sort().at(-1);
  }

  /**
   * Histories of the customers with ids in [firstId, lastId], holding only records up to the
   * end of day `asOf`: later records never leave the database.
   */
  async readHistories(firstId: string, lastId: string, asOf: string): Promise<CustomerHistory[]> {
    const until = `${asOf} 23:59:59`;
    const range = 'customer_id >= ? AND customer_id <= ?';
    const q = (sql: string, extra: SqlValue[] = []) =>
      this.backend.selectArrays(sql, [firstId, lastId, ...extra]);
    const [customers, transactions, usage, points, offers, support, lines, bills, engagement, contacts] =
      await Promise.all([
        q(
          `SELECT customer_id, signup_date, tier, region, plan, birth_year FROM customers WHERE ${range} ORDER BY customer_id`,
        ),
        q(
          `SELECT customer_id, occurred_at, amount_cents, channel FROM transactions WHERE ${range} AND occurred_at <= ? ORDER BY customer_id, occurred_at`,
          [until],
        ),
        q(
          `SELECT customer_id, month, data_mb, voice_minutes, sms_count FROM service_usage WHERE ${range} AND month <= ? ORDER BY customer_id, month`,
          [asOf],
        ),
        q(
          `SELECT customer_id, occurred_at, points, kind FROM points_ledger WHERE ${range} AND occurred_at <= ? ORDER BY customer_id, occurred_at`,
          [until],
        ),
        q(
          `SELECT customer_id, offer_code, offered_at, accepted_at FROM offers WHERE ${range} AND offered_at <= ? ORDER BY customer_id, offered_at`,
          [until],
        ),
        q(
          `SELECT customer_id, occurred_at, reason FROM support_contacts WHERE ${range} AND occurred_at <= ? ORDER BY customer_id, occurred_at`,
          [until],
        ),
        q(
          `SELECT l.customer_id, l.occurred_at, l.product_code, COALESCE(p.category, '') AS category, l.quantity, l.amount_cents
         FROM transaction_lines l LEFT JOIN products p ON p.product_code = l.product_code
         WHERE l.customer_id >= ? AND l.customer_id <= ? AND l.occurred_at <= ? ORDER BY l.customer_id, l.occurred_at`,
          [until],
        ),
        q(
          `SELECT customer_id, issued_on, due_on, amount_cents, paid_at FROM bills WHERE ${range} AND issued_on <= ? ORDER BY customer_id, issued_on`,
          [asOf],
        ),
        q(
          `SELECT customer_id, month, app_sessions, logins, feature_uses FROM digital_engagement WHERE ${range} AND month <= ? ORDER BY customer_id, month`,
          [asOf],
        ),
        q(
          `SELECT customer_id, campaign_code, contacted_at, control_group, responded_at FROM campaign_contacts WHERE ${range} AND contacted_at <= ? ORDER BY customer_id, contacted_at`,
          [until],
        ),
      ]);
    const byId = new Map<string, CustomerHistory>();
    for (const c of customers) {
      byId.set(
        String(c[0]),
        emptyHistory({
          customerId: String(c[0]),
          signupDate: String(c[1]),
          tier: String(c[2]),
          region: String(c[3]),
          plan: String(c[4]),
          birthYear: c[5] === null ? null : Number(c[5]),
        }),
      );
    }
    const each = (rows: unknown[][], add: (h: CustomerHistory, r: unknown[]) => void) => {
      for (const r of rows) {
        const h = byId.get(String(r[0]));
        if (h) add(h, r);
      }
    };
    each(transactions, (h, r) =>
      h.transactions.push({
        occurredAt: String(r[1]),
        amountCents: Number(r[2]),
        channel: String(r[3]),
      }),
    );
    each(usage, (h, r) =>
      h.usage.push({
        month: String(r[1]),
        dataMb: Number(r[2]),
        voiceMinutes: Number(r[3]),
        smsCount: Number(r[4]),
      }),
    );
    each(points, (h, r) =>
      h.points.push({
        occurredAt: String(r[1]),
        points: Number(r[2]),
        kind: r[3] === 'redeem' ? 'redeem' : 'earn',
      }),
    );
    each(offers, (h, r) =>
      h.offers.push({
        offerCode: String(r[1]),
        offeredAt: String(r[2]),
        acceptedAt: r[3] === null ? null : String(r[3]),
      }),
    );
    each(support, (h, r) => h.support.push({ occurredAt: String(r[1]), reason: String(r[2]) }));
    each(lines, (h, r) =>
      h.lines.push({
        occurredAt: String(r[1]),
        productCode: String(r[2]),
        category: String(r[3]),
        quantity: Number(r[4]),
        amountCents: Number(r[5]),
      }),
    );
    each(bills, (h, r) =>
      h.bills.push({
        issuedOn: String(r[1]),
        dueOn: String(r[2]),
        amountCents: Number(r[3]),
        // A payment after asOf had not happened at asOf.
        paidAt: r[4] === null || String(r[4]) > until ? null : String(r[4]),
      }),
    );
    each(engagement, (h, r) =>
      h.engagement.push({
        month: String(r[1]),
        appSessions: Number(r[2]),
        logins: Number(r[3]),
        featureUses: Number(r[4]),
      }),
    );
    each(contacts, (h, r) =>
      h.campaigns.push({
        campaignCode: String(r[1]),
        contactedAt: String(r[2]),
        controlGroup: Number(r[3]) === 1,
        respondedAt: r[4] === null || String(r[4]) > until ? null : String(r[4]),
      }),
    );
    return [...byId.values()];
  }
}
