import type { DenseLayer } from '../tflite/model-writer.js';
import { type Dataset, gatherRows, TRAIN } from './dataset.js';
import { rowsOf, standardization, type TrainedNetwork, trainNetwork, transformInputs } from './trainer.js';

/**
 * Uplift learners over a dataset whose rows carry a treatment flag (1 treated, 0 control):
 * - two-model (the served one): a network on the treated rows and one on the control rows,
 *   stacked into one network whose two outputs are P(response | treated) and P(response |
 *   untreated); the uplift is their difference;
 * - class transformation (a comparison in the model card): one network for Z = 1 when (treated,
 *   responded) or (control, did not respond); the uplift is 2 P(Z = 1) - 1, valid when about
 *   half the rows are treated (with another share it still ranks, which is what uplift@k reads).
 * Both arms normalize by the same mean and std (all training rows'), so the stacked network's
 * first layer folds one normalization.
 */

/** The dataset's `rows` only (their split kept), as a binary target, with other labels when given. */
export function binarySubset(ds: Dataset, rows: readonly number[], y: Float32Array = ds.y): Dataset {
  return {
    ...ds,
    target: { ...ds.target, task: 'binary' },
    customerIds: rows.map((r) => ds.customerIds[r]!),
    x: gatherRows(ds, rows),
    y: Float32Array.from(rows, (r) => y[r]!),
    split: Uint8Array.from(rows, (r) => ds.split[r]!),
    rfm: [],
    recentItems: [],
    tenureDays: undefined,
    treatment: undefined,
  };
}

function treatmentOf(ds: Dataset): Uint8Array {
  if (!ds.treatment) throw new Error(`${ds.target.name}: uplift needs a treatment flag on every row`);
  return ds.treatment;
}

/** The mean and std of the dataset's training rows after its input transform. */
function sharedScale(ds: Dataset) {
  return standardization(
    transformInputs(ds.x, ds.target.inputTransform),
    ds.featureNames.length,
    rowsOf(ds, TRAIN),
  );
}

/**
 * Two networks side by side as one: the first layers' units concatenated, every later layer
 * block-diagonal, so each output is exactly its own network's (activations are per unit).
 */
export function stackNetworks(a: readonly DenseLayer[], b: readonly DenseLayer[]): DenseLayer[] {
  if (a.length !== b.length) throw new Error('stacked networks need the same depth');
  return a.map((la, i) => {
    const lb = b[i]!;
    if (la.activation !== lb.activation) throw new Error(`layer ${i}: activations differ`);
    const units = la.units + lb.units;
    const inputs = i === 0 ? la.inputs : la.inputs + lb.inputs;
    if (i === 0 && la.inputs !== lb.inputs) throw new Error('stacked networks need the same inputs');
    const kernel = new Float32Array(inputs * units);
    for (let r = 0; r < la.inputs; r++)
      for (let c = 0; c < la.units; c++) kernel[r * units + c] = la.kernel[r * la.units + c]!;
    const rowOffset = i === 0 ? 0 : la.inputs;
    for (let r = 0; r < lb.inputs; r++)
      for (let c = 0; c < lb.units; c++)
        kernel[(rowOffset + r) * units + la.units + c] = lb.kernel[r * lb.units + c]!;
    const bias = new Float32Array(units);
    bias.set(la.bias);
    bias.set(lb.bias, la.units);
    return { inputs, units, kernel, bias, activation: la.activation };
  });
}

/**
 * The two-model learner as one network: outputs [P(response | treated), P(response | untreated)]
 * per row. The arms train one after the other (two fits interleaved in one tfjs instance would
 * share its state), each with the target's settings and early stopping on its own validation rows.
 */
export async function trainTwoModel(
  ds: Dataset,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<TrainedNetwork> {
  const treated = treatmentOf(ds);
  const scale = sharedScale(ds);
  const all = Array.from(ds.y, (_, i) => i);
  const arm = (value: number, name: string) =>
    trainNetwork(
      binarySubset(
        ds,
        all.filter((r) => treated[r] === value),
      ),
      seed,
      (line) => log(`${name}: ${line}`),
      scale,
    );
  const t = await arm(1, 'treated');
  const c = await arm(0, 'control');
  return {
    layers: stackNetworks(t.layers, c.layers),
    mean: scale.mean,
    std: scale.std,
    epochs: Math.max(t.epochs, c.epochs),
    bestEpoch: Math.max(t.bestEpoch, c.bestEpoch),
    history: t.history,
    backend: t.backend,
    async predict(xRaw) {
      const [pt, pc] = await Promise.all([t.predict(xRaw), c.predict(xRaw)]);
      const out = new Float32Array(pt.length * 2);
      for (let i = 0; i < pt.length; i++) {
        out[2 * i] = pt[i]!;
        out[2 * i + 1] = pc[i]!;
      }
      return out;
    },
  };
}

/** The class-transformation learner: predict(x) answers the uplift estimate 2 P(Z = 1) - 1 per row. */
export async function trainClassTransformation(
  ds: Dataset,
  seed: number,
  log: (line: string) => void = () => {},
): Promise<Pick<TrainedNetwork, 'predict'>> {
  const treated = treatmentOf(ds);
  const z = Float32Array.from(ds.y, (v, r) => (v === treated[r] ? 1 : 0));
  const net = await trainNetwork(
    binarySubset(
      ds,
      Array.from(ds.y, (_, i) => i),
      z,
    ),
    seed,
    (line) => log(`class transformation: ${line}`),
  );
  return { predict: async (xRaw) => (await net.predict(xRaw)).map((p) => 2 * p - 1) };
}
