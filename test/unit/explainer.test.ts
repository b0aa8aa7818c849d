import { describe, expect, it } from 'vitest';
import { Explainer } from '../../src/explain/explainer.js';
import type { WorkerModel } from '../../src/inference/protocol.js';
import { parseManifest } from '../../src/models/manifest.js';
import type { ServedModel } from '../../src/models/served-model.js';

/**
 * The explainer's bound on work in flight, with a score computed in plain arithmetic (a linear
 * model) by an `infer` the test releases by hand: the queue, not the model, is under test here.
 */
const WEIGHTS = [0.5, -0.25, 2];
const manifest = parseManifest({
  name: 'linear',
  version: '1',
  createdAt: '2026-01-01T00:00:00.000Z',
  inputs: ['a', 'b', 'c'],
  output: { kind: 'regression' },
  explanation: {
    background: [
      [0, 0, 0],
      [1, 1, 1],
      [2, 0, 1],
    ],
  },
});
const model = {
  name: 'linear',
  version: '1',
  manifest,
  inputs: 3,
  outputs: 1,
  worker: {} as WorkerModel,
} as ServedModel;

function gatedExplainer(concurrency: number) {
  const gates: (() => void)[] = [];
  let running = 0;
  let most = 0;
  let calls = 0;
  const explainer = new Explainer({
    concurrency,
    infer: async (_m, rows, data) => {
      calls++;
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running--;
      return Float32Array.from({ length: rows }, (_, r) =>
        WEIGHTS.reduce((s, w, j) => s + w * data[r * 3 + j]!, 0),
      );
    },
  });
  /** Releases every inference as it arrives until `until` settles. */
  const openAll = async (until: Promise<unknown>) => {
    let settled = false;
    void until.finally(() => {
      settled = true;
    });
    while (!settled) {
      gates.splice(0).forEach((g) => {
        g();
      });
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  return { explainer, openAll, most: () => most, waiting: () => gates.length, calls: () => calls };
}

const row = Float32Array.of(3, 1, 2);
const explain = (e: Explainer, signal: AbortSignal, key: string) =>
  e.explain(model, row, Float32Array.of(0), [], key, signal);

describe('the explainer', () => {
  it('runs at most `concurrency` explanations at once and answers every one exactly', async () => {
    const { explainer, openAll, most } = gatedExplainer(2);
    const signal = new AbortController().signal;
    const all = Promise.all(Array.from({ length: 7 }, (_, i) => explain(explainer, signal, `C${i}`)));
    await openAll(all);
    const results = await all;
    expect(most()).toBe(2);
    // A linear model's Shapley values are w_j (x_j - mean background_j), whatever the orders.
    const mean = [1, 1 / 3, 2 / 3];
    for (const e of results) {
      WEIGHTS.forEach((w, j) => {
        expect(e.contributions[j]).toBeCloseTo(w * (row[j]! - mean[j]!), 5);
      });
      // 1 + K + 2K(M - 1) rows for K = 3 background rows and M = 3 inputs.
      expect(e.evaluations).toBe(1 + 3 + 2 * 3 * 2);
    }
  });

  it('drops a waiting explanation whose call has gone, without running it', async () => {
    const { explainer, openAll, waiting, calls } = gatedExplainer(1);
    const live = new AbortController();
    const gone = new AbortController();
    const first = explain(explainer, live.signal, 'C1');
    const abandoned = explain(explainer, gone.signal, 'C2').catch((err: unknown) => err);
    const last = explain(explainer, live.signal, 'C3');
    await new Promise((r) => setTimeout(r, 1));
    // The first runs; the other two wait.
    expect(waiting()).toBe(1);
    gone.abort(new Error('deadline'));
    const all = Promise.all([first, abandoned, last]);
    await openAll(all);
    const [one, dropped, three] = await all;
    expect(dropped).toEqual(new Error('deadline'));
    expect(one.evaluations).toBe(16);
    expect(three.evaluations).toBe(16);
    // The abandoned one never reached a worker.
    expect(calls()).toBe(2);
    // An explanation asked on a call already gone is refused at once.
    await expect(explain(explainer, gone.signal, 'C4')).rejects.toThrow('deadline');
  });
});
