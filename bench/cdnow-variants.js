// What else was tried for LTV on CDNOW (README, On real data), reproducible:
//
//   make cdnow-variants            # or: node bench/cdnow-variants.js --splits 6
//
// On the first --splits customer splits of `make cdnow-ltv` (same features, same split, same
// trainer), each variant's holdout-spend MAE, RMSE and total ratio, also scaled to BG/NBD's
// predicted total (how well it tells customers apart, without the MAE a lower total buys):
// - poisson x3: three Poisson networks (seeds) averaged;
// - + BG/NBD inputs: the same with BG/NBD's own inputs added (repeat purchase days, weeks to the
//   last purchase and to the end of calibration, the last and the mean gap between purchase
//   days) and its expected purchases and P(alive) (published parameters);
// - quantiles: one network with a pinball loss on log(1 + spend) per quantile 0.5-0.9, the
//   quantile whose validation total is nearest the actual, and each fixed quantile.
// Needs a built dist/ (make build).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    input: { type: 'string', default: '../shared/datasets/cdnow-sample.txt' },
    splits: { type: 'string', default: '6' },
  },
});
const dist = new URL('../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const { dayNumber } = await load('calendar.js');
const { CDNOW_MAPPING, historiesFromTransactions, parseTransactions } = await load(
  'offline/import/transactions-csv.js',
);
const {
  bgNbdSpend,
  CDNOW_BGNBD,
  CDNOW_CALIBRATION_END,
  CDNOW_END,
  CDNOW_HOLDOUT_DAYS,
  CDNOW_LTV_TARGET: target,
  summarize,
} = await load('training/cdnow-ltv.js');
const { datasetFromHistories, gatherRows, TEST, TRAIN, VALIDATION } = await load('training/dataset.js');
const { normalize, rowsOf, standardization, trainNetwork, transformInputs } =
  await load('training/trainer.js');
const { expectedRepeatPurchases, probabilityAlive } = await load('models/clv.js');
const { loadTf } = await load('training/tf.js');
const { Random } = await load('random.js');

const QUANTILES = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

const histories = historiesFromTransactions(
  parseTransactions(readFileSync(args.input, 'utf8'), CDNOW_MAPPING),
);
const summaries = histories.map((h) => summarize(h));
const bgnbdSpend = bgNbdSpend(summaries);
const bgnbdById = new Map(summaries.map((s, i) => [s.customerId, bgnbdSpend[i]]));

/** BG/NBD's inputs and outputs per customer, as extra network inputs. */
const extraById = new Map();
const end = dayNumber(CDNOW_CALIBRATION_END);
histories.forEach((h, i) => {
  const s = summaries[i];
  const days = [...new Set(h.transactions.map((t) => dayNumber(t.occurredAt)).filter((d) => d <= end))].sort(
    (a, b) => a - b,
  );
  const gaps = days.slice(1).map((d, k) => d - days[k]);
  extraById.set(s.customerId, [
    s.x,
    s.tx,
    s.T,
    gaps.at(-1) ?? 0,
    gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
    expectedRepeatPurchases(CDNOW_BGNBD, s.x, s.tx, s.T, CDNOW_HOLDOUT_DAYS / 7),
    probabilityAlive(CDNOW_BGNBD, s),
  ]);
});

/** The dataset with BG/NBD's columns appended to every row. */
function withBgnbdInputs(ds) {
  const d0 = ds.featureNames.length;
  const extra = extraById.get(ds.customerIds[0]).length;
  const x = new Float32Array(ds.customerIds.length * (d0 + extra));
  ds.customerIds.forEach((id, r) => {
    x.set(ds.x.subarray(r * d0, (r + 1) * d0), r * (d0 + extra));
    x.set(extraById.get(id), r * (d0 + extra) + d0);
  });
  return {
    ...ds,
    x,
    featureNames: [...ds.featureNames, ...Array.from({ length: extra }, (_, k) => `bgnbd_${k}`)],
  };
}

/** Three Poisson networks (seeds split, split + 1000, split + 2000), their means averaged. */
async function poissonAverage(ds, split, rows) {
  const outputs = [];
  for (let k = 0; k < 3; k++) {
    const net = await trainNetwork(ds, split + 1000 * k);
    outputs.push(await net.predict(gatherRows(ds, rows)));
  }
  return rows.map((_, i) => outputs.reduce((s, o) => s + Math.exp(o[i]), 0) / outputs.length);
}

/** One network, one pinball-loss output per quantile of log(1 + spend); early stopping as the trainer's. */
async function quantileNetwork(ds, split) {
  const { tf } = await loadTf();
  const d = ds.featureNames.length;
  const [train, validation, test] = [TRAIN, VALIDATION, TEST].map((s) => rowsOf(ds, s));
  // Normalized once, as the trainer does: log1p inputs standardized on the training rows.
  const transformed = transformInputs(ds.x, 'log1p');
  const { mean, std } = standardization(transformed, d, train);
  const normalized = normalize(transformed, d, mean, std);
  const x = (rows) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => {
      out.set(normalized.subarray(r * d, (r + 1) * d), i * d);
    });
    return tf.tensor2d(out, [rows.length, d]);
  };
  const y = (rows) =>
    tf.tensor2d(
      rows.flatMap((r) => QUANTILES.map(() => Math.log1p(ds.y[r]))),
      [rows.length, QUANTILES.length],
    );
  const levels = tf.tensor1d(QUANTILES);
  const pinball = (yTrue, yPred) =>
    tf.tidy(() => {
      const e = tf.sub(yTrue, yPred);
      return tf.mean(tf.maximum(tf.mul(e, levels), tf.mul(e, tf.sub(levels, 1))));
    });
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 16,
      activation: 'relu',
      inputShape: [d],
      kernelInitializer: tf.initializers.glorotUniform({ seed: split }),
    }),
  );
  model.add(
    tf.layers.dense({
      units: QUANTILES.length,
      kernelInitializer: tf.initializers.glorotUniform({ seed: split + 1 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(0.003), loss: pinball });
  const [xv, yv] = [x(validation), y(validation)];
  // Shuffled here with a seeded generator (tfjs's own shuffle is not seeded): the same run twice
  // gives the same figures.
  const rng = new Random(split, 7);
  const order = [...train];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: null };
  for (let epoch = 1; epoch <= 300; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const [xt, yt] = [x(order), y(order)];
    await model.fit(xt, yt, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    xt.dispose();
    yt.dispose();
    const loss = (await model.evaluate(xv, yv).data())[0];
    if (loss < best.loss - 1e-6) best = { loss, epoch, weights: model.getWeights().map((w) => w.clone()) };
    else if (epoch - best.epoch >= 20) break;
  }
  model.setWeights(best.weights);
  const spend = async (rows) =>
    (await model.predict(x(rows)).array()).map((row) => row.map((v) => Math.max(0, Math.expm1(v))));
  const onValidation = await spend(validation);
  const validationTotal = validation.reduce((s, r) => s + ds.y[r], 0);
  const gap = (q) => Math.abs(onValidation.reduce((s, row) => s + row[q], 0) / validationTotal - 1);
  const picked = QUANTILES.reduce((b, _, q) => (gap(q) < gap(b) ? q : b), 0);
  return { picked, onTest: await spend(test) };
}

const results = new Map();
function score(name, actual, predicted, bgnbd) {
  const sum = (v) => v.reduce((s, x) => s + x, 0);
  const toBgnbd = sum(bgnbd) / sum(predicted);
  const mae = (p) => sum(actual.map((y, i) => Math.abs(y - p[i]))) / actual.length;
  const rmse = (p) => Math.sqrt(sum(actual.map((y, i) => (y - p[i]) ** 2)) / actual.length);
  const scaled = predicted.map((v) => v * toBgnbd);
  const r = results.get(name) ?? [];
  r.push([mae(predicted), rmse(predicted), sum(predicted) / sum(actual), mae(scaled), rmse(scaled)]);
  results.set(name, r);
}

for (let split = 0; split < Number(args.splits); split++) {
  const ds = datasetFromHistories(
    histories,
    target,
    split,
    { validation: 0.15, test: 0.3 },
    { lastDay: CDNOW_END },
  );
  const test = rowsOf(ds, TEST);
  const clip = Math.max(...rowsOf(ds, TRAIN).map((r) => ds.y[r]));
  const actual = test.map((r) => ds.y[r]);
  const bgnbd = test.map((r) => bgnbdById.get(ds.customerIds[r]));
  const clipped = (values) => values.map((v) => Math.min(clip, Math.max(0, v)));
  score('bgnbd (published parameters)', actual, bgnbd, bgnbd);
  score('poisson x3', actual, clipped(await poissonAverage(ds, split, test)), bgnbd);
  score(
    'poisson x3 + BG/NBD inputs',
    actual,
    clipped(await poissonAverage(withBgnbdInputs(ds), split, test)),
    bgnbd,
  );
  const { picked, onTest } = await quantileNetwork(ds, split);
  score('quantile picked by validation total', actual, clipped(onTest.map((row) => row[picked])), bgnbd);
  QUANTILES.forEach((q, k) => {
    score(`quantile ${q}`, actual, clipped(onTest.map((row) => row[k])), bgnbd);
  });
  process.stderr.write(`split ${split} done (quantile picked ${QUANTILES[picked]})\n`);
}

const mean = (rows, k) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
process.stdout.write(
  `holdout spend per test customer, mean over the first ${args.splits} splits of make cdnow-ltv:\n`,
);
process.stdout.write(
  "| variant | MAE ($) | RMSE ($) | total / actual | MAE at BG/NBD's total | RMSE at BG/NBD's total |\n|---|---|---|---|---|---|\n",
);
for (const [name, rows] of results)
  process.stdout.write(
    `| ${name} | ${[0, 1, 2, 3, 4].map((k) => mean(rows, k).toFixed(k === 2 ? 3 : 2)).join(' | ')} |\n`,
  );
