import { describe, expect, it } from 'vitest';
import { audienceQuery, holdoutDraw, parseAudience } from '../../src/audiences/audience.js';
import { HISTOGRAM_BINS, SummaryBuilder } from '../../src/audiences/audience-summary.js';
import { TopRows } from '../../src/audiences/top-rows.js';
import { RunLimit } from '../../src/console/run-limit.js';
import { LoyaltyError } from '../../src/errors.js';
import type { HttpError } from '../../src/http/responses.js';

const parse = (q: string) => parseAudience(new URLSearchParams(q));
const refused = (q: string) => {
  try {
    parse(q);
  } catch (err) {
    expect(err).toBeInstanceOf(LoyaltyError);
    return (err as Error).message;
  }
  throw new Error(`accepted: ${q}`);
};

describe('an audience as a query', () => {
  it('reads every condition and writes it back in one canonical order', () => {
    const a = parse(
      'columns=ltv,segment&holdout=10&optout=1&contacted=30&features=tenure_days:365:,support_contacts_90d::3' +
        '&where=ltv:min:500,upsell:band:high|medium&top=500&bands=high&tiers=gold&segments=AT_RISK,LOST&model=churn',
    );
    expect(a).toEqual({
      model: 'churn',
      segments: ['AT_RISK', 'LOST'],
      tiers: ['gold'],
      bands: ['high'],
      threshold: undefined,
      top: 500,
      where: [
        { model: 'ltv', op: 'min', value: 500 },
        { model: 'upsell', op: 'band', bands: ['high', 'medium'] },
      ],
      features: [
        { feature: 'tenure_days', min: 365, max: undefined },
        { feature: 'support_contacts_90d', min: undefined, max: 3 },
      ],
      notContactedDays: 30,
      contactsUpTo: undefined,
      excludeOptedOut: true,
      holdout: 0.1,
      columns: ['ltv', 'segment'],
    });
    const canonical = audienceQuery(a).toString();
    expect(canonical.startsWith('model=churn&segments=AT_RISK%2CLOST&tiers=gold&bands=high&top=500')).toBe(
      true,
    );
    // Read back, it is the same audience, and written again the same text.
    expect(parseAudience(new URLSearchParams(canonical))).toEqual(a);
    expect(audienceQuery(parseAudience(new URLSearchParams(canonical))).toString()).toBe(canonical);
  });

  it('keeps the first lists working: no columns parameter means the default columns', () => {
    const a = parse('model=churn&threshold=0.3');
    expect(a.columns).toEqual(['model_version', 'risk_band', 'top_label', 'unit', 'segment', 'tier']);
    expect(a.holdout).toBe(0);
    expect(parse('model=churn&columns=').columns).toEqual([]);
  });

  it('refuses each malformed part, naming it', () => {
    expect(refused('threshold=1')).toMatch(/model is required/);
    expect(refused('model=churn&segments=GOLDEN')).toMatch(/not a segment/);
    expect(refused('model=churn&bands=extreme')).toMatch(/not a risk band/);
    expect(refused('model=churn&top=0')).toMatch(/top must be/);
    expect(refused('model=churn&top=100001')).toMatch(/top must be/);
    expect(refused('model=churn&threshold=abc')).toMatch(/threshold must be a number/);
    expect(refused('model=churn&where=ltv:above:5')).toMatch(/not band, min or max/);
    expect(refused('model=churn&where=ltv:min:')).toMatch(/needs a number/);
    expect(refused('model=churn&where=ltv:min:1:2')).toMatch(/is not model/);
    expect(refused('model=churn&features=password:1:2')).toMatch(/not feature:min:max/);
    expect(refused('model=churn&features=tenure_days::')).toMatch(/needs a min, a max or both/);
    expect(refused('model=churn&features=tenure_days:9:1')).toMatch(/above max/);
    expect(refused('model=churn&contacted=0')).toMatch(/contacted is a number of days/);
    expect(refused('model=churn&at=2025-02-30')).toMatch(/at is a day/);
    expect(parse('model=churn&at=2025-12-31').contactsUpTo).toBe('2025-12-31');
    expect(refused('model=churn&holdout=60')).toMatch(/holdout is a percentage/);
    expect(refused('model=churn&columns=password')).toMatch(/not one of/);
    expect(refused(`model=churn&where=${'ltv:min:1,'.repeat(9)}`)).toMatch(/at most 8/);
    expect(refused(`model=churn&tiers=${'a'.repeat(2_001)}`)).toMatch(/at most 2000 characters/);
  });
});

describe('the holdout draw', () => {
  it('is uniform, the same for the same audience, and another for another', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `C${String(i).padStart(7, '0')}`);
    const draws = ids.map((id) => holdoutDraw('model=churn', id));
    const bins = new Array(10).fill(0);
    for (const d of draws) bins[Math.floor(d * 10)]++;
    // 2,000 a bin expected: a binomial standard deviation of ~42; 5 of them is far beyond chance.
    for (const b of bins) expect(Math.abs(b - 2_000)).toBeLessThan(210);
    expect(ids.map((id) => holdoutDraw('model=churn', id))).toEqual(draws);
    const other = ids.map((id) => holdoutDraw('model=churn&top=5', id));
    const same = other.filter((d, i) => d < 0.1 === draws[i]! < 0.1).length;
    expect(same).toBeLessThan(ids.length * 0.85);
  });
});

describe('an audience summary', () => {
  it('bins known ranges exactly and counts segment x tier cells, largest first', () => {
    const s = new SummaryBuilder([0, 1]);
    s.add(0, 'LOST', 'gold', false);
    s.add(0.51, 'LOST', 'gold', true);
    s.add(1, 'AT_RISK', 'basic', false);
    s.add(Number.NaN, 'AT_RISK', 'basic', false);
    const out = s.summary();
    expect(out.count).toBe(4);
    expect(out.holdout).toBe(1);
    expect(out.histogram.counts).toHaveLength(HISTOGRAM_BINS);
    expect(out.histogram.counts[0]).toBe(1);
    expect(out.histogram.counts[10]).toBe(1);
    expect(out.histogram.counts[HISTOGRAM_BINS - 1]).toBe(1);
    expect(out.breakdown).toEqual([
      { segment: 'AT_RISK', tier: 'basic', count: 2 },
      { segment: 'LOST', tier: 'gold', count: 2 },
    ]);
  });

  it('bins an unknown range over a bounded sample scaled to every score seen', () => {
    const s = new SummaryBuilder(undefined);
    for (let i = 0; i < 50_000; i++) s.add(i % 1_000, 'LOST', 'gold', false);
    const { histogram } = s.summary();
    expect(histogram.from).toBe(0);
    expect(histogram.to).toBe(999);
    const total = histogram.counts.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 50_000)).toBeLessThan(50);
    // Uniform scores: every bin near 2,500 (a 10,000 sample: ~5% noise a bin).
    for (const c of histogram.counts) expect(Math.abs(c - 2_500)).toBeLessThan(500);
  });
});

describe('a top N list', () => {
  type Row = [string, number];
  const top = (n: number) =>
    new TopRows<Row>(
      n,
      (r) => r[1],
      (r) => r[0],
    );

  it('keeps the N highest scores, best first, ties to the lower id, no score left out', () => {
    const t = top(3);
    for (const r of [
      ['C1', 0.2],
      ['C2', 0.9],
      ['C3', 0.5],
      ['C4', 0.9],
      ['C5', 0.1],
      ['C6', 0.7],
      ['C7', Number.NaN],
    ] as Row[])
      t.offer(r);
    expect(t.sorted().map((r) => r[0])).toEqual(['C2', 'C4', 'C6']);
  });

  it('agrees with a full sort on many random rows', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const rows: Row[] = Array.from({ length: 5_000 }, (_, i) => [
      `C${String(i).padStart(5, '0')}`,
      Math.round(random() * 1000) / 1000,
    ]);
    const t = top(100);
    for (const r of rows) t.offer(r);
    const expected = [...rows].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 100);
    expect(t.sorted()).toEqual(expected);
  });
});

describe('the limit on lists built at once', () => {
  const status = async (p: Promise<unknown>) => {
    try {
      await p;
      return 200;
    } catch (err) {
      return (err as HttpError).httpStatus;
    }
  };

  it('refuses a third list while two build (429), a second export of one audience (409), and frees both', async () => {
    const limit = new RunLimit(2);
    const ends: (() => void)[] = [];
    const held = () => new Promise<void>((resolve) => ends.push(resolve));
    const first = limit.run('', held);
    const second = limit.run('gold', held);
    expect(await status(limit.run('', async () => {}))).toBe(429);
    ends[0]!();
    await first;
    // One slot free again, but the audience being exported is not exported twice.
    expect(await status(limit.run('gold', async () => {}))).toBe(409);
    expect(await status(limit.run('silver', async () => {}))).toBe(200);
    ends[1]!();
    await second;
    expect(await status(limit.run('gold', async () => {}))).toBe(200);
    // A list that fails frees its slot too.
    await expect(limit.run('gold', async () => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    expect(
      await status(Promise.all([limit.run('gold', async () => {}), limit.run('', async () => {})])),
    ).toBe(200);
  });
});
