import { describe, expect, it } from 'vitest';
import { type BatchingOptions, BatchScheduler } from '../../src/inference/batch-scheduler.js';
import type { ModelManifest } from '../../src/models/manifest.js';
import { type Route, versionFor } from '../../src/models/route.js';
import {
  CANARY_SCALE,
  canaryBucket,
  parseServingPolicy,
  versionOf,
} from '../../src/models/serving-policy.js';
import { compareOutputs, ShadowScoring, type Version } from '../../src/models/shadow-scoring.js';
import { customerId } from '../../src/offline/demo/demo-data.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => customerId(i));

describe('the serving policy schema', () => {
  const churn = (entry: object) => parseServingPolicy({ models: { churn: entry } }).models.churn!;

  it('accepts a canary share and a shadow, by label or version', () => {
    const p = churn({
      labels: { stable: '1', canary: '2' },
      default: 'stable',
      canary: { version: 'canary', percent: 12.5 },
      shadow: '3',
    });
    expect(p.canary).toEqual({ version: 'canary', percent: 12.5 });
    expect(versionOf(p, p.canary!.version)).toBe('2');
    expect(versionOf(p, p.shadow!)).toBe('3');
  });

  it('refuses undefined labels, shares outside 0-100 or finer than 0.01, and versions that do not load', () => {
    expect(() => churn({ canary: { version: 'canary', percent: 10 } })).toThrow(
      /canary\.version names label canary, which labels does not define/,
    );
    expect(() => churn({ shadow: 'ghost' })).toThrow(/shadow names label ghost/);
    expect(() => churn({ canary: { version: '2', percent: 101 } })).toThrow(/canary\.percent/);
    expect(() => churn({ canary: { version: '2', percent: -1 } })).toThrow(/canary\.percent/);
    expect(() => churn({ canary: { version: '2', percent: 0.001 } })).toThrow(/canary\.percent/);
    expect(() => churn({ canary: { version: '2' } })).toThrow(/canary\.percent/);
    expect(() => churn({ versions: { specific: ['1'] }, shadow: '2' })).toThrow(
      /shadow names version 2, which versions does not load/,
    );
    expect(() => churn({ canary: { version: '2', percent: 5, sticky: true } })).toThrow(/sticky/);
  });
});

describe('canary buckets', () => {
  it('spreads customer ids evenly: each tenth of the buckets holds a tenth of 100,000 ids', () => {
    const tenths = new Array(10).fill(0);
    for (const id of ids(100_000)) tenths[Math.floor((canaryBucket('churn', id) * 10) / CANARY_SCALE)]++;
    for (const n of tenths) expect(Math.abs(n - 10_000)).toBeLessThan(400);
  });

  it('is stable, differs between models, and a larger share keeps the customers of a smaller one', () => {
    expect(canaryBucket('churn', 'C0000042')).toBe(canaryBucket('churn', 'C0000042'));
    const sample = ids(2_000);
    const inChurn = sample.filter((id) => canaryBucket('churn', id) < 1_000);
    const inNbo = sample.filter((id) => canaryBucket('nbo', id) < 1_000);
    const both = inChurn.filter((id) => inNbo.includes(id)).length;
    // Independent draws of 10% overlap in about 1% of customers, not 10%.
    expect(both / sample.length).toBeLessThan(0.03);
    const in20 = new Set(sample.filter((id) => canaryBucket('churn', id) < 2_000));
    expect(inChurn.every((id) => in20.has(id))).toBe(true);
  });
});

/** A version answering its input's first value (binary) or its row as given (wider models). */
function version(
  v: string,
  outputs: number,
  output: Partial<ModelManifest['output']> = {},
  batching: Partial<BatchingOptions> = {},
  run?: (rows: number, data: Float32Array) => Promise<Float32Array>,
): Version {
  const options = { maxBatchSize: 8, maxQueueDelayUs: 0, maxQueueSize: 64, ...batching };
  return {
    name: 'm',
    version: v,
    outputs,
    batching: options,
    scheduler: new BatchScheduler(
      { name: 'm', version: v },
      options,
      outputs,
      outputs,
      run ?? (async (_rows, data) => data.slice()),
    ),
    manifest: {
      output: {
        kind: outputs === 1 ? 'binary_probability' : 'class_probabilities',
        labels: Array.from({ length: outputs }, (_, i) => `L${i}`),
        transform: 'none',
        excludeRecentItems: false,
        ...output,
      },
    },
  };
}

describe('routing by version', () => {
  const primary = version('1', 1);
  const canary = version('2', 1);
  const route = (buckets: number): Route =>
    ({ primary, canary: { model: canary, buckets }, shadow: undefined }) as unknown as Route;

  it('sends the canary its share of customers, rows without a customer to the primary unless the share is all', () => {
    const sample = ids(10_000);
    const share = sample.filter((id) => versionFor(route(1_000), id) === canary).length / sample.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(versionFor(route(1_000), undefined)).toBe(primary);
    expect(versionFor(route(CANARY_SCALE), undefined)).toBe(canary);
    expect(sample.every((id) => versionFor(route(0), id) === primary)).toBe(true);
  });
});

describe('comparing a shadow with the served version', () => {
  it('measures the mean absolute difference of probabilities and top-1 agreement by label', () => {
    const a = version('1', 1);
    const b = version('2', 1);
    const binary = compareOutputs(a, b, 2, Float32Array.of(0.2, 0.9), Float32Array.of(0.3, 0.5));
    expect(binary.absDifferenceSum).toBeCloseTo(0.1 + 0.4, 6);
    expect(binary.top1Agreements).toBeUndefined();

    // The shadow lists the same labels in another order: agreement is by label, not position.
    const classes = version('1', 3);
    const reordered = version('2', 3, { labels: ['L2', 'L0', 'L1'] });
    const served = Float32Array.of(0.7, 0.2, 0.1, 0.1, 0.1, 0.8);
    const shadowed = Float32Array.of(0.1, 0.7, 0.2, 0.1, 0.8, 0.1);
    const multi = compareOutputs(classes, reordered, 2, served, shadowed);
    expect(multi.top1Agreements).toBe(1);
  });

  it('compares regression values after the transform, in the served unit', () => {
    const a = version('1', 1, { kind: 'regression', transform: 'expm1' });
    const b = version('2', 1, { kind: 'regression', transform: 'none' });
    const r = compareOutputs(a, b, 1, Float32Array.of(Math.log1p(100)), Float32Array.of(90));
    expect(r.absDifferenceSum).toBeCloseTo(10, 3);
  });
});

describe('shadow scoring bounds', () => {
  it('compares after the answer, and drops rows beyond its in-flight bound, counted', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const primary = version('1', 1);
    const shadow = version('2', 1, {}, {}, async (_rows, data) => {
      await gate;
      return data.map((x) => x / 2);
    });
    const scoring = new ShadowScoring({ maxRowsInFlight: 4, backlog: () => false });
    const rows = Float32Array.of(0.4, 0.8, 0.2);
    scoring.offer(primary, shadow, 3, () => rows, rows);
    scoring.offer(primary, shadow, 3, () => rows, rows);
    expect(scoring.rowsInFlight).toBe(3);
    expect(scoring.stats.droppedRows.full).toBe(3);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(scoring.rowsInFlight).toBe(0);
    expect(scoring.stats.comparedRows).toBe(3);
  });

  it('drops first while batches wait for a worker, and when the shadow lacks inputs', () => {
    const primary = version('1', 1);
    const shadow = version('2', 1);
    let backlog = false;
    const scoring = new ShadowScoring({ maxRowsInFlight: 100, backlog: () => backlog });
    scoring.offer(primary, shadow, 1, () => undefined, Float32Array.of(0.5));
    expect(scoring.stats.droppedRows.inputs).toBe(1);
    backlog = true;
    scoring.offer(primary, shadow, 2, () => Float32Array.of(0.5, 0.5), Float32Array.of(0.5, 0.5));
    expect(scoring.stats.droppedRows.busy).toBe(2);
    expect(scoring.rowsInFlight).toBe(0);
  });
});
