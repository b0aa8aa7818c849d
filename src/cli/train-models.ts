import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MysqlBackend } from '../features/sql/mysql-backend.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { DEMO_CURRENCY, isDemoCustomerId } from '../offline/demo/demo-data.js';
import { buildDemoStore, hasMaterialization } from '../offline/demo/demo-store.js';
import { OfflineStore } from '../offline/offline-store.js';
import { buildDatasets } from '../training/dataset.js';
import { datasetJson } from '../training/dataset-export.js';
import { datasetFromLabels } from '../training/labelled-dataset.js';
import { trainTarget, writeModelFolder } from '../training/pipeline.js';
import { readPipelineConfig } from '../training/pipeline-config.js';
import { parseFlags } from './args.js';
import { progressReporter } from './progress.js';

const USAGE = `usage: node dist/cli/train-models.js [--config models/pipeline.json] [--out models]
  [--sqlite data/loyalty-demo.sqlite | --mysql mysql://...] [--only NAME[,NAME...]] [--currency EUR]
  [--export-datasets DIR]   also write each training set to DIR/<name>.json (ids, feature names,
                            x, y, split: 0 train, 1 validation, 2 test) for reference models
Builds point-in-time training sets from the feature store's raw tables, trains every target of
the config, exports each to TFLite and writes models/<name>/<version>/. With the default SQLite
path and no store there, the 100,000-customer demo store (seed 42) is created first.`;

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    {
      config: { type: 'string', default: 'models/pipeline.json' },
      out: { type: 'string', default: 'models' },
      sqlite: { type: 'string', default: 'data/loyalty-demo.sqlite' },
      mysql: { type: 'string' },
      only: { type: 'string' },
      currency: { type: 'string', default: DEMO_CURRENCY },
      'export-datasets': { type: 'string' },
    },
    USAGE,
  );
  const config = readPipelineConfig(f.config!);
  if (f.only) {
    const only = f.only.split(',');
    config.models = config.models.filter((m) => only.includes(m.name));
    config.fromLabels = config.fromLabels.filter((m) => only.includes(m.name));
  }
  if (config.models.length + config.fromLabels.length === 0)
    throw new Error(`no target named ${f.only} in ${f.config}`);

  let backend: SqlBackend;
  if (f.mysql) backend = new MysqlBackend({ url: f.mysql, poolSize: 4, queryTimeoutMs: 600_000 });
  else {
    backend = new SqliteBackend(f.sqlite!);
    // Targets from labels read the store's views only: no demo store for them. A store holding
    // customers of its own (an import) is trained on as it is, never replaced by the demo base.
    if (
      config.models.length > 0 &&
      (!existsSync(f.sqlite!) || !(await hasMaterialization(backend))) &&
      !(await holdsImportedCustomers(backend))
    ) {
      const generate = progressReporter('generating demo customers');
      const features = progressReporter('materializing features');
      await buildDemoStore(backend, {
        customers: 100_000,
        seed: 42,
        onProgress: (stage, d, t) => (stage === 'generate' ? generate : features)(d, t),
        workersOpen: { kind: 'sqlite', path: f.sqlite! },
      });
    }
  }
  try {
    const datasets =
      config.models.length === 0
        ? []
        : await buildDatasets(new OfflineStore(backend), config, {
            onProgress: progressReporter('building training sets'),
          });
    for (const t of config.fromLabels) {
      const { dataset, summary } = await datasetFromLabels(backend, t, config, f.config!);
      const left = Object.entries(summary.leftOut).map(([name, n]) => `${n} without ${name}`);
      process.stderr.write(
        `${t.name}: ${summary.rows} label rows joined point in time${left.length ? ` (left out: ${left.join(', ')})` : ''}\n`,
      );
      datasets.push(dataset);
    }
    for (const ds of datasets) {
      const pending =
        ds.servedRowsPending === undefined
          ? ''
          : ` from the prediction log (${ds.servedRowsPending} served rows left out: their label window is not over)`;
      process.stderr.write(
        `${ds.target.name}: ${ds.customerIds.length} rows, ${ds.featureNames.length} features${pending}\n`,
      );
      if (ds.customerIds.length === 0) throw new Error(`${ds.target.name}: no rows to train on`);
      if (f['export-datasets']) {
        mkdirSync(f['export-datasets'], { recursive: true });
        writeFileSync(join(f['export-datasets'], `${ds.target.name}.json`), datasetJson(ds));
      }
      const artifact = await trainTarget(ds, {
        seed: config.seed,
        currency: f.currency!,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const dir = writeModelFolder(f.out!, artifact);
      const shown = Object.entries(artifact.manifest.metrics)
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join(', ');
      process.stdout.write(`${dir}: ${shown}\n`);
    }
  } finally {
    await backend.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `training failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});

/** Whether the store holds customers that the demo generator did not write. */
async function holdsImportedCustomers(backend: SqlBackend): Promise<boolean> {
  try {
    const rows = await backend.select('SELECT customer_id FROM customers LIMIT 1');
    return rows.length > 0 && !isDemoCustomerId(String(rows[0]!.customer_id));
  } catch {
    return false;
  }
}
