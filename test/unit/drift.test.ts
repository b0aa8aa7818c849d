import { describe, expect, it } from 'vitest';
import { driftFromMetrics } from '../../src/drift/drift-sources.js';
import { driftValue } from '../../src/drift/drift-value.js';
import { DriftWindow } from '../../src/drift/drift-window.js';
import { formatDriftReport } from '../../src/drift/format-report.js';
import {
  binOf,
  categoryBins,
  continuousBins,
  populationStabilityIndex,
  SHARE_FLOOR,
} from '../../src/drift/reference.js';
import { Random } from '../../src/random.js';

const sample = (n: number, draw: (r: Random) => number, seed = 1) => {
  const random = new Random(seed);
  return Float64Array.from({ length: n }, () => draw(random));
};

describe('reference bins', () => {
  it('cuts deciles, ten bins of a tenth each for a continuous value', () => {
    const bins = continuousBins(Float64Array.from({ length: 1000 }, (_, i) => i));
    expect(bins.edges).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(bins.shares).toHaveLength(10);
    for (const share of bins.shares) expect(share).toBeCloseTo(0.1, 2);
    expect(bins.median).toBe(500);
  });

  it('merges repeated deciles: a point mass keeps its share in one bin', () => {
    // 60% zeros, then 1..400: the first six deciles are all 0.
    const values = [...new Array<number>(600).fill(0), ...Array.from({ length: 400 }, (_, i) => i + 1)];
    const bins = continuousBins(values);
    expect(bins.edges[0]).toBe(0);
    expect(bins.shares[0]).toBeCloseTo(0.6, 5);
    expect(new Set(bins.edges).size).toBe(bins.edges.length);
    expect(bins.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // A constant value: one bin.
    expect(continuousBins([3, 3, 3])).toEqual({ edges: [], shares: [1], median: 3 });
  });

  it('puts a value in the first bin whose edge it does not exceed', () => {
    const edges = [0, 10, 20];
    expect([-5, 0, 0.1, 10, 15, 20, 21].map((v) => binOf(edges, v))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(binOf([], 5)).toBe(0);
  });

  it('gives one bin per category for a top label index', () => {
    const bins = categoryBins([0, 0, 1, 2, 2, 2], 4);
    expect(bins.edges).toEqual([0, 1, 2]);
    expect(bins.shares).toEqual([2 / 6, 1 / 6, 3 / 6, 0]);
  });
});

describe('the population stability index', () => {
  it('is 0 for the reference itself and grows with the shift', () => {
    const expected = [0.25, 0.25, 0.25, 0.25];
    expect(populationStabilityIndex(expected, [25, 25, 25, 25])).toBe(0);
    const small = populationStabilityIndex(expected, [30, 25, 25, 20]);
    const large = populationStabilityIndex(expected, [70, 10, 10, 10]);
    // By hand: sum (a - e) ln(a / e).
    expect(small).toBeCloseTo(0.05 * Math.log(0.3 / 0.25) - 0.05 * Math.log(0.2 / 0.25), 12);
    expect(large).toBeGreaterThan(0.2);
    expect(small).toBeLessThan(large);
  });

  it('stays finite when a bin is empty on either side (the floor)', () => {
    const psi = populationStabilityIndex([0.5, 0.5, 0], [0, 50, 50]);
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeCloseTo(
      (SHARE_FLOOR - 0.5) * Math.log(SHARE_FLOOR / 0.5) + (0.5 - SHARE_FLOOR) * Math.log(0.5 / SHARE_FLOOR),
      10,
    );
    expect(populationStabilityIndex([1], [0])).toBe(0);
  });

  it('reads an unchanged population of 2,000 rows as stable and a shifted mean as shifted', () => {
    const reference = continuousBins(sample(20_000, (r) => r.normal(), 1));
    const counts = (values: Float64Array) => {
      const c = new Array<number>(reference.shares.length).fill(0);
      for (const v of values) c[binOf(reference.edges, v)]!++;
      return c;
    };
    expect(
      populationStabilityIndex(reference.shares, counts(sample(2_000, (r) => r.normal(), 2))),
    ).toBeLessThan(0.02);
    expect(
      populationStabilityIndex(reference.shares, counts(sample(2_000, (r) => r.normal() + 0.5, 3))),
    ).toBeGreaterThan(0.2);
  });
});

describe('the drift window', () => {
  const reference = {
    rows: 1000,
    inputs: [continuousBins(Float64Array.from({ length: 1000 }, (_, i) => i)), continuousBins([0, 1])],
    output: continuousBins(Float64Array.from({ length: 100 }, (_, i) => i / 100)),
  };
  const manifest = { output: { kind: 'binary_probability', transform: 'none' } as const, reference };
  const batch = (rows: number, first: (r: number) => number) => ({
    x: Float32Array.from({ length: rows * 2 }, (_, k) =>
      k % 2 === 0 ? first(Math.floor(k / 2)) : k % 4 === 1 ? 0 : 1,
    ),
    y: Float32Array.from({ length: rows }, (_, r) => (r % 100) / 100),
  });

  it('measures only the newest rows: an old population slides out', () => {
    const window = new DriftWindow(manifest, 1000);
    const like = batch(1000, (r) => (r * 7919) % 1000);
    window.add(1000, like.x, like.y);
    expect(window.rows).toBe(1000);
    const before = window.psi();
    expect(before.inputs[0]).toBeLessThan(0.01);
    expect(before.output).toBeLessThan(0.01);
    // Every value of the first input above the reference's range, in two batches.
    const shifted = batch(600, () => 5000);
    window.add(600, shifted.x, shifted.y);
    window.add(600, shifted.x, shifted.y);
    // Between 90% and 100% of the window, all of them the shifted rows.
    expect(window.rows).toBeGreaterThanOrEqual(900);
    expect(window.rows).toBeLessThanOrEqual(1000);
    const after = window.psi();
    expect(after.inputs[0]).toBeGreaterThan(5);
    expect(after.inputs[1]).toBeLessThan(0.01);
    expect(after.output).toBeLessThan(0.01);
  });
});

describe('the output value drift follows', () => {
  it('is the probability, the served regression value, or the top label index', () => {
    expect(driftValue([0.3], { output: { kind: 'binary_probability', transform: 'none' } })).toBeCloseTo(0.3);
    expect(
      driftValue([Math.log1p(99)], {
        output: { kind: 'regression', transform: 'expm1', clip: { min: 0, max: 50 } },
      }),
    ).toBe(50);
    expect(driftValue([0.1, 0.7, 0.2], { output: { kind: 'class_probabilities', transform: 'none' } })).toBe(
      1,
    );
  });
});

describe('the drift report', () => {
  it('reads the drift gauges of a metrics exposition, per process', () => {
    const text = [
      '# HELP loyalty_drift_input_psi Population stability index',
      'loyalty_drift_input_psi{model="churn",model_version="1",input="recency_days",process="0"} 0.35',
      'loyalty_drift_input_psi{model="churn",model_version="1",input="tenure_days",process="0"} 0.01',
      'loyalty_drift_output_psi{model="churn",model_version="1",process="0"} 0.12',
      'loyalty_drift_window_rows{model="churn",model_version="1",process="0"} 10000',
      'loyalty_drift_window_rows{model="churn",model_version="1",process="1"} 9000',
      'loyalty_rpc_duration_seconds_count{method="x"} 3',
    ].join('\n');
    const entries = driftFromMetrics(text);
    expect(entries).toHaveLength(2);
    const first = entries.find((e) => e.process === '0')!;
    expect(first).toMatchObject({ model: 'churn', version: '1', rows: 10000, output: 0.12 });
    expect(first.names).toEqual(['recency_days', 'tenure_days']);
    expect(first.inputs).toEqual([0.35, 0.01]);
    const report = formatDriftReport(entries);
    // The shifted input first, each with its reading.
    expect(report).toMatch(/recency_days\s+0\.3500\s+shifted[\s\S]*tenure_days\s+0\.0100\s+stable/);
    expect(report).toMatch(/\(output\)\s+0\.1200\s+moderate/);
    expect(formatDriftReport([])).toMatch(/no drift measured yet/);
  });
});
