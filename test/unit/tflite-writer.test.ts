import { describe, expect, it } from 'vitest';
import { loadTfliteModel } from '../../src/inference/tflite-runtime.js';
import { Random } from '../../src/random.js';
import { type Activation, type DenseLayer, writeDenseModel } from '../../src/tflite/model-writer.js';

function layer(rng: Random, inputs: number, units: number, activation: Activation): DenseLayer {
  return {
    inputs,
    units,
    activation,
    kernel: Float32Array.from({ length: inputs * units }, () => rng.normal(0, 0.5)),
    bias: Float32Array.from({ length: units }, () => rng.normal(0, 0.1)),
  };
}

/** The same network in float64 JavaScript: the reference the TFLite output must match. */
function reference(layers: DenseLayer[], x: number[], log1p: boolean): number[] {
  let h = log1p ? x.map((v) => Math.log1p(Math.max(0, v))) : x;
  for (const l of layers) {
    const z = Array.from(
      { length: l.units },
      (_, j) => l.bias[j]! + h.reduce((s, v, i) => s + v * l.kernel[i * l.units + j]!, 0),
    );
    if (l.activation === 'relu') h = z.map((v) => Math.max(0, v));
    else if (l.activation === 'sigmoid') h = z.map((v) => 1 / (1 + Math.exp(-v)));
    else if (l.activation === 'softmax') {
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const sum = e.reduce((a, b) => a + b, 0);
      h = e.map((v) => v / sum);
    } else h = z;
  }
  return h;
}

async function run(bytes: Uint8Array, x: number[]): Promise<Float32Array> {
  const runner = (await loadTfliteModel(bytes)).modelRunner;
  runner.getInputs()[0]!.data().set(x);
  expect(runner.infer()).toBe(true);
  const out = runner.getOutputs()[0]!.data().slice();
  runner.cleanUp();
  return out;
}

describe('the TFLite writer', () => {
  it.each([
    ['sigmoid', 1],
    ['softmax', 8],
    ['linear', 1],
  ] as const)(
    'writes a relu network with a %s output that TFLite runs like the float64 reference',
    async (activation, units) => {
      const rng = new Random(3, units);
      const layers = [layer(rng, 6, 16, 'relu'), layer(rng, 16, 8, 'relu'), layer(rng, 8, units, activation)];
      const bytes = writeDenseModel({
        layers,
        inputName: 'features',
        outputName: 'out',
        description: 'test',
      });
      for (let trial = 0; trial < 5; trial++) {
        const x = Array.from({ length: 6 }, () => rng.normal(0, 2));
        const out = await run(bytes, x);
        const expected = reference(layers, x, false);
        expect(out).toHaveLength(units);
        for (let i = 0; i < units; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThan(1e-5);
      }
    },
  );

  it('puts log(1 + max(0, x)) in front of the first layer when asked', async () => {
    const rng = new Random(4);
    const layers = [layer(rng, 4, 5, 'relu'), layer(rng, 5, 1, 'linear')];
    const bytes = writeDenseModel({
      layers,
      inputName: 'features',
      outputName: 'value',
      description: 't',
      inputTransform: 'log1p',
    });
    const x = [0, 3.5, 12_000, -2];
    const out = await run(bytes, x);
    expect(Math.abs(out[0]! - reference(layers, x, true)[0]!)).toBeLessThan(1e-5);
  });

  it('names the input and output tensors and sizes them for the batch asked for', async () => {
    const rng = new Random(5);
    const bytes = writeDenseModel({
      layers: [layer(rng, 3, 2, 'softmax')],
      inputName: 'features',
      outputName: 'probabilities',
      description: 't',
      batch: 4,
    });
    const runner = (await loadTfliteModel(bytes)).modelRunner;
    expect(runner.getInputs().map((t) => [t.name, t.shape])).toEqual([['features', '4,3']]);
    expect(runner.getOutputs().map((t) => [t.name, t.shape])).toEqual([['probabilities', '4,2']]);
    runner.cleanUp();
  });

  it('refuses a layer whose kernel does not match its size', () => {
    const bad: DenseLayer = {
      inputs: 3,
      units: 2,
      kernel: new Float32Array(5),
      bias: new Float32Array(2),
      activation: 'relu',
    };
    expect(() =>
      writeDenseModel({ layers: [bad], inputName: 'a', outputName: 'b', description: '' }),
    ).toThrow(/does not match 3x2/);
  });
});
