import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/models/manifest.js';
import { rankItems, rankLabels } from '../../src/models/postprocess.js';
import { Random } from '../../src/random.js';

const labels = Array.from({ length: 24 }, (_, i) => `P${i}`);
const manifest = {
  output: { kind: 'ranking', labels, excludeRecentItems: true },
} as unknown as ModelManifest;

/** The definition: every kept position sorted by descending value, ties by position. */
function reference(row: Float32Array, topK: number, excluded: string[]) {
  const order = [...row.keys()]
    .filter((i) => !excluded.includes(labels[i]!))
    .sort((a, b) => row[b]! - row[a]! || a - b);
  return order
    .slice(0, topK > 0 ? topK : order.length)
    .map((i, r) => ({ code: labels[i], score: row[i], rank: r + 1 }));
}

describe('ranking an output row', () => {
  it('equals sorting every position, ties by position, for any top k and exclusions', () => {
    const random = new Random(7);
    for (let trial = 0; trial < 500; trial++) {
      // Values from a few levels, so that ties are common.
      const row = Float32Array.from(labels, () => Math.floor(random.uniform() * 6) / 5);
      const excluded = labels.filter(() => random.uniform() < 0.2);
      const topK = Math.floor(random.uniform() * 27);
      const got = rankItems(row, manifest, topK, excluded).map(({ code, score, rank }) => ({
        code,
        score,
        rank,
      }));
      expect(got).toEqual(reference(row, topK, excluded));
    }
  });

  it('ranks class labels the same way, all of them for top k 0', () => {
    const row = Float32Array.of(0.2, 0.5, 0.2, 0.1);
    const m = {
      output: { kind: 'class_probabilities', labels: ['a', 'b', 'c', 'd'] },
    } as unknown as ModelManifest;
    expect(rankLabels(row, m, 0).map((l) => l.code)).toEqual(['b', 'a', 'c', 'd']);
    expect(rankLabels(row, m, 2).map((l) => [l.code, l.rank])).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
  });
});
