import { readFileSync } from 'node:fs';
import { TEST } from '../training/dataset.js';
import { rocAuc } from '../training/metrics.js';
import { defineTarget } from '../training/pipeline-config.js';
import { parseTelco, stratifiedSplit, telcoDataset } from '../training/telco.js';
import { rowsOf, trainNetwork } from '../training/trainer.js';
import { parseFlags } from './args.js';

const USAGE = `usage: node dist/cli/telco-churn.js [--input ../shared/datasets/telco-customer-churn.csv] [--splits 20]
Trains the churn pipeline on the IBM Telco data: logistic regression and a one-hidden-layer
network, test ROC-AUC on the fixed stratified 80/20 split (seed 0) and the mean over --splits seeds.`;

/** The churn trainer's settings for the Telco data; cutoff and label are unused (the file has its labels). */
const target = (name: string, hidden: number[], l2: number, learningRate: number) =>
  defineTarget({
    name,
    version: '1',
    description: '',
    task: 'binary',
    cutoff: '1970-01-01',
    // Unused: the Telco rows carry their own labels.
    label: { days: 1, events: [{ family: 'transactions' }], aggregate: 'absent' },
    features: [],
    hidden,
    maxEpochs: 200,
    patience: 20,
    learningRate,
    l2,
    batchSize: 64,
  });

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    {
      input: { type: 'string', default: '../shared/datasets/telco-customer-churn.csv' },
      splits: { type: 'string', default: '20' },
    },
    USAGE,
  );
  const data = parseTelco(readFileSync(f.input!, 'utf8'));
  process.stderr.write(`${data.y.length} customers, ${data.featureNames.length} encoded columns\n`);
  const models = [target('logistic_regression', [], 0.001, 0.01), target('mlp_16', [16], 0.003, 0.003)];
  const results: Record<string, number[]> = Object.fromEntries(models.map((m) => [m.name, []]));
  for (let seed = 0; seed < Number(f.splits); seed++) {
    const split = stratifiedSplit(data.y, seed, 0.2, 0.1);
    for (const model of models) {
      const ds = telcoDataset(data, model, split);
      const net = await trainNetwork(ds, seed);
      const test = rowsOf(ds, TEST);
      const x = new Float32Array(test.length * data.featureNames.length);
      test.forEach((r, i) => {
        x.set(
          data.x.subarray(r * data.featureNames.length, (r + 1) * data.featureNames.length),
          i * data.featureNames.length,
        );
      });
      const auc = rocAuc(
        test.map((r) => data.y[r]!),
        await net.predict(x),
      );
      results[model.name]!.push(auc);
      process.stderr.write(
        `split ${seed}: ${model.name} test ROC-AUC ${auc.toFixed(4)} (${net.bestEpoch} epochs)\n`,
      );
    }
  }
  for (const [name, aucs] of Object.entries(results)) {
    const mean = aucs.reduce((s, v) => s + v, 0) / aucs.length;
    const sd = Math.sqrt(aucs.reduce((s, v) => s + (v - mean) ** 2, 0) / aucs.length);
    process.stdout.write(
      `${name}: fixed split (seed 0) ROC-AUC ${aucs[0]!.toFixed(4)}; mean over ${aucs.length} splits ${mean.toFixed(4)} (sd ${sd.toFixed(4)}, min ${Math.min(...aucs).toFixed(4)}, max ${Math.max(...aucs).toFixed(4)})\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`telco failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
