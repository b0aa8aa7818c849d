import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { generateCustomer } from '../../src/offline/demo/demo-data.js';
import { computeFeatures } from '../../src/offline/features/compute-features.js';
import { type CustomerHistory, emptyHistory } from '../../src/offline/history.js';

const feature = (values: Float64Array, name: (typeof FEATURE_NAMES)[number]) =>
  values[FEATURE_NAMES.indexOf(name)];

function sample(): CustomerHistory {
  const h = emptyHistory({
    customerId: 'C1',
    signupDate: '2024-01-15',
    tier: 'gold',
    region: 'north',
    plan: 'postpaid',
    birthYear: 1990,
  });
  h.transactions.push(
    { occurredAt: '2024-03-01 10:00:00', amountCents: 10_000, channel: 'store' },
    { occurredAt: '2025-10-15 10:00:00', amountCents: 4_000, channel: 'app' },
    { occurredAt: '2025-12-20 10:00:00', amountCents: 6_000, channel: 'app' },
  );
  h.points.push(
    { occurredAt: '2025-10-31 23:00:00', points: 300, kind: 'earn' },
    { occurredAt: '2025-11-10 12:00:00', points: -200, kind: 'redeem' },
  );
  h.usage.push(
    { month: '2025-09-01', dataMb: 3072, voiceMinutes: 90, smsCount: 1 },
    { month: '2025-10-01', dataMb: 3072, voiceMinutes: 120, smsCount: 1 },
    { month: '2025-11-01', dataMb: 3072, voiceMinutes: 150, smsCount: 1 },
    { month: '2025-12-01', dataMb: 9999, voiceMinutes: 9999, smsCount: 1 },
  );
  h.offers.push(
    { offerCode: 'DATA_BOOST', offeredAt: '2025-06-01 10:00:00', acceptedAt: '2025-06-02 10:00:00' },
    { offerCode: 'ROAMING_PACK', offeredAt: '2025-12-28 10:00:00', acceptedAt: null },
  );
  h.support.push({ occurredAt: '2025-12-01 09:00:00', reason: 'billing' });
  return h;
}

describe('computeFeatures', () => {
  it('computes the documented features of a hand-made history', () => {
    const c = computeFeatures(sample(), '2025-12-30')!;
    const f = c.features;
    expect(feature(f, 'tenure_days')).toBe(715);
    expect(feature(f, 'recency_days')).toBe(10);
    expect(feature(f, 'txn_count_90d')).toBe(2);
    expect(feature(f, 'txn_count_365d')).toBe(2);
    expect(feature(f, 'spend_90d')).toBe(100);
    expect(feature(f, 'spend_365d')).toBe(100);
    expect(feature(f, 'avg_ticket_365d')).toBe(50);
    expect(feature(f, 'points_balance')).toBe(100);
    expect(feature(f, 'redemptions_365d')).toBe(1);
    // December is not over on the 30th: the last three whole months are Sep-Nov.
    expect(feature(f, 'data_gb_avg_3m')).toBe(3);
    expect(feature(f, 'voice_min_avg_3m')).toBe(120);
    expect(feature(f, 'support_contacts_90d')).toBe(1);
    expect(feature(f, 'offer_accept_rate_365d')).toBe(0.5);
    expect(feature(f, 'tier_level')).toBe(2);
    expect(feature(f, 'age_years')).toBe(35);
    expect(c.rfm).toEqual({ recencyDays: 10, frequency: 3, monetaryCents: 20_000 });
  });

  it('uses the days since sign-up as recency of a customer who never bought', () => {
    const h = emptyHistory({
      customerId: 'C2',
      signupDate: '2025-12-01',
      tier: 'basic',
      region: 'x',
      plan: 'prepaid',
      birthYear: null,
    });
    expect(computeFeatures(h, '2025-12-31')!.rfm).toEqual({
      recencyDays: 30,
      frequency: 0,
      monetaryCents: 0,
    });
  });

  it('returns nothing for a customer who signed up after the as-of date', () => {
    expect(computeFeatures(sample(), '2024-01-14')).toBeUndefined();
  });

  it('counts an offer accepted after the as-of date as not accepted', () => {
    const h = sample();
    h.offers = [
      { offerCode: 'DATA_BOOST', offeredAt: '2025-12-29 10:00:00', acceptedAt: '2025-12-31 10:00:00' },
    ];
    expect(feature(computeFeatures(h, '2025-12-30')!.features, 'offer_accept_rate_365d')).toBe(0);
    expect(feature(computeFeatures(h, '2025-12-31')!.features, 'offer_accept_rate_365d')).toBe(1);
  });

  it('is point-in-time: nothing after the as-of date changes a demo customer’s features', () => {
    for (let i = 0; i < 200; i++) {
      const full = generateCustomer(11, i);
      const asOf = '2024-12-31';
      const before = computeFeatures(full, asOf);
      const truncated: CustomerHistory = {
        customer: full.customer,
        transactions: full.transactions.filter((t) => t.occurredAt <= `${asOf} 23:59:59`),
        usage: full.usage.filter((u) => u.month <= asOf),
        points: full.points.filter((p) => p.occurredAt <= `${asOf} 23:59:59`),
        offers: full.offers
          .filter((o) => o.offeredAt <= `${asOf} 23:59:59`)
          .map((o) => ({
            ...o,
            acceptedAt: o.acceptedAt && o.acceptedAt <= `${asOf} 23:59:59` ? o.acceptedAt : null,
          })),
        support: full.support.filter((s) => s.occurredAt <= `${asOf} 23:59:59`),
        lines: full.lines.filter((l) => l.occurredAt <= `${asOf} 23:59:59`),
        bills: full.bills
          .filter((b) => b.issuedOn <= asOf)
          .map((b) => ({ ...b, paidAt: b.paidAt && b.paidAt <= `${asOf} 23:59:59` ? b.paidAt : null })),
        engagement: full.engagement.filter((e) => e.month <= asOf),
        campaigns: full.campaigns
          .filter((c) => c.contactedAt <= `${asOf} 23:59:59`)
          .map((c) => ({
            ...c,
            respondedAt: c.respondedAt && c.respondedAt <= `${asOf} 23:59:59` ? c.respondedAt : null,
          })),
      };
      expect(computeFeatures(truncated, asOf)).toEqual(before);
    }
  });
});
