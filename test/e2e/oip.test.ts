import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { inSeconds, listServicesByReflection, type TestServer, withTestServer } from '../helpers/server.js';

const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('../clients/oip_client.py', import.meta.url));
const hasPythonGrpc = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools']).status === 0;
if (process.env.CI === 'true' && !hasPythonGrpc)
  throw new Error(
    'CI=true and Debian python3-grpcio/python3-grpc-tools are missing (make test-tools installs them)',
  );

/** Runs the Python client with its request on stdin: its exit status and output. */
function runClient(input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [CLIENT], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A grpc-js client of the OIP service, from the proto file, for the bad-input cases Python does not cover. */
function oipClient(port: number) {
  const def = protoLoader.loadSync('inference/open_inference_grpc.proto', {
    includeDirs: [fileURLToPath(new URL('../../proto', import.meta.url))],
    longs: String,
  });
  const Service = (grpc.loadPackageDefinition(def) as any).inference.GRPCInferenceService;
  const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (method: string, request: object) =>
    new Promise<{ error: grpc.ServiceError | null; response: any }>((resolve) =>
      client[method](request, { deadline: inSeconds(10) }, (error: grpc.ServiceError | null, response: any) =>
        resolve({ error, response }),
      ),
    );
  return { call, close: () => client.close() };
}

describe('the Open Inference Protocol over gRPC', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  let server: TestServer;
  let rows: number[][];

  beforeAll(async () => {
    demo = await buildTestSqliteStore();
    const reader = new OnlineFeatureStore(new SqliteBackend(demo.path));
    const found = await reader.getRows([0, 1, 2, 3].map(customerId));
    await reader.close();
    // churn's 16 inputs, from the store, for four customers.
    const churnInputs = FEATURE_NAMES.slice(0, 16);
    rows = [...found.values()].map((r) => churnInputs.map((n) => r.features[FEATURE_NAMES.indexOf(n)]!));
    server = await withTestServer({ LOYALTY_SQLITE_PATH: demo.path });
  });

  afterAll(async () => {
    await server?.close();
    demo?.cleanup();
  });

  it.skipIf(!hasPythonGrpc)(
    'answers an independent Python client (stubs from the protocol proto) exactly as ModelService.Predict, in both tensor encodings',
    async () => {
      // Asynchronously: the server answers from this process's event loop.
      const run = await runClient(JSON.stringify({ port: server.app.port, model: 'churn', rows }));
      expect(run.status, run.stderr).toBe(0);
      const got = JSON.parse(run.stdout);
      expect(got.live).toBe(true);
      expect(got.ready).toBe(true);
      expect(got.server.name).toBe('loyalty-inference');
      expect(got.model_ready).toBe(true);
      expect(got.metadata).toEqual({
        name: 'churn',
        versions: ['1'],
        platform: 'tensorflow_lite',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 16] }],
        outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
      });
      const predicted = await server.models.unary('Predict', {
        modelName: 'churn',
        rows: rows.map((values) => ({ values })),
      });
      const expected = predicted.response!.rows.map((r) => r.values[0]!);
      for (const [which, id] of [
        ['infer_contents', 'req-contents'],
        ['infer_raw', 'req-raw'],
      ] as const) {
        const answer = got[which];
        expect(answer.id).toBe(id);
        expect(answer.model_name).toBe('churn');
        expect(answer.model_version).toBe('1');
        expect(answer.name).toBe('probability');
        expect(answer.datatype).toBe('FP32');
        expect(answer.shape).toEqual([rows.length, 1]);
        // Float32 both ways: the same bits.
        expect(answer.values).toEqual(expected.map((v) => Math.fround(v)));
      }
      expect(got.bad.unknown_model.code).toBe('NOT_FOUND');
      expect(got.bad.unknown_model.details).toMatch(/model nope is not loaded; loaded: .*churn/);
      expect(got.bad.wrong_datatype).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(got.bad.wrong_datatype.details).toMatch(/datatype "INT32"; expected FP32/);
      expect(got.bad.short_raw.details).toMatch(/raw_input_contents\[0\] has 62 bytes; expected 64/);
      expect(got.bad.both_encodings.details).toMatch(/give one or the other/);
    },
  );

  it('takes one [N] tensor per named input, and answers bad shapes, names, values and versions with what is expected', async () => {
    const oip = oipClient(server.app.port);
    const churnInputs = FEATURE_NAMES.slice(0, 16);
    const perInput = churnInputs.map((name, j) => ({
      name,
      datatype: 'FP32',
      shape: [String(rows.length)],
      contents: { fp32Contents: rows.map((r) => r[j]!) },
    }));
    const named = await oip.call('ModelInfer', {
      modelName: 'churn',
      id: 'x',
      inputs: [...perInput].reverse(),
    });
    expect(named.error).toBeNull();
    const whole = await oip.call('ModelInfer', {
      modelName: 'churn',
      inputs: [
        {
          name: 'features',
          datatype: 'FP32',
          shape: [String(rows.length), '16'],
          contents: { fp32Contents: rows.flat() },
        },
      ],
    });
    expect(named.response.outputs[0].contents.fp32Contents).toEqual(
      whole.response.outputs[0].contents.fp32Contents,
    );
    expect(named.response.id).toBe('x');

    const bad: [object, grpc.status, RegExp][] = [
      [
        { modelName: 'churn', modelVersion: '9', inputs: perInput },
        grpc.status.NOT_FOUND,
        /version 9 is not loaded/,
      ],
      [
        { modelName: 'churn', inputs: [{ ...perInput[0], shape: ['4', '2'] }] },
        grpc.status.INVALID_ARGUMENT,
        /expected one FP32 tensor \[N, 16\]/,
      ],
      [
        {
          modelName: 'churn',
          inputs: [
            {
              name: 'features',
              datatype: 'FP32',
              shape: ['1', '15'],
              contents: { fp32Contents: new Array(15).fill(0) },
            },
          ],
        },
        grpc.status.INVALID_ARGUMENT,
        /shape \[1, 15\]; expected one FP32 tensor \[N, 16\]/,
      ],
      [
        {
          modelName: 'churn',
          inputs: [
            {
              name: 'features',
              datatype: 'FP32',
              shape: ['1', '16'],
              contents: { fp32Contents: new Array(15).fill(0) },
            },
          ],
        },
        grpc.status.INVALID_ARGUMENT,
        /15 fp32_contents; its shape needs 16/,
      ],
      [
        { modelName: 'churn', inputs: [{ name: 'features', datatype: 'FP32', shape: ['0', '16'] }] },
        grpc.status.INVALID_ARGUMENT,
        /no rows/,
      ],
      [
        { modelName: 'churn', inputs: [{ name: 'features', datatype: 'FP32', shape: ['100000', '16'] }] },
        grpc.status.INVALID_ARGUMENT,
        /100000 rows; at most/,
      ],
      [
        {
          modelName: 'churn',
          inputs: [{ name: 'features', datatype: 'FP32', shape: ['1', '16'] }],
          rawInputContents: [Buffer.from(new Float32Array(16).fill(Number.NaN).buffer)],
        },
        grpc.status.INVALID_ARGUMENT,
        /finite/,
      ],
      [
        { modelName: 'churn', outputs: [{ name: 'logits' }], inputs: perInput },
        grpc.status.INVALID_ARGUMENT,
        /output "logits" is not an output of churn; it has probability/,
      ],
      [{ modelName: 'churn', inputs: [] }, grpc.status.INVALID_ARGUMENT, /inputs is empty/],
      [{ modelName: '', inputs: perInput }, grpc.status.INVALID_ARGUMENT, /model_name/],
    ];
    for (const [request, code, message] of bad) {
      const { error } = await oip.call('ModelInfer', request);
      expect(error?.code, String(message)).toBe(code);
      expect(error?.details).toMatch(message);
    }
    const ready = await oip.call('ModelReady', { name: 'nope' });
    expect(ready.error?.code).toBe(grpc.status.NOT_FOUND);
    const meta = await oip.call('ModelMetadata', { name: 'product_recommendation' });
    expect(meta.response.outputs).toEqual([{ name: 'scores', datatype: 'FP32', shape: ['-1', '24'] }]);
    oip.close();
    expect(await listServicesByReflection(server.app.port)).toContain('inference.GRPCInferenceService');
  });

  it('speaks the same protocol over HTTP/REST (JSON), answering what Predict answers', async () => {
    const base = `http://127.0.0.1:${server.app.httpPort}`;
    const get = async (path: string) => {
      const res = await fetch(base + path);
      return { status: res.status, body: (await res.json()) as any };
    };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    expect(await get('/v2/health/live')).toEqual({ status: 200, body: { live: true } });
    expect(await get('/v2/health/ready')).toEqual({ status: 200, body: { ready: true } });
    expect((await get('/v2')).body.name).toBe('loyalty-inference');
    expect(await get('/v2/models/churn/ready')).toEqual({
      status: 200,
      body: { name: 'churn', ready: true },
    });
    expect(await get('/v2/models/churn/versions/1')).toEqual({
      status: 200,
      body: {
        name: 'churn',
        versions: ['1'],
        platform: 'tensorflow_lite',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 16] }],
        outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
      },
    });

    const predicted = await server.models.unary('Predict', {
      modelName: 'churn',
      rows: rows.map((values) => ({ values })),
    });
    const expected = predicted.response!.rows.map((r) => Math.fround(r.values[0]!));
    const flat = await post('/v2/models/churn/infer', {
      id: '42',
      inputs: [{ name: 'features', shape: [rows.length, 16], datatype: 'FP32', data: rows.flat() }],
    });
    expect(flat.status).toBe(200);
    expect(flat.body).toEqual({
      model_name: 'churn',
      model_version: '1',
      id: '42',
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [rows.length, 1], data: expected }],
    });
    const nested = await post('/v2/models/churn/versions/1/infer', {
      inputs: [{ name: 'features', shape: [rows.length, 16], datatype: 'FP32', data: rows }],
    });
    expect(nested.body.outputs[0].data).toEqual(expected);

    const features = (data: unknown, extra: object = {}) => ({
      inputs: [{ name: 'features', shape: [1, 16], datatype: 'FP32', data, ...extra }],
    });
    const bad: [string, unknown, number, RegExp][] = [
      ['/v2/models/nope/infer', features(rows[0]), 404, /model nope is not loaded/],
      ['/v2/models/churn/versions/7/infer', features(rows[0]), 404, /version 7 is not loaded/],
      [
        '/v2/models/churn/infer',
        features(rows[0], { datatype: 'INT64' }),
        400,
        /datatype "INT64"; expected FP32/,
      ],
      ['/v2/models/churn/infer', features(['a']), 400, /must hold numbers/],
      ['/v2/models/churn/infer', features(rows[0]!.slice(1)), 400, /15 fp32_contents; its shape needs 16/],
      ['/v2/models/churn/infer', '{"inputs": [', 400, /not valid JSON/],
      ['/v2/models/churn/infer', [1, 2], 400, /JSON object/],
    ];
    for (const [path, body, code, message] of bad) {
      const answer = await post(path, body);
      expect(answer.status, String(message)).toBe(code);
      expect(answer.body.error).toMatch(message);
    }
    expect((await get('/v2/models/nope')).status).toBe(404);
    expect((await get('/v3/anything')).status).toBe(404);
    const wrongVerb = await fetch(`${base}/v2/models/churn/infer`);
    expect(wrongVerb.status).toBe(405);
    // The server still answers after each.
    expect((await post('/v2/models/churn/infer', features(rows[0]))).status).toBe(200);
  });
});
