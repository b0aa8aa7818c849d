import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continuousBins } from '../../src/drift/reference.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { Random } from '../../src/random.js';
import { type DenseLayer, writeDenseModel } from '../../src/tflite/model-writer.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { exactShapley } from '../helpers/exact-shapley.js';
import { inSeconds, type TestServer, withTestServer } from '../helpers/server.js';

/**
 * Reason codes as a client gets them: a small model's reasons against a brute-force exact
 * Shapley computation (the model evaluated here in plain arithmetic from its weights), and the
 * committed models' reasons for store customers.
 */
const MODELS = new URL('../../models/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-reasons-'));
const INPUTS = ['a', 'b', 'c', 'd', 'e'];
const random = new Random(11);
const dense = (inputs: number, units: number, activation: DenseLayer['activation']): DenseLayer => ({
  inputs,
  units,
  activation,
  kernel: Float32Array.from({ length: inputs * units }, () => random.normal()),
  bias: Float32Array.from({ length: units }, () => 0.3 * random.normal()),
});
const layers = [dense(5, 6, 'relu'), dense(6, 1, 'sigmoid')];
const background = Array.from({ length: 100 }, () => INPUTS.map(() => Math.fround(random.normal())));

/** The small model in float64 arithmetic from its float32 weights: the brute force's f. */
function tiny(z: Float64Array): number {
  let h: Float64Array = z;
  for (const l of layers) {
    const next = new Float64Array(l.units);
    for (let u = 0; u < l.units; u++) {
      let s = l.bias[u]!;
      for (let i = 0; i < l.inputs; i++) s += h[i]! * l.kernel[i * l.units + u]!;
      next[u] = l.activation === 'relu' ? Math.max(0, s) : 1 / (1 + Math.exp(-s));
    }
    h = next;
  }
  return h[0]!;
}

function publish(name: string, withBackground: boolean): void {
  const folder = join(dir, 'models', name, '1');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'model.tflite'),
    writeDenseModel({ layers, inputName: 'features', outputName: 'probability', description: name }),
  );
  const manifest = {
    name,
    version: '1',
    createdAt: new Date().toISOString(),
    inputs: INPUTS,
    output: { kind: 'binary_probability', labels: ['response'] },
    reference: {
      rows: background.length,
      inputs: INPUTS.map((_, j) => continuousBins(background.map((b) => b[j]!))),
      output: continuousBins(background.map((b) => tiny(Float64Array.from(b)))),
    },
    ...(withBackground ? { explanation: { background } } : {}),
  };
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
}

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: TestServer;

beforeAll(async () => {
  for (const name of ['churn', 'nbo', 'ltv', 'product_recommendation'])
    cpSync(join(MODELS, name, '1'), join(dir, 'models', name, '1'), { recursive: true });
  publish('tiny', true);
  publish('tiny_plain', false);
  demo = await buildTestSqliteStore();
  server = await withTestServer({ LOYALTY_SQLITE_PATH: demo.path, LOYALTY_MODELS_DIR: join(dir, 'models') });
}, 120_000);

afterAll(async () => {
  await server?.close();
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const raw = (x: readonly number[], reference: string) => ({
  features: { reference, values: Object.fromEntries(INPUTS.map((n, j) => [n, x[j]!])) },
});

describe('reason codes (explain)', () => {
  it('equal a brute-force exact Shapley computation of a small model within the documented error', async () => {
    const xs = Array.from({ length: 20 }, () => INPUTS.map(() => Math.fround(2 * random.normal())));
    const { error, response } = await server.models.unary(
      'PredictCustomers',
      { modelName: 'tiny', customers: xs.map((x, i) => raw(x, `row-${i}`)), explain: true },
      { deadline: inSeconds(20) },
    );
    expect(error).toBeNull();
    const errors: number[] = [];
    response!.results.forEach((result, i) => {
      const e = result.explanation!;
      const exact = exactShapley(tiny, xs[i]!, background);
      // Every input's contribution: within the documented error of the exact value, summing to
      // the score minus the base value.
      expect(e.contributions.length).toBe(INPUTS.length);
      e.contributions.forEach((c, j) => {
        errors.push(Math.abs(c - exact.contributions[j]!));
      });
      expect(e.contributions.reduce((s, c) => s + c, 0)).toBeCloseTo(e.value - e.baseValue, 5);
      expect(e.evaluations).toBe(1 + 100 + 2 * 100 * 4);
      expect(e.value).toBeCloseTo(result.prediction!.binary!.probability, 6);
      expect(e.value).toBeCloseTo(exact.value, 5);
      expect(e.baseValue).toBeCloseTo(exact.base, 5);
      // The reasons: the largest up (largest first), then the largest down, at most three each.
      const up = e.contributions
        .filter((c) => c > 0)
        .sort((a, b) => b - a)
        .slice(0, 3);
      const down = e.contributions
        .filter((c) => c < 0)
        .sort((a, b) => a - b)
        .slice(0, 3);
      expect(e.reasons.map((r) => r.contribution)).toEqual([...up, ...down]);
      for (const r of e.reasons) {
        const j = INPUTS.indexOf(r.feature);
        expect(r.value).toBe(xs[i]![j]);
        expect(r.contribution).toBe(e.contributions[j]);
        // The phrase names the right direction and the feature's typical value.
        expect(r.phrase).toMatch(r.contribution > 0 ? / raises the response probability by / : / lowers /);
        expect(r.typical).toBeCloseTo(continuousBins(background.map((b) => b[j]!)).median, 6);
      }
    });
    errors.sort((a, b) => a - b);
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.005);
    expect(errors[Math.floor(errors.length * 0.95)]).toBeLessThan(0.01);
    expect(errors[errors.length - 1]).toBeLessThan(0.04);
  });

  it('explain the committed churn model for store customers in a marketer’s words', async () => {
    const ids = [customerId(3), customerId(40), customerId(77)];
    const { error, response } = await server.loyalty.unary(
      'PredictChurn',
      { customers: ids.map((id) => ({ customerId: id })), explain: true },
      { deadline: inSeconds(20) },
    );
    expect(error).toBeNull();
    for (const result of response!.results) {
      const e = result.explanation!;
      expect(e.target).toBe('churn');
      expect(e.value).toBeCloseTo(result.prediction!.probability, 6);
      expect(e.reasons.length).toBeGreaterThan(0);
      expect(e.reasons.length).toBeLessThanOrEqual(6);
      for (const r of e.reasons) {
        expect(r.phrase).toContain('the churn probability');
        expect(r.phrase).toContain(r.contribution > 0 ? 'raises' : 'lowers');
        expect(r.typical).toBeDefined();
      }
    }
    // Without explain: no explanation, and the same probabilities.
    const plain = await server.loyalty.unary(
      'PredictChurn',
      { customers: ids.map((id) => ({ customerId: id })) },
      { deadline: inSeconds(10) },
    );
    expect(plain.response!.results.map((r) => r.explanation)).toEqual([null, null, null]);
    expect(plain.response!.results.map((r) => r.prediction!.probability)).toEqual(
      response!.results.map((r) => r.prediction!.probability),
    );
  });

  it('explain the top offer, the value of LTV and the top item of a ranking', async () => {
    const customers = [{ customerId: customerId(5) }];
    const nbo = await server.loyalty.unary(
      'PredictNbo',
      { customers, topK: 2, explain: true },
      { deadline: inSeconds(20) },
    );
    expect(nbo.error).toBeNull();
    const offer = nbo.response!.results[0]!;
    expect(offer.explanation!.value).toBeCloseTo(offer.prediction!.offers[0]!.probability, 6);
    expect(offer.explanation!.reasons[0]!.phrase).toContain(
      `the probability of ${offer.prediction!.offers[0]!.offerName}`,
    );
    const ltv = await server.loyalty.unary(
      'PredictLtv',
      { customers, explain: true },
      { deadline: inSeconds(20) },
    );
    expect(ltv.error).toBeNull();
    const value = ltv.response!.results[0]!;
    const money = value.prediction!.value!;
    expect(value.explanation!.value).toBeCloseTo(Number(money.units) + money.nanos / 1e9, 1);
    const ranking = await server.models.unary(
      'PredictCustomers',
      { modelName: 'product_recommendation', customers, topK: 1, explain: true },
      { deadline: inSeconds(20) },
    );
    expect(ranking.error).toBeNull();
    const top = ranking.response!.results[0]!;
    expect(top.explanation!.value).toBeCloseTo(top.prediction!.ranking!.items[0]!.score, 6);
    expect(top.explanation!.target).toBe(top.prediction!.ranking!.items[0]!.name);
  });

  it('refuses more than 100 customers and a model without a background', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ customerId: customerId(i) }));
    const tooMany = await server.loyalty.unary(
      'PredictChurn',
      { customers: many, explain: true },
      { deadline: inSeconds(10) },
    );
    expect(tooMany.error?.code).toBe(3);
    expect(tooMany.error?.details).toMatch(/explain is limited to 100 customers/);
    const plain = await server.models.unary(
      'PredictCustomers',
      { modelName: 'tiny_plain', customers: [raw([0, 0, 0, 0, 0], 'r')], explain: true },
      { deadline: inSeconds(10) },
    );
    expect(plain.error?.code).toBe(9);
    expect(plain.error?.details).toMatch(/no explanation background/);
  });
});
