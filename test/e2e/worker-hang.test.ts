import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDenseModel } from '../../src/tflite/model-writer.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { type TestServer, withTestServer } from '../helpers/server.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-hang-'));
const TIMEOUT_MS = 300;
const ROWS = 4_096;
const WIDTH = 1_024;

/**
 * A real model slow enough to hang a worker past the inference timeout: three 1,024-wide layers
 * run on 4,096 rows at once are about 26 GFLOP, a second or more on one of this machine's
 * cores, against a 300 ms timeout; one row takes well under a millisecond.
 */
function publishSlowModel(): void {
  const layer = (inputs: number, units: number, activation: 'relu' | 'sigmoid') => ({
    inputs,
    units,
    activation,
    kernel: Float32Array.from({ length: inputs * units }, (_, i) => ((i % 7) - 3) * 1e-3),
    bias: new Float32Array(units),
  });
  const tflite = writeDenseModel({
    layers: [
      layer(4, WIDTH, 'relu'),
      layer(WIDTH, WIDTH, 'relu'),
      layer(WIDTH, WIDTH, 'relu'),
      layer(WIDTH, WIDTH, 'relu'),
      layer(WIDTH, 1, 'sigmoid'),
    ],
    inputName: 'features',
    outputName: 'score',
    description: 'slow test model',
  });
  const churn = JSON.parse(readFileSync(join(MODELS, 'churn', '1', 'manifest.json'), 'utf8'));
  const manifest = {
    ...churn,
    name: 'slow',
    inputs: ['a', 'b', 'c', 'd'],
    normalization: undefined,
    // churn's reference distributions and explanation background are of its own 16 inputs.
    reference: undefined,
    explanation: undefined,
    batching: { maxBatchSize: ROWS, maxQueueDelayUs: 100, maxQueueSize: 2 * ROWS },
  };
  mkdirSync(join(dir, 'models', 'slow', '1'), { recursive: true });
  writeFileSync(join(dir, 'models', 'slow', '1', 'model.tflite'), tflite);
  writeFileSync(join(dir, 'models', 'slow', '1', 'manifest.json'), JSON.stringify(manifest));
}

describe('an inference worker that hangs, and a model the store cannot feed', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let server: TestServer;

  beforeAll(async () => {
    for (const name of ['churn', 'nbo', 'ltv'])
      cpSync(join(MODELS, name, '1'), join(dir, 'models', name, '1'), { recursive: true });
    publishSlowModel();
    demo = await buildTestSqliteStore();
    server = await withTestServer({
      LOYALTY_SQLITE_PATH: demo.path,
      LOYALTY_MODELS_DIR: join(dir, 'models'),
      LOYALTY_WORKERS: '1',
      LOYALTY_INFERENCE_TIMEOUT_MS: String(TIMEOUT_MS),
      LOYALTY_MAX_BATCH_SIZE: String(ROWS),
    });
  });

  afterAll(async () => {
    await server?.close();
    demo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers INVALID_ARGUMENT naming the missing features when a model the store cannot feed is called by id', async () => {
    const { error } = await server.models.unary('PredictCustomers', {
      modelName: 'slow',
      customers: [{ customerId: 'C0000001' }],
    });
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toBe(
      'model slow takes inputs the feature store does not hold (a, b, c, d); call it with raw features',
    );
    const raw = await server.models.unary('PredictCustomers', {
      modelName: 'slow',
      customers: [{ features: { reference: 'r', values: { a: 1, b: 2, c: 3, d: 4 } } }],
    });
    expect(raw.error).toBeNull();
    expect(raw.response!.results[0]!.prediction!.binary!.probability).toBeGreaterThan(0);
  });

  it('is stopped at the inference timeout, the call answers UNAVAILABLE, and a new worker serves the next calls', async () => {
    const failuresBefore = server.app.pool.stats.workerFailures;
    const rows = Array.from({ length: ROWS }, (_, i) => ({ values: [i, 1, 2, 3] }));
    const started = Date.now();
    const hung = await server.models.unary('Predict', { modelName: 'slow', rows });
    expect(hung.error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(hung.error?.details).toBe(
      `inference took longer than ${TIMEOUT_MS} ms; the worker was replaced; retry`,
    );
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(server.app.pool.stats.workerFailures).toBe(failuresBefore + 1);

    // The replacement loads its models on its first task, which may itself run into the
    // timeout while the wasm runtime starts: the call is retried, as a client would.
    let answer = await server.models.unary('Predict', {
      modelName: 'churn',
      rows: [{ values: new Array(16).fill(1) }],
    });
    for (let i = 0; i < 5 && answer.error?.code === grpc.status.UNAVAILABLE; i++) {
      answer = await server.models.unary('Predict', {
        modelName: 'churn',
        rows: [{ values: new Array(16).fill(1) }],
      });
    }
    expect(answer.error).toBeNull();
    expect(server.app.pool.alive).toBe(1);
    const small = await server.models.unary('Predict', { modelName: 'slow', rows: rows.slice(0, 4) });
    expect(small.error).toBeNull();
  });
});
