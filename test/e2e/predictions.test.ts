import { readdirSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type FeatureRow } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import type { ModelPrediction__Output } from '../../src/generated/loyalty/v1/ModelPrediction.js';
import { clvInputs, forecastSpend } from '../../src/models/clv.js';
import type { ModelManifest } from '../../src/models/manifest.js';
import { parseManifest } from '../../src/models/manifest.js';
import { regressionValue } from '../../src/models/postprocess.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { seedOfKey } from '../../src/random.js';
import { runTfliteRows } from '../../src/training/pipeline.js';
import { buildTestSqliteStore, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, mysqlAvailable } from '../helpers/mysql.js';
import { inSeconds, type TestServer, withTestServer } from '../helpers/server.js';

const hasMysql = await mysqlAvailable();
const MODELS = new URL('../../models/', import.meta.url).pathname;

function model(name: string): { manifest: ModelManifest; tflite: Uint8Array } {
  return {
    manifest: parseManifest(JSON.parse(readFileSync(`${MODELS}${name}/1/manifest.json`, 'utf8'))),
    tflite: readFileSync(`${MODELS}${name}/1/model.tflite`),
  };
}

/** The reference: the committed .tflite run directly with tfjs-tflite, one row at a time. */
async function direct(name: string, rows: FeatureRow[]): Promise<Float32Array[]> {
  const { manifest, tflite } = model(name);
  const index = manifest.inputs.map((n) => (FEATURE_NAMES as readonly string[]).indexOf(n));
  const x = new Float32Array(rows.length * index.length);
  rows.forEach((r, i) => {
    index.forEach((f, j) => {
      x[i * index.length + j] = r.features[f]!;
    });
  });
  const out = await runTfliteRows(tflite, x, index.length);
  const width = out.length / rows.length;
  return rows.map((_, i) => out.subarray(i * width, (i + 1) * width));
}

/** Every model committed under models/. */
const COMMITTED_MODELS = readdirSync(MODELS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** A served ranking is the direct output's order, without the recent purchases when the manifest says so. */
function expectRanking(
  ranking: { items: { code: string; score: number; rank: number }[]; excludedRecent: number },
  out: Float32Array,
  manifest: ModelManifest,
  recentItems: readonly string[],
) {
  const codes = manifest.output.labels;
  const left = manifest.output.excludeRecentItems ? new Set(recentItems) : new Set<string>();
  const want = codes
    .map((code, i) => ({ code, score: out[i]! }))
    .filter((item) => !left.has(item.code))
    .sort((a, b) => b.score - a.score);
  expect(ranking.items.map((item) => item.code)).toEqual(want.map((item) => item.code));
  ranking.items.forEach((item, r) => {
    expect(item.score).toBeCloseTo(want[r]!.score, 6);
    expect(item.rank).toBe(r + 1);
  });
  expect(ranking.excludedRecent).toBe(codes.length - want.length);
}

const stores = [
  {
    name: 'the embedded store',
    skip: false,
    async setup() {
      const demo = await buildTestSqliteStore();
      return {
        env: { LOYALTY_SQLITE_PATH: demo.path },
        reader: new SqliteBackend(demo.path),
        cleanup: async () => demo.cleanup(),
      };
    },
  },
  {
    name: 'MariaDB',
    skip: !hasMysql,
    async setup() {
      const db = await createTestDatabase();
      const writer = new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
      await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
      await writer.close();
      return {
        env: { LOYALTY_MYSQL_URL: db.url },
        reader: new MysqlBackend({ url: db.url, poolSize: 2, queryTimeoutMs: 10_000 }),
        cleanup: () => db.drop(),
      };
    },
  },
];

for (const store of stores) {
  describe.skipIf(store.skip)(`the prediction RPCs on ${store.name}`, () => {
    let server: TestServer;
    let rows: FeatureRow[];
    let teardown: () => Promise<void>;
    const ids = [customerId(0), customerId(1), customerId(2), customerId(10), customerId(500)];

    beforeAll(async () => {
      const s = await store.setup();
      const reader = new OnlineFeatureStore(s.reader);
      const byId = await reader.getRows(ids);
      rows = ids.map((id) => byId.get(id)!);
      await reader.close();
      server = await withTestServer({ ...s.env, LOYALTY_WORKERS: '2' });
      teardown = s.cleanup;
    });

    afterAll(async () => {
      await server?.close();
      await teardown?.();
    });

    const opts = () => ({ deadline: inSeconds(10) });
    const customers = (list: string[]) => list.map((id) => ({ customerId: id }));

    it('PredictChurn answers the direct tfjs-tflite probability, a risk band and the model version, single and batch', async () => {
      const expected = await direct('churn', rows);
      const single = await server.loyalty.unary('PredictChurn', { customers: customers([ids[0]!]) }, opts());
      expect(single.error).toBeNull();
      expect(single.response!.model).toEqual({ name: 'churn', version: '1' });
      expect(single.response!.results[0]!.prediction!.probability).toBeCloseTo(expected[0]![0]!, 6);
      const batch = await server.loyalty.unary(
        'PredictChurn',
        { customers: customers([...ids, 'UNKNOWN']) },
        opts(),
      );
      const results = batch.response!.results;
      expect(results.map((r) => r.customerId)).toEqual([...ids, 'UNKNOWN']);
      ids.forEach((_, i) => {
        expect(results[i]!.prediction!.probability).toBeCloseTo(expected[i]![0]!, 6);
        expect(results[i]!.prediction!.riskBand).toMatch(/^RISK_BAND_(LOW|MEDIUM|HIGH)$/);
      });
      expect(results[ids.length]!.error!.code).toBe(grpc.status.NOT_FOUND);
    });

    it('PredictNbo ranks the 8 offers by the direct probabilities, top-k on request', async () => {
      const expected = await direct('nbo', rows);
      const { response } = await server.loyalty.unary(
        'PredictNbo',
        { customers: customers(ids), topK: 0 },
        opts(),
      );
      response!.results.forEach((r, i) => {
        const offers = r.prediction!.offers;
        expect(offers).toHaveLength(8);
        expect(offers.map((o) => o.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        const best = expected[i]!.indexOf(Math.max(...expected[i]!));
        expect(offers[0]!.offerCode).toBe(model('nbo').manifest.output.labels[best]);
        expect(offers[0]!.probability).toBeCloseTo(expected[i]![best]!, 6);
        expect(offers.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 5);
      });
      const top3 = await server.loyalty.unary(
        'PredictNbo',
        { customers: customers([ids[0]!]), topK: 3 },
        opts(),
      );
      expect(top3.response!.results[0]!.prediction!.offers).toHaveLength(3);
    });

    it('PredictLtv answers the direct output through its transform, clipped, as money with its horizon, and the BG/NBD forecast', async () => {
      const expected = await direct('ltv', rows);
      const { manifest } = model('ltv');
      const clv = manifest.clv!;
      const { response } = await server.loyalty.unary('PredictLtv', { customers: customers(ids) }, opts());
      const amount = (m: { units: string | number; nanos: number }) => Number(m.units) + m.nanos / 1e9;
      response!.results.forEach((r, i) => {
        const value = r.prediction!.value!;
        const want = regressionValue(expected[i]![0]!, manifest);
        expect(value.currencyCode).toBe('EUR');
        expect(amount(value)).toBeCloseTo(want, 1);
        expect(r.prediction!.horizonMonths).toBe(12);
        // The probabilistic view, from the store row's purchase record and the fitted parameters.
        const { m, ...history } = clvInputs(
          rows[i]!.features[FEATURE_NAMES.indexOf('tenure_days')]!,
          rows[i]!.rfm,
        );
        const f = forecastSpend(clv.bgnbd, clv.gammaGamma, history, m, 52, seedOfKey(ids[i]!));
        const got = r.prediction!.forecast!;
        expect(got.probabilityAlive).toBeCloseTo(f.probabilityAlive, 12);
        expect(got.probabilityAlive).toBeGreaterThan(0);
        expect(got.probabilityAlive).toBeLessThanOrEqual(1);
        expect(got.expectedTransactions).toBeCloseTo(f.expectedTransactions, 12);
        expect(amount(got.expectedSpend!)).toBeCloseTo(f.expectedSpend, 1);
        expect(amount(got.spendP10!)).toBeCloseTo(f.p10, 1);
        expect(amount(got.spendP90!)).toBeCloseTo(f.p90, 1);
        expect(f.p10).toBeLessThanOrEqual(f.p90);
      });
      // Raw features carry no purchase record: no forecast.
      const values = Object.fromEntries(
        manifest.inputs.map((n) => [n, rows[0]!.features[(FEATURE_NAMES as readonly string[]).indexOf(n)]!]),
      );
      const raw = await server.loyalty.unary(
        'PredictLtv',
        { customers: [{ features: { reference: 'r', values } }] },
        opts(),
      );
      expect(raw.response!.results[0]!.prediction!.forecast).toBeNull();
    });

    it('scores raw features of a customer not in the store like the same features from the store', async () => {
      const { manifest } = model('churn');
      const values = Object.fromEntries(
        manifest.inputs.map((n) => [n, rows[0]!.features[(FEATURE_NAMES as readonly string[]).indexOf(n)]!]),
      );
      const raw = await server.loyalty.unary(
        'PredictChurn',
        { customers: [{ features: { reference: 'p1', values } }] },
        opts(),
      );
      const stored = await server.loyalty.unary('PredictChurn', { customers: customers([ids[0]!]) }, opts());
      expect(raw.response!.results[0]!.customerId).toBe('p1');
      expect(raw.response!.results[0]!.prediction!.probability).toBeCloseTo(
        stored.response!.results[0]!.prediction!.probability,
        6,
      );
    });

    it.each(COMMITTED_MODELS)(
      'PredictCustomers answers %s by customer id with the direct tfjs-tflite output, typed by its output kind',
      async (name) => {
        const expected = await direct(name, rows);
        const { manifest } = model(name);
        const { error, response } = await server.models.unary(
          'PredictCustomers',
          { modelName: name, customers: customers([...ids, 'UNKNOWN']) },
          opts(),
        );
        expect(error).toBeNull();
        expect(response!.model).toEqual({ name, version: '1' });
        const results = response!.results;
        expect(results.map((r) => r.customerId)).toEqual([...ids, 'UNKNOWN']);
        expect(results[ids.length]!.error!.code).toBe(grpc.status.NOT_FOUND);
        ids.forEach((_, i) => {
          const p = results[i]!.prediction!;
          const out = expected[i]!;
          if (manifest.output.kind === 'binary_probability') {
            expect(p.binary!.probability).toBeCloseTo(out[0]!, 6);
            expect(p.binary!.riskBand).toMatch(/^RISK_BAND_(LOW|MEDIUM|HIGH)$/);
          } else if (manifest.output.kind === 'class_probabilities') {
            const best = out.indexOf(Math.max(...out));
            expect(p.classes!.labels).toHaveLength(manifest.output.labels.length);
            expect(p.classes!.labels[0]!.code).toBe(manifest.output.labels[best]);
            expect(p.classes!.labels[0]!.probability).toBeCloseTo(out[best]!, 6);
          } else if (manifest.output.kind === 'ranking') {
            expectRanking(p.ranking!, out, manifest, rows[i]!.recentItems);
          } else if (manifest.output.kind === 'uplift') {
            expect(p.uplift!.treatedProbability).toBeCloseTo(out[0]!, 6);
            expect(p.uplift!.untreatedProbability).toBeCloseTo(out[1]!, 6);
            expect(p.uplift!.uplift).toBeCloseTo(out[0]! - out[1]!, 6);
          } else {
            // Written out here rather than through postprocess.ts: the transforms and the clip.
            const t = manifest.output.transform;
            const raw = t === 'expm1' ? Math.expm1(out[0]!) : t === 'exp' ? Math.exp(out[0]!) : out[0]!;
            const want = Math.min(manifest.output.clip!.max, Math.max(0, raw));
            expect(p.regression!.value).toBeCloseTo(want, 2);
            if (manifest.output.currency) expect(p.regression!.money!.currencyCode).toBe('EUR');
            else expect(p.regression!.unit).toBe(manifest.output.unit);
            expect(p.regression!.horizonMonths).toBe(manifest.output.horizonMonths);
          }
        });
      },
    );

    it('PredictCustomers gives a regression trained with BG/NBD the same forecast as PredictLtv; other regressions none', async () => {
      const generic = await server.models.unary(
        'PredictCustomers',
        { modelName: 'ltv', customers: customers(ids) },
        opts(),
      );
      const named = await server.loyalty.unary('PredictLtv', { customers: customers(ids) }, opts());
      const forecasts = generic.response!.results.map((r) => r.prediction!.regression!.forecast);
      expect(forecasts.every((f) => f !== null && f.probabilityAlive > 0)).toBe(true);
      expect(forecasts).toEqual(named.response!.results.map((r) => r.prediction!.forecast));
      const others = COMMITTED_MODELS.filter(
        (n) => n !== 'ltv' && model(n).manifest.output.kind === 'regression',
      );
      expect(others.length).toBeGreaterThan(0);
      for (const name of others) {
        expect(model(name).manifest.clv).toBeUndefined();
        const r = await server.models.unary(
          'PredictCustomers',
          { modelName: name, customers: customers(ids) },
          opts(),
        );
        expect(r.response!.results.every((x) => x.prediction!.regression!.forecast === null)).toBe(true);
      }
    });

    it('PredictChurn is the churn view of PredictCustomers: the same probabilities and bands', async () => {
      const generic = await server.models.unary(
        'PredictCustomers',
        { modelName: 'churn', customers: customers(ids) },
        opts(),
      );
      const named = await server.loyalty.unary('PredictChurn', { customers: customers(ids) }, opts());
      expect(generic.response!.results.map((r) => r.prediction!.binary!.probability)).toEqual(
        named.response!.results.map((r) => r.prediction!.probability),
      );
      expect(generic.response!.results.map((r) => r.prediction!.binary!.riskBand)).toEqual(
        named.response!.results.map((r) => r.prediction!.riskBand),
      );
    });

    it.each([
      [
        'an unknown model',
        { modelName: 'nope' },
        grpc.status.NOT_FOUND,
        /model nope is not loaded; loaded: .*churn/,
      ],
      [
        'top_k beyond the labels',
        { modelName: 'nbo', topK: 9 },
        grpc.status.INVALID_ARGUMENT,
        /top_k is 9; model nbo has 8 labels/,
      ],
      [
        'no customers',
        { modelName: 'churn', customers: [] },
        grpc.status.INVALID_ARGUMENT,
        /customers is empty/,
      ],
      [
        'a malformed model name',
        { modelName: 'no such/model' },
        grpc.status.INVALID_ARGUMENT,
        /model_name .* is malformed/,
      ],
    ])(
      'PredictCustomers answers %s with the right status, and serves the next call',
      async (_what, request, code, message) => {
        const { error } = await server.models.unary(
          'PredictCustomers',
          { customers: customers([ids[0]!]), ...request },
          opts(),
        );
        expect(error?.code).toBe(code);
        expect(error?.details).toMatch(message);
        const next = await server.models.unary(
          'PredictCustomers',
          { modelName: 'churn', customers: customers([ids[0]!]) },
          opts(),
        );
        expect(next.error).toBeNull();
      },
    );

    it.each(COMMITTED_MODELS)(
      'ScoreCustomers streams %s by name with the answers of PredictCustomers',
      async (name) => {
        const { error, messages } = await server.loyalty.stream(
          'ScoreCustomers',
          { modelName: name, chunkSize: 1000, topK: 3, filter: { segments: ['RFM_SEGMENT_CHAMPIONS'] } },
          opts(),
        );
        expect(error).toBeNull();
        const scored = messages.flatMap((chunk) => chunk.customers);
        expect(scored.length).toBeGreaterThan(10);
        const sample = scored.slice(0, 20);
        const { response } = await server.models.unary(
          'PredictCustomers',
          { modelName: name, topK: 3, customers: customers(sample.map((c) => c.customerId)) },
          opts(),
        );
        // Streams leave out the BG/NBD forecast (its simulation per customer); the rest is the same.
        const withoutForecast = (p: ModelPrediction__Output | null | undefined) =>
          p?.regression ? { ...p, regression: { ...p.regression, forecast: null } } : p;
        expect(sample.every((c) => (c.prediction!.regression?.forecast ?? null) === null)).toBe(true);
        expect(response!.results.map((r) => withoutForecast(r.prediction))).toEqual(
          sample.map((c) => c.prediction),
        );
      },
    );

    it('ScoreCustomers streams any model by name: propensity_30d for the whole base, as PredictCustomers answers', async () => {
      const { error, messages } = await server.loyalty.stream(
        'ScoreCustomers',
        { modelName: 'propensity_30d', chunkSize: 900 },
        opts(),
      );
      expect(error).toBeNull();
      for (const chunk of messages) expect(chunk.model).toEqual({ name: 'propensity_30d', version: '1' });
      const scored = messages.flatMap((chunk) => chunk.customers);
      expect(scored.length).toBeGreaterThan(TEST_CUSTOMERS * 0.9);
      const byId = new Map(scored.map((c) => [c.customerId, c.prediction!.binary!.probability]));
      const { response } = await server.models.unary(
        'PredictCustomers',
        { modelName: 'propensity_30d', customers: customers(ids) },
        opts(),
      );
      for (const r of response!.results)
        expect(byId.get(r.customerId)).toBeCloseTo(r.prediction!.binary!.probability, 6);
    });

    it.each([
      [
        'both kind and model_name',
        { kind: 'SCORE_KIND_CHURN' as const, modelName: 'churn' },
        grpc.status.INVALID_ARGUMENT,
      ],
      ['an unknown model', { modelName: 'nope' }, grpc.status.NOT_FOUND],
      ['neither kind nor model_name', {}, grpc.status.INVALID_ARGUMENT],
    ])('ScoreCustomers answers %s with the right status', async (_what, request, code) => {
      const { error } = await server.loyalty.stream('ScoreCustomers', request, opts());
      expect(error?.code).toBe(code);
    });

    it('Predict runs any model by name on rows of values and answers its raw outputs', async () => {
      const expected = await direct('propensity_30d', rows);
      const { manifest } = model('propensity_30d');
      const input = rows.map((r) => ({
        values: manifest.inputs.map((n) => r.features[(FEATURE_NAMES as readonly string[]).indexOf(n)]!),
      }));
      const { error, response } = await server.models.unary(
        'Predict',
        { modelName: 'propensity_30d', rows: input },
        opts(),
      );
      expect(error).toBeNull();
      expect(response!.model).toEqual({ name: 'propensity_30d', version: '1' });
      for (const [i, r] of response!.rows.entries()) expect(r.values[0]).toBeCloseTo(expected[i]![0]!, 6);
    });

    it.each([
      [
        'an unknown model',
        { modelName: 'nope', rows: [{ values: [1] }] },
        grpc.status.NOT_FOUND,
        /model nope is not loaded; loaded: .*churn \(1\)/,
      ],
      [
        'an unknown version',
        { modelName: 'churn', version: '9', rows: [{ values: [1] }] },
        grpc.status.NOT_FOUND,
        /version 9 is not loaded/,
      ],
      [
        'a wrong feature count',
        { modelName: 'churn', rows: [{ values: [1, 2, 3] }] },
        grpc.status.INVALID_ARGUMENT,
        /rows\[0\] has 3 values; model churn takes 16: tenure_days/,
      ],
      [
        'a NaN',
        { modelName: 'churn', rows: [{ values: [Number.NaN, ...new Array(15).fill(0)] }] },
        grpc.status.INVALID_ARGUMENT,
        /values\[0\] is NaN/,
      ],
      [
        'an infinite value',
        { modelName: 'churn', rows: [{ values: [...new Array(15).fill(0), Number.POSITIVE_INFINITY] }] },
        grpc.status.INVALID_ARGUMENT,
        /values\[15\] is Infinity/,
      ],
      ['no rows', { modelName: 'churn', rows: [] }, grpc.status.INVALID_ARGUMENT, /rows is empty/],
    ])(
      'Predict answers %s with the right status and what is accepted',
      async (_what, request, code, message) => {
        const { error } = await server.models.unary('Predict', request, opts());
        expect(error?.code).toBe(code);
        expect(error?.details).toMatch(message);
      },
    );

    it('ListModels and GetModelMetadata show versions, inputs, outputs, metrics and batching', async () => {
      const listed = await server.models.unary('ListModels', {}, opts());
      expect(listed.response!.models.map((m) => m.name)).toEqual(COMMITTED_MODELS);
      expect(listed.response!.models[0]).toMatchObject({
        servingVersion: '1',
        versions: ['1'],
        outputKind: 'OUTPUT_KIND_BINARY_PROBABILITY',
      });
      const meta = await server.models.unary('GetModelMetadata', { name: 'nbo' }, opts());
      expect(meta.response!.inputNames).toEqual(model('nbo').manifest.inputs);
      expect(meta.response!.outputLabels).toHaveLength(8);
      expect(meta.response!.outputKind).toBe('OUTPUT_KIND_CLASS_PROBABILITIES');
      const ranking = await server.models.unary(
        'GetModelMetadata',
        { name: 'product_recommendation' },
        opts(),
      );
      expect(ranking.response!.outputKind).toBe('OUTPUT_KIND_RANKING');
      expect(ranking.response!.outputLabels).toEqual(model('product_recommendation').manifest.output.labels);
      expect(meta.response!.metrics.top1_accuracy).toBeGreaterThan(0.2);
      expect(meta.response!.batching).toEqual({
        maxBatchSize: 256,
        maxQueueDelayUs: 500,
        maxQueueSize: 10000,
      });
      expect(Number(meta.response!.trainingDataAsOf!.seconds)).toBe(Date.UTC(2025, 5, 30) / 1000);
    });

    it('ScoreCustomers(SCORE_KIND_CHURN) streams every customer with the same answers as PredictChurn', async () => {
      const { error, messages } = await server.loyalty.stream(
        'ScoreCustomers',
        { kind: 'SCORE_KIND_CHURN', chunkSize: 700 },
        opts(),
      );
      expect(error).toBeNull();
      for (const chunk of messages) expect(chunk.model).toEqual({ name: 'churn', version: '1' });
      const scored = messages.flatMap((chunk) => chunk.customers);
      expect(scored.length).toBeGreaterThan(TEST_CUSTOMERS * 0.9);
      const byId = new Map(scored.map((c) => [c.customerId, c.churn!.probability]));
      const { response } = await server.loyalty.unary('PredictChurn', { customers: customers(ids) }, opts());
      for (const r of response!.results)
        expect(byId.get(r.customerId)).toBeCloseTo(r.prediction!.probability, 6);
    });
  });
}
