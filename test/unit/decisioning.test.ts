import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Action, parseActionCatalog } from '../../src/decisioning/action-catalog.js';
import { probabilityOf, rankActions, type WeighedAction } from '../../src/decisioning/action-scorer.js';
import { campaignOutcomes, liftOf } from '../../src/decisioning/campaign-outcomes.js';
import { contactBlocks, ineligibility, policyWindowDays } from '../../src/decisioning/eligibility.js';
import { inControl } from '../../src/decisioning/plan-campaign.js';
import { FEATURE_NAMES, type FeatureRow } from '../../src/features/feature-set.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';

const DAY = 86_400_000;

const catalog = (actions: unknown[], extra: Record<string, unknown> = {}) =>
  parseActionCatalog({ currency: 'EUR', actions, ...extra });

const action = (over: Record<string, unknown> = {}) => ({
  code: 'email_offer',
  name: 'An offer',
  channel: 'email',
  value: { amount: 20 },
  cost: 0.5,
  effect: { model: 'campaign_uplift' },
  ...over,
});

function row(over: Partial<FeatureRow> & { values?: Record<string, number> } = {}): FeatureRow {
  const features = FEATURE_NAMES.map((f) => over.values?.[f] ?? 0);
  return {
    customerId: 'C1',
    asOf: '2025-12-31',
    tier: over.tier ?? 'silver',
    features,
    rfm: { recencyDays: 1, frequency: 1, monetaryCents: 100 },
    scores: over.scores ?? { r: 1, f: 1, m: 1, segment: 'AT_RISK' },
    recentItems: [],
  };
}

describe('action catalogue', () => {
  it('parses a catalogue with defaults, and refuses what would be ambiguous or wrong, naming the field', () => {
    const c = catalog([action()]);
    expect(c.contactPolicy).toEqual({ caps: [], quietDays: 0 });
    expect(c.actions[0]!.eligibility).toEqual({});
    expect(() => catalog([action(), action()])).toThrow(/email_offer is declared twice/);
    expect(() =>
      catalog([action({ eligibility: { features: { spend_365d: { gte: 5, lte: 1 } } } })]),
    ).toThrow(/spend_365d: gte 5 is above lte 1/);
    expect(() => catalog([action({ eligibility: { features: { no_such: { gte: 1 } } } })])).toThrow(
      /features/,
    );
    expect(() => catalog([action({ eligibility: { segments: ['NEEDS_ATTENTION'] } })])).toThrow(/segments/);
    expect(() => catalog([action({ cost: -1 })])).toThrow(/cost/);
    expect(() => catalog([action({ value: { model: 'ltv', share: 2 } })])).toThrow(/value/);
    expect(() => catalog([])).toThrow(/actions/);
    expect(() => catalog([action({ code: '__proto__' })])).toThrow(/code/);
  });
});

describe('eligibility and the contact policy', () => {
  const a = (e: unknown) => catalog([action({ eligibility: e })]).actions[0]! as Action;

  it('names each rule an action breaks: segment, tier, feature ranges (inclusive)', () => {
    const r = row({ tier: 'gold', values: { spend_365d: 100, tenure_days: 30 } });
    expect(ineligibility(a({}), r)).toEqual([]);
    expect(ineligibility(a({ segments: ['CHAMPIONS'], tiers: ['basic'] }), r)).toEqual(['SEGMENT', 'TIER']);
    expect(ineligibility(a({ features: { spend_365d: { gte: 100 }, tenure_days: { lte: 30 } } }), r)).toEqual(
      [],
    );
    expect(
      ineligibility(a({ features: { spend_365d: { gte: 100.5 }, tenure_days: { gte: 0, lte: 29 } } }), r),
    ).toEqual(['FEATURE:spend_365d', 'FEATURE:tenure_days']);
  });

  it('counts contacts in (now - days, now] per channel and for any channel, and the quiet period', () => {
    const policy = catalog([action()], {
      contactPolicy: {
        caps: [
          { channel: 'any', max: 2, days: 30 },
          { channel: 'sms', max: 1, days: 7 },
        ],
        quietDays: 2,
      },
    }).contactPolicy;
    const now = Date.parse('2026-01-31T12:00:00Z');
    expect(policyWindowDays(policy)).toBe(30);
    expect(contactBlocks(policy, [], 'sms', now)).toEqual([]);
    // One sms 3 days ago: the sms cap (1 in 7 days) binds for sms only; no quiet period.
    const sms = [{ at: now - 3 * DAY, channel: 'sms' }];
    expect(contactBlocks(policy, sms, 'sms', now)).toEqual(['CAP:sms:1/7d']);
    expect(contactBlocks(policy, sms, 'email', now)).toEqual([]);
    // Exactly 7 days ago is outside (now - 7d, now]; a contact after `now` is not counted.
    expect(contactBlocks(policy, [{ at: now - 7 * DAY, channel: 'sms' }], 'sms', now)).toEqual([]);
    expect(contactBlocks(policy, [{ at: now + DAY, channel: 'sms' }], 'sms', now)).toEqual([]);
    // A contact yesterday: quiet; two in the month: the any cap binds for every channel.
    expect(contactBlocks(policy, [{ at: now - DAY, channel: 'push' }], 'email', now)).toEqual([
      'QUIET_PERIOD',
    ]);
    const two = [
      { at: now - 10 * DAY, channel: 'push' },
      { at: now - 20 * DAY, channel: 'email' },
    ];
    expect(contactBlocks(policy, two, 'email', now)).toEqual(['CAP:any:2/30d']);
  });
});

describe('weighing and ranking', () => {
  it('reads the probability an effect model gives: uplift, binary, one label; none for other outputs', () => {
    expect(probabilityOf({ kind: 'uplift', uplift: 0.1, treated: 0.3, untreated: 0.2 }, undefined)).toBe(0.1);
    expect(
      probabilityOf({ kind: 'binary_probability', label: 'x', probability: 0.4, riskBand: 'low' }, undefined),
    ).toBe(0.4);
    const classes = {
      kind: 'class_probabilities' as const,
      labels: [
        { code: 'A', name: 'A', probability: 0.7, rank: 1 },
        { code: 'B', name: 'B', probability: 0.3, rank: 2 },
      ],
    };
    expect(probabilityOf(classes, 'B')).toBe(0.3);
    expect(probabilityOf(classes, 'C')).toBeUndefined();
    expect(
      probabilityOf(
        { kind: 'regression', value: 3, money: undefined, horizonMonths: 0, unit: '', forecast: undefined },
        undefined,
      ),
    ).toBeUndefined();
  });

  it('ranks eligible actions first by expected net value, then the excluded ones', () => {
    const w = (code: string, expectedNet: number, excludedBy: string[] = []): WeighedAction => ({
      action: { ...catalog([action({ code })]).actions[0]! },
      probability: 0,
      value: 0,
      expectedNet,
      excludedBy,
    });
    const ranked = rankActions([w('a', 5, ['TIER']), w('b', 1), w('c', 3), w('d', 9, ['QUIET_PERIOD'])]);
    expect(ranked.map((r) => r.action.code)).toEqual(['c', 'b', 'd', 'a']);
  });
});

describe('campaign outcomes and control groups', () => {
  it('answers FAILED_PRECONDITION for a store with no campaign history, and refuses bad campaign codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcomes-'));
    const backend = new SqliteBackend(join(dir, 'empty.sqlite'));
    try {
      await expect(campaignOutcomes(backend, ['CMP-1'], false)).rejects.toMatchObject({ code: 9 });
      await expect(campaignOutcomes(backend, ["x' OR 1=1"], false)).rejects.toMatchObject({ code: 3 });
      await expect(campaignOutcomes(backend, [], false)).rejects.toMatchObject({ code: 3 });
    } finally {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lift and its 95% interval (normal approximation of a difference of proportions)', () => {
    const l = liftOf('X', '', { customers: 1000, responders: 200 }, { customers: 400, responders: 40 });
    expect(l.treatedRate).toBe(0.2);
    expect(l.controlRate).toBe(0.1);
    expect(l.lift).toBeCloseTo(0.1, 12);
    const se = Math.sqrt((0.2 * 0.8) / 1000 + (0.1 * 0.9) / 400);
    expect(l.low).toBeCloseTo(0.1 - 1.959964 * se, 6);
    expect(l.high).toBeCloseTo(0.1 + 1.959964 * se, 6);
    expect(
      Number.isNaN(liftOf('Y', '', { customers: 10, responders: 1 }, { customers: 0, responders: 0 }).lift),
    ).toBe(true);
  });

  it('draws a control group of the share asked, the same for the same plan, another for another plan', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `C${String(i).padStart(7, '0')}`);
    const share = ids.filter((id) => inControl('p1', id, 0.1)).length / ids.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(ids.filter((id) => inControl('p1', id, 0.1))).toEqual(
      ids.filter((id) => inControl('p1', id, 0.1)),
    );
    const other = ids.filter((id) => inControl('p2', id, 0.1));
    const overlap = other.filter((id) => inControl('p1', id, 0.1)).length / other.length;
    expect(overlap).toBeLessThan(0.15);
    expect(ids.some((id) => inControl('p1', id, 0))).toBe(false);
  });
});
