import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/calendar.js';
import { emptyHistory } from '../../src/offline/history.js';
import { labelOf } from '../../src/training/labels.js';
import type { LabelDefinition } from '../../src/training/pipeline-config.js';

const customer = {
  customerId: 'C1',
  signupDate: '2024-01-01',
  tier: 'basic',
  region: 'north',
  plan: 'postpaid',
  birthYear: 1990,
};
const CUTOFF = '2025-06-30';
const LAST = dayNumber('2025-12-31');
const products = { codes: ['P1', 'P2', 'P3'], names: ['One', 'Two', 'Three'] };

function history() {
  const h = emptyHistory(customer);
  const line = (day: string, code: string) =>
    h.lines.push({
      occurredAt: `${day} 10:00:00`,
      productCode: code,
      category: 'data',
      quantity: 1,
      amountCents: 100,
    });
  line('2025-06-01', 'P1'); // recent at the cutoff
  line('2025-07-10', 'P1');
  line('2025-07-11', 'P2');
  line('2025-07-12', 'P2');
  line('2026-01-10', 'P3'); // after the window
  h.offers.push(
    { offerCode: 'B', offeredAt: '2025-07-01 09:00:00', acceptedAt: '2025-07-02 09:00:00' },
    { offerCode: 'A', offeredAt: '2025-07-05 09:00:00', acceptedAt: '2025-07-06 09:00:00' },
    { offerCode: 'C', offeredAt: '2025-07-06 09:00:00', acceptedAt: null },
  );
  h.bills.push(
    { issuedOn: '2025-06-30', dueOn: '2025-07-20', amountCents: 3_000, paidAt: '2025-07-19 10:00:00' },
    { issuedOn: '2025-07-31', dueOn: '2025-08-20', amountCents: 3_000, paidAt: '2025-09-25 10:00:00' },
  );
  return h;
}

const label = (l: Partial<LabelDefinition>): LabelDefinition => ({
  days: 90,
  events: [{ family: 'lines', where: {} }],
  aggregate: 'exists',
  ...l,
});

describe('generic labels', () => {
  it('exists, absent, count and sum read only the window after the cutoff', () => {
    const h = history();
    expect(labelOf(h, CUTOFF, label({}), LAST)).toBe(1);
    expect(labelOf(h, CUTOFF, label({ aggregate: 'absent' }), LAST)).toBe(0);
    expect(labelOf(h, CUTOFF, label({ aggregate: 'count' }), LAST)).toBe(3);
    expect(labelOf(h, CUTOFF, label({ aggregate: 'sum', field: 'amount' }), LAST)).toBe(3);
    expect(labelOf(h, '2025-10-31', label({ days: 30 }), LAST)).toBe(0);
  });

  it('filters by field values, lists and ranges, and a union of filters', () => {
    const h = history();
    const missed = label({ events: [{ family: 'bills', where: { status: 'missed' } }] });
    expect(labelOf(h, CUTOFF, missed, LAST)).toBe(1);
    const late = label({ events: [{ family: 'bills', where: { days_late: { gte: 1, lte: 10 } } }] });
    expect(labelOf(h, CUTOFF, late, LAST)).toBe(0);
    const either = label({
      events: [
        { family: 'offers', where: { offer: ['Z', 'C'], accepted: true } },
        { family: 'lines', where: { product: 'P2' } },
      ],
      aggregate: 'count',
    });
    expect(labelOf(h, CUTOFF, either, LAST)).toBe(2);
  });

  it('argmax takes the most frequent class, the earliest on a tie; none leaves the customer out', () => {
    const offers = { codes: ['A', 'B', 'C'], names: ['a', 'b', 'c'] };
    const accepted = label({
      events: [{ family: 'offers', where: { accepted: true } }],
      aggregate: 'argmax',
      field: 'offer',
      vocabulary: 'offer_types',
    });
    expect(labelOf(history(), CUTOFF, accepted, LAST, offers)).toBe(1); // B, accepted first
    expect(labelOf(history(), '2025-09-30', accepted, LAST, offers)).toBeUndefined();
  });

  it('items: a multi-hot row of the window, without recent purchases when asked; among leaves out', () => {
    const items = label({ days: 180, aggregate: 'items', field: 'product', vocabulary: 'products' });
    expect(Array.from(labelOf(history(), CUTOFF, items, LAST, products) as Float32Array)).toEqual([1, 1, 0]);
    const fresh = { ...items, excludeRecent: true };
    expect(Array.from(labelOf(history(), CUTOFF, fresh, LAST, products) as Float32Array)).toEqual([0, 1, 0]);
    const amongCampaigns = label({ among: [{ family: 'campaigns', where: { group: 'contacted' } }] });
    expect(labelOf(history(), CUTOFF, amongCampaigns, LAST)).toBeUndefined();
  });
});
