import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTfliteModel } from '../../src/inference/tflite-runtime.js';
import { readModelInfo, TfliteFormatError, withBatchSize } from '../../src/tflite/model-reader.js';

const churn = readFileSync(new URL('../../models/churn/1/model.tflite', import.meta.url));

describe('the TFLite model reader', () => {
  it('reads the input and output tensors of a model', () => {
    const info = readModelInfo(churn);
    expect(info.inputs).toEqual([{ name: 'features', shape: [1, 16], type: 0 }]);
    expect(info.outputs).toEqual([{ name: 'probability', shape: [1, 1], type: 0 }]);
  });

  it('makes a copy for another batch size that the runtime runs row for row like batch 1', async () => {
    const batched = withBatchSize(churn, 16);
    expect(readModelInfo(batched).inputs[0]!.shape).toEqual([16, 16]);
    expect(readModelInfo(churn).inputs[0]!.shape).toEqual([1, 16]);
    const rows = Array.from({ length: 16 }, (_, r) =>
      Array.from({ length: 16 }, (_, c) => (r * 7 + c * 3) % 11),
    );
    const big = (await loadTfliteModel(batched)).modelRunner;
    big.getInputs()[0]!.data().set(rows.flat());
    big.infer();
    const together = big.getOutputs()[0]!.data().slice();
    const one = (await loadTfliteModel(churn)).modelRunner;
    rows.forEach((r, i) => {
      one.getInputs()[0]!.data().set(r);
      one.infer();
      expect(Math.abs(one.getOutputs()[0]!.data()[0]! - together[i]!)).toBeLessThan(1e-6);
    });
  });

  it('refuses bytes that are not a TFLite model', () => {
    expect(() => readModelInfo(new TextEncoder().encode('definitely not a model'))).toThrow(
      TfliteFormatError,
    );
    expect(() => readModelInfo(churn.subarray(0, 64))).toThrow(TfliteFormatError);
  });
});
