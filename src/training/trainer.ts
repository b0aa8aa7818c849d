import { Random } from '../random.js';
import type { Activation, DenseLayer } from '../tflite/model-writer.js';
import { type Dataset, TRAIN, VALIDATION } from './dataset.js';
import { fitLogisticNewton } from './logistic-newton.js';
import { loadTf, type Tf } from './tf.js';

type Tensor = ReturnType<Tf['tensor']>;

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss: number;
}

/** A trained network in plain arrays: its dense layers take normalized inputs. */
export interface TrainedNetwork {
  layers: DenseLayer[];
  mean: Float64Array;
  std: Float64Array;
  epochs: number;
  bestEpoch: number;
  history: EpochLog[];
  backend: string;
  /** Raw model outputs (rows x outputs) of the trained tfjs model for raw feature rows. */
  predict(xRaw: Float32Array): Promise<Float32Array>;
}

export function rowsOf(ds: Dataset, split: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < ds.split.length; i++) if (ds.split[i] === split) rows.push(i);
  return rows;
}

/**
 * The Poisson negative log-likelihood without its constant, for an output f = log(mean):
 * mean(exp(f) - y f). Its minimum is at exp(f) = E[y | x], and with an intercept the fitted
 * means sum to the labels' sum on the training rows.
 */
function poissonLoss(tf: Tf) {
  return (yTrue: Tensor, yPred: Tensor) =>
    tf.tidy(() => tf.mean(tf.sub(tf.exp(yPred), tf.mul(yTrue, yPred))));
}

function meanLabel(ds: Dataset, rows: readonly number[]): number {
  return rows.reduce((s, r) => s + ds.y[r]!, 0) / rows.length;
}

/** Model output for the training target: log1p for a log-transformed regression. */
export function transformTarget(ds: Dataset, y: number): number {
  return ds.target.target === 'log1p' ? Math.log1p(Math.max(0, y)) : y;
}

/** The input transform of the exported graph, in float32 as the graph computes it. */
export function transformInputs(x: Float32Array, transform: 'none' | 'log1p'): Float32Array {
  if (transform === 'none') return x;
  return x.map((v) => Math.fround(Math.log(Math.fround(Math.max(0, v) + 1))));
}

/** Per-column mean and standard deviation of the `rows` of x (rows x d), for normalize. */
export function standardization(
  x: Float32Array,
  d: number,
  rows: number[],
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += x[r * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (x[r * d + j]! - mean[j]!) ** 2;
  // A constant feature gets std 1, not 0: it then contributes a constant, not a division by zero.
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]! / rows.length) || 1;
  return { mean, std };
}

export function normalize(x: Float32Array, d: number, mean: Float64Array, std: Float64Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - mean[i % d]!) / std[i % d]!;
  return out;
}

function gather(ds: Dataset, rows: number[], x: Float32Array): { x: Float32Array; y: Float32Array } {
  const d = ds.featureNames.length;
  const k = ds.outputs;
  const xs = new Float32Array(rows.length * d);
  const ys = new Float32Array(rows.length * k);
  rows.forEach((r, i) => {
    xs.set(x.subarray(r * d, (r + 1) * d), i * d);
    for (let j = 0; j < k; j++) ys[i * k + j] = transformTarget(ds, ds.y[r * k + j]!);
  });
  return { x: xs, y: ys };
}

/**
 * Trains a dense network for one target with tfjs: seeded initializers and a seeded shuffle per
 * epoch (so the same seed gives the same model), Adam, early stopping on the validation loss
 * with the best epoch's weights restored. Logs one line per epoch.
 */
export async function trainNetwork(
  ds: Dataset,
  seed: number,
  log: (line: string) => void = () => {},
  /** The inputs' mean and std to normalize by; by default the training rows'. */
  scale?: { mean: Float64Array; std: Float64Array },
): Promise<TrainedNetwork> {
  const t = ds.target;
  if (t.solver === 'newton') return logisticByNewton(ds, log);
  const { tf, backend } = await loadTf();
  const d = ds.featureNames.length;
  const trainRows = rowsOf(ds, TRAIN);
  const valRows = rowsOf(ds, VALIDATION);
  const xIn = transformInputs(ds.x, t.inputTransform);
  const { mean, std } = scale ?? standardization(xIn, d, trainRows);
  const xNorm = normalize(xIn, d, mean, std);
  const train = gather(ds, trainRows, xNorm);
  const val = gather(ds, valRows, xNorm);
  // Multiclass: one softmax output per class; ranking: one sigmoid score per item.
  const outputs = t.task === 'multiclass' ? ds.classes!.codes.length : ds.outputs;
  const k = ds.outputs;

  const activations: Activation[] = [...t.hidden.map(() => 'relu' as const)];
  const outputActivation: Activation =
    t.task === 'binary' || t.task === 'ranking' ? 'sigmoid' : t.task === 'multiclass' ? 'softmax' : 'linear';
  const model = tf.sequential();
  [...t.hidden, outputs].forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: i < t.hidden.length ? 'relu' : outputActivation,
        inputShape: i === 0 ? [d] : undefined,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }),
        kernelRegularizer: t.l2 > 0 ? tf.regularizers.l2({ l2: t.l2 }) : undefined,
        // Poisson: the output starts at the log of the mean label, not at a mean of 1.
        biasInitializer:
          t.target === 'poisson' && i === t.hidden.length
            ? tf.initializers.constant({ value: Math.log(Math.max(1e-6, meanLabel(ds, trainRows))) })
            : 'zeros',
      }),
    );
  });
  model.compile({
    optimizer: tf.train.adam(t.learningRate),
    loss:
      t.task === 'binary' || t.task === 'ranking'
        ? 'binaryCrossentropy'
        : t.task === 'multiclass'
          ? 'sparseCategoricalCrossentropy'
          : t.target === 'poisson'
            ? poissonLoss(tf)
            : 'meanSquaredError',
  });

  const xVal = tf.tensor2d(val.x, [valRows.length, d]);
  const yVal = tf.tensor2d(val.y, [valRows.length, k]);
  const rng = new Random(seed, 7);
  const order = trainRows.map((_, i) => i);
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: model.getWeights().map((w) => w.clone()) };
  const history: EpochLog[] = [];
  let epoch = 0;
  for (epoch = 1; epoch <= t.maxEpochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const xs = new Float32Array(order.length * d);
    const ys = new Float32Array(order.length * k);
    order.forEach((r, i) => {
      xs.set(train.x.subarray(r * d, (r + 1) * d), i * d);
      ys.set(train.y.subarray(r * k, (r + 1) * k), i * k);
    });
    const xTrain = tf.tensor2d(xs, [order.length, d]);
    const yTrain = tf.tensor2d(ys, [order.length, k]);
    const fit = await model.fit(xTrain, yTrain, {
      epochs: 1,
      batchSize: t.batchSize,
      shuffle: false,
      verbose: 0,
    });
    xTrain.dispose();
    yTrain.dispose();
    const loss = Number(fit.history.loss![0]);
    const evaluated = model.evaluate(xVal, yVal) as ReturnType<typeof tf.scalar>;
    const valLoss = (await evaluated.data())[0]!;
    evaluated.dispose();
    history.push({ epoch, loss, valLoss });
    log(
      `${t.name} epoch ${String(epoch).padStart(2)}/${t.maxEpochs}  loss ${loss.toFixed(5)}  val_loss ${valLoss.toFixed(5)}`,
    );
    if (valLoss < best.loss - 1e-5) {
      for (const w of best.weights) w.dispose();
      best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) };
    } else if (epoch - best.epoch >= t.patience) {
      log(`${t.name} early stop: no better validation loss since epoch ${best.epoch}`);
      break;
    }
  }
  model.setWeights(best.weights);
  xVal.dispose();
  yVal.dispose();

  const layers: DenseLayer[] = [];
  for (const [i, layer] of model.layers.entries()) {
    const [kernel, bias] = layer.getWeights();
    const shape = kernel!.shape as [number, number];
    layers.push({
      inputs: shape[0],
      units: shape[1],
      kernel: Float32Array.from(await kernel!.data()),
      bias: Float32Array.from(await bias!.data()),
      activation: i < activations.length ? activations[i]! : outputActivation,
    });
  }
  return {
    layers,
    mean,
    std,
    epochs: Math.min(epoch, t.maxEpochs),
    bestEpoch: best.epoch,
    history,
    backend,
    async predict(xRaw: Float32Array) {
      const rows = xRaw.length / d;
      const input = tf.tensor2d(normalize(transformInputs(xRaw, t.inputTransform), d, mean, std), [rows, d]);
      const output = model.predict(input) as ReturnType<typeof tf.tensor2d>;
      const data = Float32Array.from(await output.data());
      input.dispose();
      output.dispose();
      return data;
    },
  };
}

/** A logistic regression fitted to convergence on the training and validation rows (logistic-newton.ts). */
function logisticByNewton(ds: Dataset, log: (line: string) => void): TrainedNetwork {
  const t = ds.target;
  if (t.task !== 'binary' || t.hidden.length > 0)
    throw new Error(`${t.name}: the newton solver fits a logistic regression (task binary, hidden [])`);
  const d = ds.featureNames.length;
  const rows = [...rowsOf(ds, TRAIN), ...rowsOf(ds, VALIDATION)];
  const xIn = transformInputs(ds.x, t.inputTransform);
  const { mean, std } = standardization(xIn, d, rows);
  const fit = fitLogisticNewton(normalize(xIn, d, mean, std), ds.y, rows, d, t.l2);
  log(
    `${t.name}: logistic regression converged in ${fit.iterations} Newton iterations, penalized log loss ${fit.losses.at(-1)!.toFixed(6)}`,
  );
  const kernel = Float32Array.from(fit.weights);
  return {
    layers: [{ inputs: d, units: 1, kernel, bias: Float32Array.of(fit.bias), activation: 'sigmoid' }],
    mean,
    std,
    epochs: fit.iterations,
    bestEpoch: fit.iterations,
    history: fit.losses.map((loss, i) => ({ epoch: i + 1, loss, valLoss: Number.NaN })),
    backend: 'newton',
    async predict(xRaw: Float32Array) {
      const x = normalize(transformInputs(xRaw, t.inputTransform), d, mean, std);
      const out = new Float32Array(xRaw.length / d);
      for (let r = 0; r < out.length; r++) {
        let z = fit.bias;
        for (let j = 0; j < d; j++) z += fit.weights[j]! * x[r * d + j]!;
        out[r] = 1 / (1 + Math.exp(-z));
      }
      return out;
    },
  };
}

/**
 * The network with its input normalization folded into the first layer, so the exported model
 * takes raw feature values: W'[i][j] = W[i][j] / std[i], b'[j] = b[j] - sum_i mean[i] W[i][j] / std[i].
 * Computed in float64 and rounded once to float32.
 */
export function bakeNormalization(network: Pick<TrainedNetwork, 'layers' | 'mean' | 'std'>): DenseLayer[] {
  const [first, ...rest] = network.layers;
  if (!first) throw new Error('no layers');
  const kernel = new Float32Array(first.kernel.length);
  const bias = new Float32Array(first.units);
  for (let j = 0; j < first.units; j++) {
    let b = first.bias[j]!;
    for (let i = 0; i < first.inputs; i++) {
      const w = first.kernel[i * first.units + j]! / network.std[i]!;
      kernel[i * first.units + j] = w;
      b -= network.mean[i]! * w;
    }
    bias[j] = b;
  }
  return [{ ...first, kernel, bias }, ...rest];
}
