import { describe, expect, it } from 'vitest';
import { quintileCuts, scoreHigherIsBetter, scoreLowerIsBetter } from '../../src/rfm/quintiles.js';
import { scoreRfm } from '../../src/rfm/rfm-scoring.js';
import { RFM_SEGMENTS, segmentOf } from '../../src/rfm/segments.js';

describe('quintile cuts', () => {
  it('cut 1..100 at the 20th, 40th, 60th and 80th values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quintileCuts(values).cuts).toEqual([20, 40, 60, 80]);
  });

  it('give each fifth of distinct values its own score', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const t = quintileCuts(values);
    const counts = [0, 0, 0, 0, 0];
    for (const v of values) counts[scoreHigherIsBetter(v, t) - 1]!++;
    expect(counts).toEqual([20, 20, 20, 20, 20]);
  });

  it('give equal values the same score, ties going to the lower score', () => {
    const values = [1, 1, 1, 1, 1, 1, 1, 2, 3, 9];
    const t = quintileCuts(values);
    expect(t.cuts).toEqual([1, 1, 1, 2]);
    expect(scoreHigherIsBetter(1, t)).toBe(1);
    expect(scoreHigherIsBetter(2, t)).toBe(4);
    expect(scoreHigherIsBetter(9, t)).toBe(5);
  });

  it('score recency inversely: fewer days is better', () => {
    const t = { cuts: [10, 20, 30, 40] as [number, number, number, number] };
    expect(scoreLowerIsBetter(0, t)).toBe(5);
    expect(scoreLowerIsBetter(10, t)).toBe(5);
    expect(scoreLowerIsBetter(11, t)).toBe(4);
    expect(scoreLowerIsBetter(41, t)).toBe(1);
  });

  it('refuse an empty base', () => {
    expect(() => quintileCuts([])).toThrow(/at least one value/);
  });
});

describe('segment grid', () => {
  it('names every one of the 125 score combinations, using all 11 segments', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(segmentOf(r, f, m));
    expect([...seen].sort()).toEqual([...RFM_SEGMENTS].sort());
  });

  it.each([
    [5, 5, 5, 'CHAMPIONS'],
    [5, 1, 1, 'NEW'],
    [4, 1, 1, 'PROMISING'],
    [4, 4, 4, 'LOYAL'],
    [5, 2, 3, 'POTENTIAL_LOYALIST'],
    [3, 3, 3, 'NEED_ATTENTION'],
    [3, 1, 2, 'ABOUT_TO_SLEEP'],
    [2, 3, 4, 'AT_RISK'],
    [1, 5, 5, 'CANNOT_LOSE_THEM'],
    [2, 1, 1, 'HIBERNATING'],
    [1, 1, 1, 'LOST'],
  ])('R%i F%i M%i is %s', (r, f, m, segment) => {
    expect(segmentOf(r, f, m)).toBe(segment);
  });

  it('rounds the mean of F and M half up', () => {
    expect(segmentOf(5, 3, 4)).toBe('CHAMPIONS'); // FM 3.5 -> 4
    expect(segmentOf(5, 2, 3)).toBe('POTENTIAL_LOYALIST'); // FM 2.5 -> 3
  });

  it('rejects scores outside 1-5', () => {
    expect(() => segmentOf(0, 3, 3)).toThrow(RangeError);
    expect(() => segmentOf(3, 6, 3)).toThrow(RangeError);
    expect(() => segmentOf(3, 3, 2.5)).toThrow(RangeError);
  });
});

describe('scoreRfm', () => {
  it('scores raw values against thresholds and names the segment', () => {
    const cuts = (a: number, b: number, c: number, d: number) => ({
      cuts: [a, b, c, d] as [number, number, number, number],
    });
    const thresholds = {
      asOf: '2025-12-31',
      recency: cuts(10, 30, 90, 180),
      frequency: cuts(1, 2, 4, 8),
      monetary: cuts(1000, 5000, 20000, 50000),
    };
    expect(scoreRfm({ recencyDays: 3, frequency: 20, monetaryCents: 90000 }, thresholds)).toEqual({
      r: 5,
      f: 5,
      m: 5,
      segment: 'CHAMPIONS',
    });
    expect(scoreRfm({ recencyDays: 400, frequency: 1, monetaryCents: 500 }, thresholds)).toEqual({
      r: 1,
      f: 1,
      m: 1,
      segment: 'LOST',
    });
  });
});
