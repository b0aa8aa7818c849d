import { describe, expect, it } from 'vitest';
import { dayNumber, formatDay } from '../../src/calendar.js';
import { DEMO_PRODUCTS } from '../../src/offline/demo/demo-catalog.js';
import { generateCustomers, HISTORY_END } from '../../src/offline/demo/demo-data.js';
import { type CustomerHistory, OFFER_TYPES } from '../../src/offline/history.js';
import { datasetFromHistories } from '../../src/training/dataset.js';
import {
  parsePipelineConfig,
  readPipelineConfig,
  type TargetConfig,
} from '../../src/training/pipeline-config.js';

const config = readPipelineConfig(new URL('../../models/pipeline.json', import.meta.url).pathname);
const histories = [...generateCustomers(42, 0, 1_500)];

/** A copy in which every record after the cutoff is changed, and new ones are added after it. */
function scrambleAfter(h: CustomerHistory, cutoff: string): CustomerHistory {
  const after = (time: string) => dayNumber(time) > dayNumber(cutoff);
  const dayAfter = `${formatDay(dayNumber(cutoff) + 1)} 10:00:00`;
  const nextOffer = (code: string) =>
    OFFER_TYPES[(OFFER_TYPES.findIndex((o) => o.code === code) + 1) % OFFER_TYPES.length]!.code;
  return {
    customer: h.customer,
    transactions: [
      ...h.transactions.map((t) => (after(t.occurredAt) ? { ...t, amountCents: t.amountCents * 7 + 1 } : t)),
      { occurredAt: dayAfter, amountCents: 99_999, channel: 'store' },
    ],
    usage: h.usage.map((u) => (dayNumber(u.month) > dayNumber(cutoff) ? { ...u, dataMb: 1 } : u)),
    points: h.points.map((p) => (after(p.occurredAt) ? { ...p, points: p.points * 2 } : p)),
    offers: h.offers.map((o) => (after(o.offeredAt) ? { ...o, offerCode: nextOffer(o.offerCode) } : o)),
    support: [...h.support, { occurredAt: dayAfter, reason: 'complaint' }],
    lines: [
      ...h.lines.map((l) =>
        after(l.occurredAt) ? { ...l, productCode: 'PRM-PLAN', category: 'premium' } : l,
      ),
      { occurredAt: dayAfter, productCode: 'TRV-EU', category: 'travel', quantity: 1, amountCents: 1_499 },
    ],
    // Payments made after the cutoff vanish: at the cutoff they had not happened.
    bills: h.bills.map((b) => (b.paidAt && after(b.paidAt) ? { ...b, paidAt: null } : b)),
    engagement: h.engagement.map((e) =>
      dayNumber(e.month) > dayNumber(cutoff) ? { ...e, appSessions: 999 } : e,
    ),
    campaigns: h.campaigns.map((c) =>
      after(c.contactedAt) ? { ...c, respondedAt: c.respondedAt ? null : dayAfter } : c,
    ),
  };
}

const options = {
  lastDay: HISTORY_END,
  vocabularies: {
    products: { codes: DEMO_PRODUCTS.map((p) => p.code), names: DEMO_PRODUCTS.map((p) => p.name) },
  },
};

/** A target's training set from the demo histories, and from the same histories scrambled after its cutoff. */
function withAndWithoutTheFuture(target: TargetConfig) {
  return {
    original: datasetFromHistories(histories, target, config.seed, config.split, options),
    scrambled: datasetFromHistories(
      histories.map((h) => scrambleAfter(h, target.cutoff)),
      target,
      config.seed,
      config.split,
      options,
    ),
  };
}

describe('training sets are point-in-time correct', () => {
  for (const target of config.models) {
    it(`${target.name}: changing everything after the cutoff ${target.cutoff} leaves the features as they were`, () => {
      const { original, scrambled } = withAndWithoutTheFuture(target);
      // The same customers, with the same feature values, row for row (a customer's k-th row: one
      // per cutoff, earlier cutoffs first, when the target pools several).
      const keys = (ids: readonly string[]) => {
        const seen = new Map<string, number>();
        return ids.map((id) => {
          const k = seen.get(id) ?? 0;
          seen.set(id, k + 1);
          return `${id}#${k}`;
        });
      };
      const byId = new Map(keys(scrambled.customerIds).map((key, i) => [key, i]));
      const d = original.featureNames.length;
      let compared = 0;
      keys(original.customerIds).forEach((key, i) => {
        const j = byId.get(key);
        if (j === undefined) return;
        compared++;
        expect(scrambled.x.subarray(j * d, (j + 1) * d)).toEqual(original.x.subarray(i * d, (i + 1) * d));
      });
      expect(compared).toBeGreaterThan(100);
    });
  }

  for (const target of config.models) {
    it(`${target.name}: the labels do come from after the cutoff (so the test above could fail)`, () => {
      const { original, scrambled } = withAndWithoutTheFuture(target);
      expect(Array.from(scrambled.y)).not.toEqual(Array.from(original.y));
    });
  }

  it('refuses a label that does not fit its task, or names a field its events lack', () => {
    const base = { seed: 1, split: { validation: 0.1, test: 0.1 } };
    const model = { name: 'x', version: '1', description: '', cutoff: '2025-01-01' };
    const sum = { days: 30, events: [{ family: 'transactions' }], aggregate: 'sum', field: 'amount' };
    const parse = (task: string, label: object) =>
      parsePipelineConfig({ ...base, models: [{ ...model, task, label }] });
    expect(() => parse('binary', sum)).toThrow(/a sum label needs task regression/);
    expect(() => parse('regression', { ...sum, field: 'colour' })).toThrow(
      /transactions has no field colour/,
    );
    expect(() =>
      parse('binary', {
        days: 30,
        events: [{ family: 'bills', where: { late: true } }],
        aggregate: 'exists',
      }),
    ).toThrow(/bills has no field late/);
    expect(() =>
      parse('multiclass', { days: 30, events: [{ family: 'offers' }], aggregate: 'argmax', field: 'offer' }),
    ).toThrow(/argmax needs vocabulary/);
    expect(() => parse('binary', { days: 30, events: [{ family: 'tweets' }], aggregate: 'exists' })).toThrow(
      /invalid pipeline config/,
    );
    expect(parse('regression', sum).models[0]!.label.aggregate).toBe('sum');
    expect(() =>
      parse('binary', {
        days: 30,
        events: [{ family: 'transactions' }],
        aggregate: 'exists',
        vocabularyTop: 5,
      }),
    ).toThrow(/vocabularyTop ranks products/);
    expect(() =>
      parsePipelineConfig({
        ...base,
        models: [{ ...model, task: 'regression', label: sum, earlierCutoffs: ['2024-12-01', '2025-01-01'] }],
      }),
    ).toThrow(/earlier cutoff 2025-01-01 is not before 2025-01-01/);
  });

  it('pools the rows of earlier cutoffs: one row per customer per cutoff, each with its own features and label, a customer in one split', () => {
    const target = config.models.find((m) => m.name === 'propensity_30d')!;
    const earlier = '2025-08-31';
    const one = datasetFromHistories(histories, target, config.seed, config.split, options);
    const before = datasetFromHistories(
      histories,
      { ...target, cutoff: earlier },
      config.seed,
      config.split,
      options,
    );
    const pooled = datasetFromHistories(
      histories,
      { ...target, earlierCutoffs: [earlier] },
      config.seed,
      config.split,
      options,
    );
    expect(pooled.customerIds.length).toBe(one.customerIds.length + before.customerIds.length);
    // Each row is the single-cutoff dataset's row of that customer at one of the two cutoffs.
    const d = target.features.length;
    const key = (ds: typeof one, i: number) =>
      `${ds.customerIds[i]}|${Array.from(ds.x.subarray(i * d, (i + 1) * d)).join(',')}|${ds.y[i]}`;
    const expected = new Set([
      ...one.customerIds.map((_, i) => key(one, i)),
      ...before.customerIds.map((_, i) => key(before, i)),
    ]);
    for (let i = 0; i < pooled.customerIds.length; i++) expect(expected.has(key(pooled, i))).toBe(true);
    const splitOf = new Map<string, number>();
    pooled.customerIds.forEach((id, i) => {
      expect(splitOf.get(id) ?? pooled.split[i]).toBe(pooled.split[i]);
      splitOf.set(id, pooled.split[i]!);
    });
  });
});
