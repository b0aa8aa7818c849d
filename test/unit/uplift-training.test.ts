import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.js';
import type { DenseLayer } from '../../src/tflite/model-writer.js';
import { parsePipelineConfig } from '../../src/training/pipeline-config.js';
import { stackNetworks } from '../../src/training/uplift-training.js';

function layer(rng: Random, inputs: number, units: number, activation: DenseLayer['activation']): DenseLayer {
  return {
    inputs,
    units,
    kernel: Float32Array.from({ length: inputs * units }, () => rng.normal(0, 1)),
    bias: Float32Array.from({ length: units }, () => rng.normal(0, 1)),
    activation,
  };
}

/** A dense network's output for one input row, in float64. */
function forward(layers: readonly DenseLayer[], x: readonly number[]): readonly number[] {
  let h: readonly number[] = x;
  for (const l of layers) {
    const out: number[] = [];
    for (let j = 0; j < l.units; j++) {
      let z = l.bias[j]!;
      for (let i = 0; i < l.inputs; i++) z += h[i]! * l.kernel[i * l.units + j]!;
      out.push(
        l.activation === 'relu' ? Math.max(0, z) : l.activation === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z,
      );
    }
    h = out;
  }
  return h;
}

describe('uplift training', () => {
  it('stacks two networks into one whose outputs are exactly those of each network', () => {
    const rng = new Random(3, 1);
    const a = [layer(rng, 5, 4, 'relu'), layer(rng, 4, 3, 'relu'), layer(rng, 3, 1, 'sigmoid')];
    const b = [layer(rng, 5, 6, 'relu'), layer(rng, 6, 2, 'relu'), layer(rng, 2, 1, 'sigmoid')];
    const stacked = stackNetworks(a, b);
    expect(stacked.map((l) => [l.inputs, l.units])).toEqual([
      [5, 10],
      [10, 5],
      [5, 2],
    ]);
    for (let k = 0; k < 50; k++) {
      const x = Array.from({ length: 5 }, () => rng.normal(0, 2));
      const [pa, pb] = forward(stacked, x);
      expect(pa).toBeCloseTo(forward(a, x)[0]!, 10);
      expect(pb).toBeCloseTo(forward(b, x)[0]!, 10);
    }
    expect(() => stackNetworks(a, b.slice(1))).toThrow(/same depth/);
  });

  it('an uplift target needs an exists/absent label and a treatment; a treatment is for uplift only', () => {
    const target = (over: Record<string, unknown>, label: Record<string, unknown> = {}) => ({
      seed: 1,
      split: { validation: 0.1, test: 0.1 },
      models: [
        {
          name: 'u',
          version: '1',
          description: 'd',
          task: 'uplift',
          cutoff: '2025-06-30',
          label: {
            days: 30,
            events: [{ family: 'campaigns', where: { responded: true } }],
            aggregate: 'exists',
            treatment: [{ family: 'campaigns', where: { group: 'contacted' } }],
            ...label,
          },
          ...over,
        },
      ],
    });
    expect(parsePipelineConfig(target({})).models[0]!.task).toBe('uplift');
    expect(() => parsePipelineConfig(target({}, { treatment: undefined }))).toThrow(/needs label.treatment/);
    expect(() => parsePipelineConfig(target({}, { aggregate: 'count' }))).toThrow(/exists or absent/);
    expect(() => parsePipelineConfig(target({ task: 'binary' }))).toThrow(/treatment is for uplift targets/);
    expect(() =>
      parsePipelineConfig(target({}, { treatment: [{ family: 'campaigns', where: { nope: 1 } }] })),
    ).toThrow(/campaigns has no field nope/);
  });
});
