import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { DEMO_PRODUCTS } from '../../src/offline/demo/demo-catalog.js';
import {
  DEMO_CAMPAIGNS,
  generateCustomer,
  generateCustomers,
  generateCustomerWithTruth,
  HISTORY_END,
} from '../../src/offline/demo/demo-data.js';
import { computeFeatures } from '../../src/offline/features/compute-features.js';
import { OFFER_TYPES } from '../../src/offline/history.js';

const N = 4_000;
const base = [...generateCustomers(42, 0, N)];
const spendOf = (h: (typeof base)[number]) => h.transactions.reduce((s, t) => s + t.amountCents, 0);

describe('demo data generator', () => {
  it('makes the same customer from the same seed and index, and another from another seed', () => {
    expect(generateCustomer(42, 123)).toEqual(generateCustomer(42, 123));
    expect(generateCustomer(43, 123)).not.toEqual(generateCustomer(42, 123));
  });

  it('keeps every record inside the history and after sign-up', () => {
    const end = `${HISTORY_END} 23:59:59`;
    for (const h of base.slice(0, 500)) {
      for (const t of h.transactions) {
        expect(t.occurredAt <= end).toBe(true);
        expect(t.occurredAt.slice(0, 10) >= h.customer.signupDate).toBe(true);
        expect(t.amountCents).toBeGreaterThan(0);
      }
    }
  });

  it('has heavy-tailed spend: the top 10% of customers bring over 40% of revenue', () => {
    const spend = base.map(spendOf).sort((a, b) => b - a);
    const total = spend.reduce((s, v) => s + v, 0);
    const top = spend.slice(0, N / 10).reduce((s, v) => s + v, 0);
    expect(top / total).toBeGreaterThan(0.4);
  });

  it('plants drift before churn: at a cutoff, future churners already show fading spend and more support contacts', () => {
    const cutoff = '2025-06-30';
    const groups = { churners: [] as Float64Array[], stayers: [] as Float64Array[] };
    // Service usage is recorded for every whole month a customer is still with us.
    for (const h of base) {
      const months = new Set(h.usage.map((u) => u.month));
      if (!months.has('2025-06-01')) continue;
      const features = computeFeatures(h, cutoff)!.features;
      (months.has('2025-09-01') ? groups.stayers : groups.churners).push(features);
    }
    const mean = (rows: Float64Array[], name: (typeof FEATURE_NAMES)[number]) =>
      rows.reduce((s, f) => s + f[FEATURE_NAMES.indexOf(name)]!, 0) / rows.length;
    expect(groups.churners.length).toBeGreaterThan(100);
    expect(mean(groups.churners, 'support_contacts_90d')).toBeGreaterThan(
      1.5 * mean(groups.stayers, 'support_contacts_90d'),
    );
    expect(mean(groups.churners, 'spend_trend')).toBeLessThan(0.8 * mean(groups.stayers, 'spend_trend'));
    expect(mean(groups.churners, 'recency_days')).toBeGreaterThan(1.5 * mean(groups.stayers, 'recency_days'));
  });

  it('plants offer affinity: acceptance rates differ across offers', () => {
    const rates = OFFER_TYPES.map(({ code }) => {
      const offers = base.flatMap((h) => h.offers.filter((o) => o.offerCode === code));
      return offers.filter((o) => o.acceptedAt).length / offers.length;
    });
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.05);
  });

  it('splits every purchase into product lines that add up to its amount, from the catalogue', () => {
    const codes = new Set(DEMO_PRODUCTS.map((p) => p.code));
    for (const h of base.slice(0, 500)) {
      const byTime = new Map<string, number>();
      for (const l of h.lines) {
        expect(codes.has(l.productCode)).toBe(true);
        byTime.set(l.occurredAt, (byTime.get(l.occurredAt) ?? 0) + l.amountCents);
      }
      const purchases = new Map<string, number>();
      for (const t of h.transactions)
        purchases.set(t.occurredAt, (purchases.get(t.occurredAt) ?? 0) + t.amountCents);
      expect(byTime).toEqual(purchases);
    }
  });

  it('plants payment trouble: postpaid customers only, and a late payment predicts a missed one', () => {
    for (const h of base) if (h.customer.plan === 'prepaid') expect(h.bills).toEqual([]);
    const missedLater = { late: [] as number[], punctual: [] as number[] };
    for (const h of base) {
      const first = h.bills.filter((b) => b.dueOn >= '2025-01-01' && b.dueOn < '2025-07-01');
      const next = h.bills.filter((b) => b.dueOn >= '2025-07-01' && b.dueOn < '2025-11-01');
      if (first.length < 5 || next.length === 0) continue;
      const wasLate = first.some((b) => b.paidAt === null || b.paidAt.slice(0, 10) > b.dueOn);
      const missed = next.some((b) => b.paidAt === null) ? 1 : 0;
      (wasLate ? missedLater.late : missedLater.punctual).push(missed);
    }
    const rate = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(missedLater.late.length).toBeGreaterThan(100);
    expect(rate(missedLater.late)).toBeGreaterThan(2 * rate(missedLater.punctual));
  });

  it('plants engagement: younger customers use the app more, and a month predicts the next', () => {
    const sessions = (h: (typeof base)[number]) =>
      h.engagement.reduce((s, e) => s + e.appSessions, 0) / Math.max(1, h.engagement.length);
    const young = base.filter((h) => 2025 - h.customer.birthYear! < 30 && h.engagement.length >= 6);
    const old = base.filter((h) => 2025 - h.customer.birthYear! >= 45 && h.engagement.length >= 6);
    const mean = (hs: typeof base) => hs.reduce((s, h) => s + sessions(h), 0) / hs.length;
    expect(mean(young)).toBeGreaterThan(1.5 * mean(old));
    // Month-to-month correlation of app sessions.
    const pairs = base.flatMap((h) =>
      h.engagement.slice(1).map((e, i) => [h.engagement[i]!.appSessions, e.appSessions]),
    );
    const mx = pairs.reduce((s, p) => s + p[0]!, 0) / pairs.length;
    const my = pairs.reduce((s, p) => s + p[1]!, 0) / pairs.length;
    let cov = 0;
    let vx = 0;
    let vy = 0;
    for (const [x, y] of pairs) {
      cov += (x! - mx) * (y! - my);
      vx += (x! - mx) ** 2;
      vy += (y! - my) ** 2;
    }
    expect(cov / Math.sqrt(vx * vy)).toBeGreaterThan(0.6);
  });

  it('plants campaigns with a random 10% control group and four response types: persuadables, sure things, do-not-disturbs, lost causes', () => {
    const picks = base.flatMap((h) => h.campaigns);
    const control = picks.filter((c) => c.controlGroup);
    const contacted = picks.filter((c) => !c.controlGroup);
    expect(control.length / picks.length).toBeGreaterThan(0.08);
    expect(control.length / picks.length).toBeLessThan(0.12);
    const rate = (cs: typeof picks) => cs.filter((c) => c.respondedAt !== null).length / cs.length;
    expect(rate(contacted)).toBeGreaterThan(1.5 * rate(control));
    // By type, the measured rates: contacted vs control.
    const truth = Array.from({ length: N }, (_, i) => generateCustomerWithTruth(42, i));
    expect(truth.map((t) => t.history)).toEqual(base);
    const rates = (type: string) => {
      const of = truth.filter((t) => t.responseType === type).flatMap((t) => t.history.campaigns);
      return {
        contacted: rate(of.filter((c) => !c.controlGroup)),
        control: rate(of.filter((c) => c.controlGroup)),
      };
    };
    const persuadable = rates('persuadable');
    expect(persuadable.contacted).toBeGreaterThan(persuadable.control + 0.15);
    const sure = rates('sure_thing');
    expect(sure.control).toBeGreaterThan(0.25);
    expect(Math.abs(sure.contacted - sure.control)).toBeLessThan(0.06);
    const dnd = rates('do_not_disturb');
    expect(dnd.contacted).toBeLessThan(dnd.control - 0.04);
    const lost = rates('lost_cause');
    expect(lost.contacted).toBeLessThan(0.08);
    expect(lost.control).toBeLessThan(0.08);
    // Picked customers are active ones: about a quarter of the base each month.
    const codes = new Set(DEMO_CAMPAIGNS.map((c) => c.code));
    for (const c of picks) expect(codes.has(c.campaignCode)).toBe(true);
  });
});
