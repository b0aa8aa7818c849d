import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { DuckDb, literal } from '../../src/features/repository/duckdb.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { runTfliteRows } from '../../src/training/pipeline.js';
import { cli } from '../helpers/cli.js';
import { dataset } from '../helpers/datasets.js';
import { until } from '../helpers/load.js';
import { withTestServer } from '../helpers/server.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-real-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The exported model of `modelDir` run on the rows its one feature view holds for `ids` (inputs
 * view.feature are the view table's f_feature columns), in the order of `ids`.
 */
async function modelOnViewRows(store: string, modelDir: string, ids: string[]): Promise<Float32Array> {
  const inputs: string[] = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')).inputs;
  const view = inputs[0]!.split('.')[0]!;
  const columns = inputs.map((name) => `f_${name.split('.')[1]}`);
  const backend = new SqliteBackend(store);
  const rows = await backend.select(
    `SELECT customer_id, ${columns.join(', ')} FROM fv_${view} WHERE customer_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  await backend.close();
  const byId = new Map(rows.map((r) => [String(r.customer_id), r]));
  const x = Float32Array.from(ids.flatMap((id) => columns.map((c) => Number(byId.get(id)![c]))));
  return runTfliteRows(readFileSync(join(modelDir, 'model.tflite')), x, columns.length);
}

/** The first `n` customers of the online table, and the exported model's raw outputs on their rows. */
async function modelOnOnlineRows(store: string, modelDir: string, n: number) {
  const inputs: string[] = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')).inputs;
  const backend = new SqliteBackend(store);
  const ids = (
    await backend.select('SELECT customer_id FROM online_features ORDER BY customer_id LIMIT ?', [n])
  ).map((r) => String(r.customer_id));
  const rows = await new OnlineFeatureStore(backend).getRows(ids);
  await backend.close();
  const x = Float32Array.from(
    ids.flatMap((id) => inputs.map((name) => rows.get(id)!.features[FEATURE_NAMES.indexOf(name as never)]!)),
  );
  return { ids, raw: await runTfliteRows(readFileSync(join(modelDir, 'model.tflite')), x, inputs.length) };
}

/**
 * The project's own configuration, as `make real-data` uses it: the feature repository's views
 * over the real files (models/feature-repository.yaml) and the churn target of
 * models/real-data-pipeline.json (IBM Telco, rows numbered, categories one-hot by expressions,
 * a logistic regression fitted to convergence), applied, materialized, trained and served by id.
 */
describe('a model trained on real data by configuration', () => {
  it('IBM Telco churn: applied, materialized, trained and served by customer id', async () => {
    const store = join(dir, 'store.sqlite');
    const env = { LOYALTY_SQLITE_PATH: store };
    const repository = join(ROOT, 'models/feature-repository.yaml');
    expect(await cli(env, 'features.js', 'apply', '--repository', repository)).toBe(
      'credit: created\ntelco: created\nhillstrom: created\n',
    );
    const materialized = await cli(env, 'features.js', 'materialize', '--repository', repository);
    expect(materialized).toMatch(/credit: 30000 customers/);
    expect(materialized).toMatch(/telco: 7043 customers/);
    expect(materialized).toMatch(/hillstrom: 64000 customers/);

    const staging = join(dir, 'staging');
    const trained = await cli(
      env,
      'train-models.js',
      '--config',
      join(ROOT, 'models/real-data-pipeline.json'),
      '--only',
      'churn,campaign_response',
      '--out',
      staging,
      '--sqlite',
      store,
    );
    // The held-out customers of the pipeline's split: published figures for this data are 0.83-0.85.
    const auc = Number(/churn\/1: roc_auc (0\.\d+)/.exec(trained)?.[1]);
    expect(auc).toBeGreaterThan(0.83);
    const manifest = JSON.parse(readFileSync(join(staging, 'churn/1/manifest.json'), 'utf8'));
    expect(manifest.inputs).toContain('telco.contract_monthly');

    const models = join(dir, 'models');
    cpSync(join(staging, 'churn'), join(models, 'churn'), { recursive: true });
    cpSync(join(staging, 'campaign_response'), join(models, 'campaign_response'), { recursive: true });
    const server = await withTestServer({ ...env, LOYALTY_MODELS_DIR: models });
    try {
      await until(() => server.app.registry.has('churn'), 20_000);
      const { error, response } = await server.models.unary('PredictCustomers', {
        modelName: 'churn',
        customers: ['1', '2', '7043', '7044'].map((id) => ({ customerId: id })),
      });
      expect(error).toBeNull();
      const [first, second, last, unknown] = response!.results;
      expect(unknown!.error).toMatchObject({ code: 5, reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND' });

      // The served probabilities are the model's on the view's materialized row of each customer.
      const direct = await modelOnViewRows(store, join(models, 'churn/1'), ['1', '2', '7043']);
      [first, second, last].forEach((r, i) => {
        expect(r!.prediction!.binary!.probability).toBeCloseTo(direct[i]!, 5);
      });
      // Row 1: one month on a month-to-month contract, paid by electronic check (the riskiest
      // profile of the file); row 2: 34 months on a one-year contract, mailed check.
      expect(first!.prediction!.binary!.probability).toBeGreaterThan(0.4);
      expect(second!.prediction!.binary!.probability).toBeLessThan(0.15);

      // Hillstrom's campaign response, by row number: the model on the hillstrom view's rows.
      await until(() => server.app.registry.has('campaign_response'), 20_000);
      const campaign = await server.models.unary('PredictCustomers', {
        modelName: 'campaign_response',
        customers: ['1', '2', '64000'].map((id) => ({ customerId: id })),
      });
      expect(campaign.error).toBeNull();
      const expected = await modelOnViewRows(store, join(models, 'campaign_response/1'), ['1', '2', '64000']);
      campaign.response!.results.forEach((r, i) => {
        expect(r.prediction!.binary!.probability).toBeCloseTo(expected[i]!, 5);
      });
    } finally {
      await server.close();
    }
  });

  it('Online Retail II: invoice lines imported, propensity trained over monthly cutoffs, served by customer id', async () => {
    // Every line of 300 customers (about 30,000 lines), as the retailer's export writes them.
    const slice = join(dir, 'retail.parquet');
    const source = literal(dataset('online-retail-ii-2009-2010.parquet'));
    const duck = await DuckDb.open();
    try {
      await duck.run(`COPY (SELECT * FROM read_parquet(${source}) WHERE "Customer ID" IN (
          SELECT DISTINCT "Customer ID" FROM read_parquet(${source}) WHERE "Customer ID" IS NOT NULL ORDER BY 1 LIMIT 300)
        ) TO ${literal(slice)} (FORMAT parquet)`);
    } finally {
      duck.close();
    }
    const store = join(dir, 'retail.sqlite');
    const flags = [
      '--customer-column',
      'Customer ID',
      '--invoice-column',
      'Invoice',
      '--date-column',
      'InvoiceDate',
    ];
    await cli(
      {},
      'import-transactions.js',
      '--format',
      'invoices',
      '--input',
      slice,
      ...flags,
      '--product-column',
      'StockCode',
      '--quantity-column',
      'Quantity',
      '--price-column',
      'Price',
      '--as-of',
      '2010-12-09',
      '--currency',
      'GBP',
      '--sqlite',
      store,
    );
    const staging = join(dir, 'retail-staging');
    const trained = await cli(
      {},
      'train-models.js',
      '--config',
      join(ROOT, 'models/retail-pipeline.json'),
      '--only',
      'propensity_30d',
      '--out',
      staging,
      '--sqlite',
      store,
      '--currency',
      'GBP',
    );
    expect(Number(/propensity_30d\/1: roc_auc (0\.\d+)/.exec(trained)?.[1])).toBeGreaterThan(0.6);

    const models = join(dir, 'retail-models');
    cpSync(join(staging, 'propensity_30d'), join(models, 'propensity_30d'), { recursive: true });
    const server = await withTestServer({ LOYALTY_SQLITE_PATH: store, LOYALTY_MODELS_DIR: models });
    try {
      await until(() => server.app.registry.has('propensity_30d'), 20_000);
      const { ids, raw: direct } = await modelOnOnlineRows(store, join(models, 'propensity_30d/1'), 3);
      // Float ids of the file are the integers' text.
      expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
      const { error, response } = await server.models.unary('PredictCustomers', {
        modelName: 'propensity_30d',
        customers: [...ids, '99999999'].map((id) => ({ customerId: id })),
      });
      expect(error).toBeNull();
      ids.forEach((_, i) => {
        expect(response!.results[i]!.prediction!.binary!.probability).toBeCloseTo(direct[i]!, 5);
      });
      expect(response!.results[3]!.error).toMatchObject({
        code: 5,
        reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND',
      });
    } finally {
      await server.close();
    }
  }, 180_000);

  it('CDNOW: transactions imported, lifetime value trained on the calibration weeks, served by customer id', async () => {
    const store = join(dir, 'cdnow.sqlite');
    await cli(
      {},
      'import-transactions.js',
      '--format',
      'cdnow',
      '--input',
      dataset('cdnow-sample.txt'),
      '--as-of',
      '1998-06-30',
      '--currency',
      'USD',
      '--sqlite',
      store,
    );
    const staging = join(dir, 'cdnow-staging');
    const trained = await cli(
      {},
      'train-models.js',
      '--config',
      join(ROOT, 'models/cdnow-pipeline.json'),
      '--out',
      staging,
      '--sqlite',
      store,
      '--currency',
      'USD',
    );
    // Totals add up (the Poisson network is mean-unbiased): within 20% on the test customers.
    expect(Math.abs(Number(/total_ratio (\d+\.\d+)/.exec(trained)?.[1]) - 1)).toBeLessThan(0.2);
    const models = join(dir, 'cdnow-models');
    cpSync(join(staging, 'ltv'), join(models, 'ltv'), { recursive: true });
    const server = await withTestServer({ LOYALTY_SQLITE_PATH: store, LOYALTY_MODELS_DIR: models });
    try {
      await until(() => server.app.registry.has('ltv'), 20_000);
      const manifest = JSON.parse(readFileSync(join(models, 'ltv/1/manifest.json'), 'utf8'));
      const { ids, raw } = await modelOnOnlineRows(store, join(models, 'ltv/1'), 3);
      const { error, response } = await server.models.unary('PredictCustomers', {
        modelName: 'ltv',
        customers: [...ids, 'X99999'].map((id) => ({ customerId: id })),
      });
      expect(error).toBeNull();
      ids.forEach((_, i) => {
        const p = response!.results[i]!.prediction!;
        // The Poisson network's output is the log of the expected spend; served clipped, in USD.
        expect(p.regression!.value).toBeCloseTo(Math.min(manifest.output.clip.max, Math.exp(raw[i]!)), 2);
        expect(p.regression!.money!.currencyCode).toBe('USD');
      });
      expect(response!.results[3]!.error).toMatchObject({ code: 5 });
    } finally {
      await server.close();
    }
  }, 180_000);
});
