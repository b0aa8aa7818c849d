// `make real-data`: every model kind trained on real public data by configuration only, measured
// against references on the same splits. For each row of bench/real-data.json:
// 1. its training set is built from models/real-data-pipeline.json (the feature repository's
//    views joined to the label source, as `train-models` builds it) and written to --dir;
// 2. bench/real-data-reference.py draws the splits (scikit-learn) and fits the references on them;
// 3. our model is trained with the pipeline's settings on each of the same splits and scored;
// then one table: model, data, metric and split, ours, each reference, the gap, the target.
// Writes bench/results/real-data.json (a partial run: --dir/real-data.json). Usage:
//   node bench/real-data.js [--only churn,default_risk] [--splits N (first N of each row)] [--dir /tmp/loyalty-real-data]
//   node bench/real-data.js --cards-only   (the last results into the committed models' cards)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteBackend } from '../dist/features/sql/sqlite-backend.js';
import { datasetJson } from '../dist/training/dataset-export.js';
import { datasetFromLabels } from '../dist/training/labelled-dataset.js';
import { withRealDataSection } from '../dist/training/model-card.js';
import { readPipelineConfig } from '../dist/training/pipeline-config.js';
import { binaryAucOnSplit, upliftOnSplit } from '../dist/training/split-evaluation.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    splits: { type: 'string' },
    dir: { type: 'string', default: '/tmp/loyalty-real-data' },
    spec: { type: 'string', default: new URL('./real-data.json', import.meta.url).pathname },
    'cards-only': { type: 'boolean', default: false },
  },
});
const here = dirname(new URL(import.meta.url).pathname);
const spec = JSON.parse(readFileSync(args.spec, 'utf8'));
const pipelinePath = resolve(dirname(args.spec), spec.pipeline);
const pipeline = readPipelineConfig(pipelinePath);
const only = args.only?.split(',');
const resultsPath = new URL('./results/real-data.json', import.meta.url).pathname;
const log = (line) => process.stderr.write(`${line}\n`);
if (args['cards-only']) {
  const last = JSON.parse(readFileSync(resultsPath, 'utf8'));
  writeCards(last.table, last.when);
  process.exit(0);
}
const rows = spec.rows.filter((r) => !only || only.includes(r.model));
const limit = args.splits ? Number(args.splits) : undefined;
mkdirSync(args.dir, { recursive: true });
const started = performance.now();

// 1. The training sets, from configuration.
const backend = new SqliteBackend(join(args.dir, 'store.sqlite'));
const datasets = new Map();
for (const row of rows) {
  const target = pipeline.fromLabels.find((t) => t.name === row.model);
  if (!target) throw new Error(`${pipelinePath} has no fromLabels target ${row.model}`);
  const { dataset, summary } = await datasetFromLabels(backend, target, pipeline, pipelinePath);
  datasets.set(row.model, dataset);
  writeFileSync(join(args.dir, `${row.model}.json`), datasetJson(dataset));
  log(`${row.model}: ${summary.rows} rows x ${dataset.featureNames.length} features from configuration`);
}
await backend.close();

// 2. The splits and the references (scikit-learn).
const subset = {
  ...spec,
  rows: rows.map((r) => (limit ? { ...r, splits: { ...r.splits, count: limit } } : r)),
};
const subsetPath = join(args.dir, 'spec.json');
writeFileSync(subsetPath, JSON.stringify(subset));
const referencePath = join(args.dir, 'reference.json');
execFileSync(
  '/usr/bin/python3',
  [join(here, 'real-data-reference.py'), '--data', args.dir, '--spec', subsetPath, '--out', referencePath],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
const reference = JSON.parse(readFileSync(referencePath, 'utf8'));

// 3. Ours on the same splits.
const results = [];
for (const row of subset.rows) {
  const ds = datasets.get(row.model);
  const ours = [];
  for (const split of reference[row.model]) {
    if (row.kind === 'uplift') {
      const uplift = {};
      for (const learner of [row.learner, ...(split.extra ? (row.extraLearners ?? []) : [])]) {
        uplift[learner] = await upliftOnSplit(
          ds,
          { name: split.name, seed: split.seed, testIds: split.test },
          pipeline.split.validation,
          learner,
        );
      }
      ours.push({ name: split.name, extra: split.extra, uplift });
      log(
        `${row.model} ${split.name}: ${Object.entries(uplift)
          .map(
            ([l, u]) =>
              `${l} uplift@30% ${u.upliftAt30.toFixed(4)} qini ${u.qini.toFixed(4)} (${u.seconds.toFixed(1)} s)`,
          )
          .join(', ')}, random ${Object.values(uplift)[0].averageEffect.toFixed(4)}`,
      );
      continue;
    }
    const r = await binaryAucOnSplit(
      ds,
      { name: split.name, seed: split.seed, testIds: split.test },
      pipeline.split.validation,
    );
    ours.push({ ...r, extra: split.extra, references: split.references });
    log(
      `${row.model} ${split.name}: ours ${r.rocAuc.toFixed(4)} (${r.epochs} epochs, ${r.seconds.toFixed(1)} s), ${Object.entries(
        split.references,
      )
        .map(([n, v]) => `${n} ${v.toFixed(4)}`)
        .join(', ')}`,
    );
  }
  results.push({ row, ours });
}

// 4. The table.
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const f4 = (v) => v.toFixed(4);
const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;
const lines = [
  '| model | data | metric, split | ours | references | target | met |',
  '|---|---|---|---|---|---|---|',
];
const summary = [];
for (const { row, ours } of results) {
  if (row.kind === 'uplift') {
    upliftRows(row, ours);
    continue;
  }
  const repeated = ours.filter((o) => !o.extra);
  const oursMean = mean(repeated.map((o) => o.rocAuc));
  const refMeans = Object.fromEntries(
    row.references.map((n) => [n, mean(repeated.map((o) => o.references[n]))]),
  );
  const refs = row.references.map((n) => `${n} ${f4(refMeans[n])}`).join(', ');
  for (const t of row.targets) {
    let cell;
    let target;
    let met;
    let metric = `ROC-AUC, mean of ${repeated.length} ${row.splits.stratified ? 'stratified ' : ''}${Math.round((1 - row.splits.test) * 100)}/${Math.round(row.splits.test * 100)} splits`;
    let refCell = refs;
    if (t.mean) {
      const gap = oursMean - refMeans[t.mean];
      cell = `${f4(oursMean)} ± ${f4(sd(repeated.map((o) => o.rocAuc)))}`;
      target = `>= ${t.mean} ${signed(t.margin)} (gap ${signed(gap)})`;
      met = gap >= t.margin;
    } else if (t.paired) {
      const diffs = repeated.map((o) => o.rocAuc - o.references[t.paired]);
      const d = mean(diffs);
      cell = `${f4(oursMean)}`;
      metric += ', paired';
      target = `mean(ours - ${t.paired}) >= ${signed(t.margin)}: ${signed(d)} ± ${f4(sd(diffs) / Math.sqrt(diffs.length))} (se)`;
      met = d >= t.margin;
    } else if (t.split) {
      const one = ours.find((o) => o.name === t.split);
      metric = `ROC-AUC, ${t.split}`;
      cell = f4(one.rocAuc);
      const published = (row.published ?? []).filter((p) => p.split === t.split);
      refCell = [
        ...Object.entries(one.references).map(([n, v]) => `${n} ${f4(v)}`),
        ...published.map((p) => `${p.name} ${f4(p.value)} (published)`),
      ].join(', ');
      target = `>= ${f4(t.atLeast)} (gap ${signed(one.rocAuc - t.atLeast)})`;
      met = one.rocAuc >= t.atLeast;
    }
    lines.push(
      `| ${row.model} | ${row.data} | ${metric} | ${cell} | ${refCell} | ${target} | ${met ? 'yes' : '**no**'} |`,
    );
    summary.push({ model: row.model, metric, ours: cell, references: refCell, target, met });
  }
}
/** The table rows of an uplift model: uplift@30% over the splits, the Qini coefficient, one named split. */
function upliftRows(row, ours) {
  const repeated = ours.filter((o) => !o.extra);
  const of = (key, learner = row.learner) => repeated.map((o) => o.uplift[learner][key]);
  const refs = (block, extra = {}) =>
    Object.entries({ ...row.published[block], ...extra })
      .map(([n, v]) => `${n} ${f4(v)}`)
      .join(', ');
  const splits = `${repeated.length} ${row.splits.stratified ? 'stratified' : 'unstratified'} 50/50 splits`;
  for (const t of row.targets) {
    let metric;
    let cell;
    let refCell;
    let target;
    let met;
    if (t.upliftMean !== undefined) {
      const m = mean(of('upliftAt30'));
      metric = `uplift@30% (overall), mean of ${splits}, ${row.learner}`;
      cell = `${f4(m)} ± ${f4(sd(of('upliftAt30')))}`;
      refCell = refs('mean', { 'random (these splits)': mean(of('averageEffect')) });
      target = `>= ${f4(t.upliftMean)} (gap ${signed(m - t.upliftMean)})`;
      met = m >= t.upliftMean;
    } else if (t.qini) {
      metric = `Qini coefficient, mean of ${splits}, ${row.learner}`;
      cell = `${f4(mean(of('qini')))} ± ${f4(sd(of('qini')))}`;
      refCell = refs('qini');
      target = 'reported beside the references';
      met = undefined;
    } else if (t.upliftSplit) {
      const one = ours.find((o) => o.name === t.upliftSplit);
      metric = `uplift@30% (overall), ${t.upliftSplit} (test_size 0.5, random_state 42, unstratified)`;
      cell = Object.entries(one.uplift)
        .map(([l, u]) => `${l} ${f4(u.upliftAt30)}`)
        .join(', ');
      refCell = refs(t.upliftSplit, { 'random (this split)': one.uplift[row.learner].averageEffect });
      const v = one.uplift[row.learner].upliftAt30;
      target = `${row.learner} >= ${f4(t.atLeast)} (gap ${signed(v - t.atLeast)})`;
      met = v >= t.atLeast;
    }
    lines.push(
      `| ${row.model} | ${row.data} | ${metric} | ${cell} | ${refCell} | ${target} | ${met === undefined ? 'reported' : met ? 'yes' : '**no**'} |`,
    );
    summary.push({ model: row.model, metric, ours: cell, references: refCell, target, met });
  }
}

// 5. Pipelines over a store imported from a real file: the models' own test metrics (their
// manifests), averaged over the store's seeds (each seed a split of the customers).
const root = new URL('../', import.meta.url).pathname;
const node = (script, a) =>
  execFileSync(process.execPath, [join(root, 'dist/cli', script), ...a], {
    cwd: dirname(args.spec),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
for (const store of spec.stores ?? []) {
  const storeRows = store.rows.filter((r) => !only || only.includes(r.model));
  if (storeRows.length === 0) continue;
  const sqlite = join(args.dir, `${store.name}.sqlite`);
  node('import-transactions.js', [...store.import, '--sqlite', sqlite]);
  const base = JSON.parse(readFileSync(resolve(dirname(args.spec), store.pipeline), 'utf8'));
  const seeds = (store.seeds ?? [base.seed]).slice(0, limit);
  const runs = [];
  for (const seed of seeds) {
    const pipeline = join(args.dir, `${store.name}-pipeline-${seed}.json`);
    writeFileSync(pipeline, JSON.stringify({ ...base, seed }));
    const out = join(args.dir, `${store.name}-models-${seed}`);
    const models = [...new Set(storeRows.map((r) => r.model))];
    const exported = join(args.dir, `${store.name}-datasets-${seed}`);
    const trainArgs = ['--config', pipeline, '--sqlite', sqlite, '--out', out, '--only', models.join(',')];
    node('train-models.js', [...trainArgs, '--currency', store.currency, '--export-datasets', exported]);
    const run = {};
    for (const m of models) {
      run[m] = JSON.parse(readFileSync(join(out, m, '1', 'manifest.json'), 'utf8')).metrics;
      // scikit-learn's references on the very rows and split the pipeline used.
      const refs = store.references?.[m];
      if (refs?.includes('cooccurrence')) {
        const fitted = JSON.parse(
          execFileSync(
            '/usr/bin/python3',
            [
              join(here, 'real-data-reference.py'),
              '--ranking',
              join(exported, `${m}.json`),
              '--store',
              sqlite,
            ],
            { encoding: 'utf8', maxBuffer: 1 << 20 },
          ),
        );
        for (const [name, value] of Object.entries(fitted)) run[m][`reference_${name}`] = value;
      } else if (refs) {
        const fitted = JSON.parse(
          execFileSync(
            '/usr/bin/python3',
            [
              join(here, 'real-data-reference.py'),
              '--fixed-split',
              join(exported, `${m}.json`),
              '--references',
              refs.join(','),
            ],
            { encoding: 'utf8', maxBuffer: 1 << 20 },
          ),
        );
        for (const [name, value] of Object.entries(fitted)) run[m][`reference_${name}`] = value;
      }
    }
    runs.push(run);
    log(`${store.name} seed ${seed}: trained ${models.join(', ')}`);
  }
  const avg = (model, key) => mean(runs.map((r) => r[model][key]));
  for (const row of storeRows) {
    const ours = avg(row.model, row.metric);
    const refs = Object.fromEntries(
      Object.entries(row.references).map(([n, key]) => [n, avg(row.model, key)]),
    );
    const t = row.target;
    const [target, met] = t.between
      ? [`${t.between[0]}-${t.between[1]}`, ours >= t.between[0] && ours <= t.between[1]]
      : t.below
        ? [`below ${t.below} (gap ${signed(ours - refs[t.below])})`, ours < refs[t.below]]
        : t.atLeast
          ? [`>= ${t.atLeast} (gap ${signed(ours - refs[t.atLeast])})`, ours >= refs[t.atLeast]]
          : t.atLeastMargin
            ? [
                `>= ${t.atLeastMargin[0]} ${signed(t.atLeastMargin[1])} (gap ${signed(ours - refs[t.atLeastMargin[0]])})`,
                ours - refs[t.atLeastMargin[0]] >= t.atLeastMargin[1],
              ]
            : [t.note, undefined];
    const refCell = Object.entries(refs)
      .map(([n, v]) => `${n} ${f4(v)}`)
      .join(', ');
    const metric = `${row.label}${runs.length > 1 ? `, mean of ${runs.length} splits` : ''}`;
    lines.push(
      `| ${row.model} | ${store.data} | ${metric} | ${f4(ours)} | ${refCell} | ${target} | ${met === undefined ? 'not measured' : met ? 'yes' : '**no**'} |`,
    );
    summary.push({ model: row.model, metric, ours: f4(ours), references: refCell, target, met });
  }
}

const minutes = (performance.now() - started) / 60_000;
process.stdout.write(`${lines.join('\n')}\n\n${minutes.toFixed(1)} minutes on this machine\n`);
const when = new Date().toISOString();
// Only a whole run replaces the kept results and the cards; a partial one (--only, --splits)
// writes its figures beside its training sets.
const whole = !only && limit === undefined;
const written = whole ? resultsPath : join(args.dir, 'real-data.json');
mkdirSync(dirname(written), { recursive: true });
writeFileSync(
  written,
  `${JSON.stringify({ when, minutes, table: summary, splits: results.map(({ row, ours }) => ({ model: row.model, ours })) }, null, 1)}\n`,
);
if (whole) writeCards(summary, when);

/**
 * Each committed model of a kind measured here (models/<model>/1) states the real-data figures
 * in its card, beside its demo figures, in a section that retraining keeps (model-card.ts).
 */
function writeCards(table, date) {
  const dataOf = new Map(
    [...spec.rows, ...(spec.stores ?? []).flatMap((s) => s.rows.map((r) => ({ ...r, data: s.data })))].map(
      (r) => [r.model, r.data],
    ),
  );
  for (const model of new Set(table.map((r) => r.model))) {
    const path = join(here, '..', 'models', model, '1', 'MODEL_CARD.md');
    if (!existsSync(path)) continue;
    const rows = table
      .filter((r) => r.model === model)
      .map(
        (r) =>
          `| ${r.metric} | ${r.ours} | ${r.references} | ${r.target} | ${r.met === undefined || r.met === null ? 'reported' : r.met ? 'yes' : 'no'} |`,
      );
    const section = `## On real data

This kind of model trained by configuration on ${dataOf.get(model) ?? 'public data'} (\`make real-data\`, ${date.slice(0, 10)}; every figure: [docs/real-data/results.md](../../../docs/real-data/results.md)):

| metric, split | ours | references | target | met |
|---|---|---|---|---|
${rows.join('\n')}`;
    writeFileSync(path, withRealDataSection(readFileSync(path, 'utf8'), '', section));
    log(`${path}: real-data section written`);
  }
}
