import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { PROTO_DIR } from '../../src/server/proto.js';

/**
 * A mutation fuzzer for the server's RPCs: valid requests of every method, encoded, then mutated
 * as bytes (flips, cuts, insertions, splices, corrupted lengths, stray fields) or as values
 * (hostile strings and numbers in valid messages), sent to a real server with a deadline.
 * Every answer must be a status docs/api.md documents for that method.
 */

type Kind = 'unary' | 'stream';

interface Method {
  path: string;
  kind: Kind;
  type: string;
  seeds: object[];
}

const ID = (i: number) => `C${String(i + 1).padStart(7, '0')}`;

const METHODS: Method[] = [
  {
    path: '/loyalty.v1.LoyaltyService/GetRfm',
    kind: 'unary',
    type: 'loyalty.v1.GetRfmRequest',
    seeds: [
      { customers: [{ customerId: ID(0) }, { customerId: ID(1) }] },
      {
        customers: [
          { features: { reference: 'r', values: { recency_days: 3, frequency: 2, monetary: 10 } } },
        ],
      },
    ],
  },
  ...['PredictChurn', 'PredictNbo', 'PredictLtv'].map((m) => ({
    path: `/loyalty.v1.LoyaltyService/${m}`,
    kind: 'unary' as const,
    type: `loyalty.v1.${m}Request`,
    seeds: [{ customers: [{ customerId: ID(2) }, { customerId: 'NOPE' }], topK: 3 }],
  })),
  {
    path: '/loyalty.v1.LoyaltyService/ScoreCustomers',
    kind: 'stream',
    type: 'loyalty.v1.ScoreCustomersRequest',
    seeds: [
      { kind: 2, chunkSize: 500, filter: { segments: [1, 8], tiers: ['gold'] } },
      { kind: 1, chunkSize: 100, filter: { tiers: ['silver', 'basic'] } },
      { modelName: 'propensity_30d', chunkSize: 700, filter: { segments: [3] } },
    ],
  },
  {
    path: '/loyalty.v1.ModelService/Predict',
    kind: 'unary',
    type: 'loyalty.v1.PredictRequest',
    seeds: [{ modelName: 'churn', rows: [{ values: Array.from({ length: 16 }, (_, i) => i) }] }],
  },
  {
    path: '/loyalty.v1.ModelService/PredictCustomers',
    kind: 'unary',
    type: 'loyalty.v1.PredictCustomersRequest',
    seeds: [
      { modelName: 'nbo', customers: [{ customerId: ID(4) }, { customerId: 'NOPE' }], topK: 3 },
      { modelName: 'ltv', version: '1', customers: [{ customerId: ID(5) }] },
      { modelName: 'product_recommendation', customers: [{ customerId: ID(6) }], topK: 5 },
    ],
  },
  {
    path: '/inference.GRPCInferenceService/ModelInfer',
    kind: 'unary',
    type: 'inference.ModelInferRequest',
    seeds: [
      {
        modelName: 'churn',
        id: 'f',
        inputs: [
          {
            name: 'features',
            datatype: 'FP32',
            shape: [2, 16],
            contents: { fp32Contents: Array.from({ length: 32 }, (_, i) => i) },
          },
        ],
      },
      {
        modelName: 'default_risk',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 32] }],
        rawInputContents: [Buffer.from(new Float32Array(32).fill(1).buffer)],
      },
    ],
  },
  {
    path: '/inference.GRPCInferenceService/ModelMetadata',
    kind: 'unary',
    type: 'inference.ModelMetadataRequest',
    seeds: [{ name: 'churn', version: '1' }],
  },
  {
    path: '/loyalty.v1.ModelService/ListModels',
    kind: 'unary',
    type: 'loyalty.v1.ListModelsRequest',
    seeds: [{}],
  },
  {
    path: '/loyalty.v1.ModelService/GetModelMetadata',
    kind: 'unary',
    type: 'loyalty.v1.GetModelMetadataRequest',
    seeds: [{ name: 'nbo' }, { name: 'churn', version: '1' }],
  },
];

/** Statuses docs/api.md documents; DEADLINE_EXCEEDED would mean the server hung past 10 s. */
const DOCUMENTED = new Set([
  grpc.status.OK,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.FAILED_PRECONDITION,
]);

/** What a message must never contain: SQL, stack frames, file paths. */
const LEAK = /SELECT |INSERT |sqlite|mysql|\.ts:\d|\.js:\d|\s+at .+\(|\/work\/|node_modules/i;

export interface FuzzReport {
  calls: number;
  byMethod: Record<string, Record<string, number>>;
  /** Answers with an undocumented status or a leaking message (empty when all is well). */
  findings: { path: string; code: number; details: string; bytes: string }[];
}

/** A seeded generator: the same seed replays the same inputs. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'x'.repeat(70),
  'x'.repeat(20_000),
  "' OR '1'='1",
  '\u0000',
  '../../etc/passwd',
  'é',
];
const HOSTILE_NUMBERS = [
  0,
  -1,
  1e300,
  -1e300,
  3.5e38,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 31,
  2 ** 53,
  1e-320,
];

export async function fuzz(options: { port: number; seconds: number; seed: number; concurrency?: number }) {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/')
      ? `${PROTO_DIR}/../node_modules/protobufjs/${target}`
      : `${PROTO_DIR}/${target}`;
  await root.load([
    'loyalty/v1/loyalty_service.proto',
    'loyalty/v1/model_service.proto',
    'inference/open_inference_grpc.proto',
  ]);
  const rand = random(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const seeds = METHODS.flatMap((m) =>
    m.seeds.map((s) => {
      const type = root.lookupType(m.type);
      return { method: m, bytes: Buffer.from(type.encode(type.fromObject(s)).finish()), object: s };
    }),
  );

  /** A mutated request: byte-level most of the time, value-level otherwise. */
  const mutate = (seed: (typeof seeds)[number]): Buffer => {
    if (rand() < 0.3) return hostileValues(seed);
    let b = Buffer.from(seed.bytes);
    const rounds = 1 + Math.floor(rand() * 4);
    for (let r = 0; r < rounds; r++) {
      const at = Math.floor(rand() * (b.length + 1));
      switch (Math.floor(rand() * 7)) {
        case 0:
          if (b.length) b[Math.min(at, b.length - 1)]! ^= 1 << Math.floor(rand() * 8);
          break;
        case 1:
          b = b.subarray(0, at);
          break;
        case 2:
          b = Buffer.concat([b.subarray(0, at), Buffer.from([Math.floor(rand() * 256)]), b.subarray(at)]);
          break;
        case 3:
          b = Buffer.concat([b, pick(seeds).bytes]);
          break;
        case 4:
          // A length or varint turned huge.
          b = Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), b.subarray(at)]);
          break;
        case 5:
          // A stray field with a high number and a random wire type.
          b = Buffer.concat([
            b,
            Buffer.from([0xf8 | Math.floor(rand() * 6), 0x7f, Math.floor(rand() * 128)]),
          ]);
          break;
        default:
          b = Buffer.concat([b, b.subarray(0, at)]);
      }
    }
    return b;
  };

  const hostileValues = (seed: (typeof seeds)[number]): Buffer => {
    const type = root.lookupType(seed.method.type);
    const json = JSON.parse(JSON.stringify(seed.object), (_k, v) => {
      if (typeof v === 'string' && rand() < 0.5) return pick(HOSTILE_STRINGS);
      if (typeof v === 'number' && rand() < 0.5) return pick(HOSTILE_NUMBERS);
      return v;
    });
    if (Array.isArray(json.customers) && rand() < 0.2) {
      json.customers = Array.from({ length: pick([0, 1_001, 5_000]) }, (_, i) => ({ customerId: ID(i) }));
    }
    try {
      return Buffer.from(type.encode(type.fromObject(json)).finish());
    } catch {
      return seed.bytes;
    }
  };

  const client = new grpc.Client(`127.0.0.1:${options.port}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const identity = (b: Buffer) => b;
  const report: FuzzReport = { calls: 0, byMethod: {}, findings: [] };
  const send = (method: Method, bytes: Buffer): Promise<{ code: number; details: string }> =>
    new Promise((resolve) => {
      const deadline = Date.now() + 10_000;
      if (method.kind === 'unary') {
        client.makeUnaryRequest(method.path, identity, identity, bytes, { deadline }, (err) =>
          resolve({ code: err?.code ?? grpc.status.OK, details: err?.details ?? '' }),
        );
        return;
      }
      const stream = client.makeServerStreamRequest(method.path, identity, identity, bytes, { deadline });
      stream.on('data', () => {});
      stream.on('error', (err: grpc.ServiceError) => resolve({ code: err.code, details: err.details }));
      stream.on('end', () => resolve({ code: grpc.status.OK, details: '' }));
    });

  const until = Date.now() + options.seconds * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      const seed = pick(seeds);
      const bytes = mutate(seed);
      const { code, details } = await send(seed.method, bytes);
      report.calls++;
      const name = grpc.status[code] ?? String(code);
      const counts = report.byMethod[seed.method.path] ?? {};
      counts[name] = (counts[name] ?? 0) + 1;
      report.byMethod[seed.method.path] = counts;
      if (!DOCUMENTED.has(code) || LEAK.test(details)) {
        report.findings.push({ path: seed.method.path, code, details, bytes: bytes.toString('base64') });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  client.close();
  return report;
}
