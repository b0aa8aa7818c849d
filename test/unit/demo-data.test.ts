import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { generateCustomer, generateCustomers, HISTORY_END } from '../../src/offline/demo/demo-data.js';
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
});
