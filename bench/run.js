// `make bench`: every scenario in one run against servers this script starts and stops itself.
// Usage: node bench/run.js [--smoke] [--seconds N] [--out bench/results]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { loadTool, machine, processUsage, runLoad, startServer } from './harness.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    'mysql-url': {
      type: 'string',
      default: process.env.LOYALTY_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/loyalty',
    },
    'skip-mysql': { type: 'boolean', default: false },
  },
});

const smoke = args.smoke;
const seconds = Number(args.seconds ?? (smoke ? 1 : 5));
const concurrencies = smoke ? [1, 8] : [1, 16, 64, 256];
const ids = (n) =>
  Array.from({ length: n }, (_, i) => ({ customer_id: `C${String(i + 1).padStart(7, '0')}` }));
const one = ids(1);

const CHURN = '/loyalty.v1.LoyaltyService/PredictChurn';
const scenarios = {
  health: { path: '/grpc.health.v1.Health/Check', request: { service: '' }, predictions: 0 },
  churn_one: { path: CHURN, request: { customers: one }, predictions: 1 },
  nbo_one: {
    path: '/loyalty.v1.LoyaltyService/PredictNbo',
    request: { customers: one, top_k: 3 },
    predictions: 1,
  },
  ltv_one: { path: '/loyalty.v1.LoyaltyService/PredictLtv', request: { customers: one }, predictions: 1 },
  rfm_one: { path: '/loyalty.v1.LoyaltyService/GetRfm', request: { customers: one }, predictions: 1 },
  churn_batch100: { path: CHURN, request: { customers: ids(100) }, predictions: 100 },
};

/**
 * Servers and what runs on each. The embedded demo store is the default base (100,000
 * customers); the smoke run uses a small one so it builds in a second.
 */
const smokeStore = { LOYALTY_SQLITE_PATH: 'data/bench-smoke.sqlite', LOYALTY_DEMO_CUSTOMERS: '2000' };
const plans = smoke
  ? [{ server: 'default', env: smokeStore, scenarios: ['health', 'churn_one', 'rfm_one', 'churn_batch100'] }]
  : [
      { server: 'default', env: {}, scenarios: Object.keys(scenarios) },
      {
        server: 'batching off (max batch 1)',
        env: { LOYALTY_BATCH_MAX_SIZE: '1' },
        scenarios: ['health', 'churn_one'],
      },
      {
        server: '1 worker',
        env: { LOYALTY_WORKERS: '1' },
        scenarios: ['health', 'churn_one', 'churn_batch100'],
      },
      {
        server: '2 workers',
        env: { LOYALTY_WORKERS: '2' },
        scenarios: ['health', 'churn_one', 'churn_batch100'],
      },
      // The cost of observability: metrics off, and tracing on with every span sampled and
      // exported over OTLP/HTTP to a sink in this process.
      { server: 'metrics off', env: { LOYALTY_METRICS_PORT: 'off' }, scenarios: ['health', 'churn_one'] },
      {
        server: 'tracing on, sampling 1.0',
        env: () => ({
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${sink.port}/v1/traces`,
          OTEL_TRACES_SAMPLER: 'always_on',
        }),
        scenarios: ['health', 'churn_one'],
      },
      ...(args['skip-mysql']
        ? []
        : [
            {
              server: 'MariaDB, cold cache',
              env: {
                LOYALTY_MYSQL_URL: args['mysql-url'],
                LOYALTY_FEATURE_CACHE_SIZE: '0',
                LOYALTY_NEGATIVE_CACHE_TTL_MS: '0',
              },
              scenarios: ['health', 'churn_one'],
            },
          ]),
    ];

/** Streams the whole base through ScoreCustomers with a grpc-js client: customers per second. */
async function streamBase(port, kind) {
  const def = protoLoader.loadSync(['loyalty/v1/loyalty_service.proto'], {
    includeDirs: ['proto'],
    enums: String,
    longs: String,
  });
  const pkg = grpc.loadPackageDefinition(def);
  const client = new pkg.loyalty.v1.LoyaltyService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const started = performance.now();
  let customers = 0;
  await new Promise((resolve, reject) => {
    const s = client.ScoreCustomers({ kind, chunk_size: 5000 });
    s.on('data', (chunk) => {
      customers += chunk.customers.length;
    });
    s.on('error', reject);
    s.on('end', resolve);
  });
  client.close();
  const secs = (performance.now() - started) / 1000;
  return { kind, customers, seconds: secs, customersPerSecond: customers / secs };
}

/** An OTLP/HTTP endpoint that accepts and counts trace exports, standing in for a collector. */
const sink = { port: 0, requests: 0, bytes: 0 };
async function startSink() {
  const server = createServer((req, res) => {
    sink.requests++;
    req.on('data', (d) => {
      sink.bytes += d.length;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = server.address().port;
  return server;
}

async function main() {
  const tool = loadTool();
  const sinkServer = await startSink();
  const runs = [];
  const streaming = [];
  const startups = [];
  for (const plan of plans) {
    const server = await startServer(typeof plan.env === 'function' ? plan.env() : plan.env);
    startups.push({ server: plan.server, ms: Math.round(server.startupMs) });
    process.stderr.write(
      `# ${plan.server}: serving after ${Math.round(server.startupMs)} ms (pid ${server.pid})\n`,
    );
    try {
      for (const name of plan.scenarios) {
        const s = scenarios[name];
        for (const concurrency of concurrencies) {
          const before = processUsage(server.pid);
          const t0 = performance.now();
          const r = await runLoad({
            tool,
            port: server.port,
            path: s.path,
            request: s.request,
            concurrency,
            seconds,
            warmupSeconds: smoke ? 0 : 1,
          });
          const wall = (performance.now() - t0) / 1000;
          const after = processUsage(server.pid);
          const run = {
            server: plan.server,
            scenario: name,
            concurrency,
            ...r,
            predictionsPerSecond: (r.succeeded / r.seconds) * s.predictions,
            rssMb: Math.round(after.rssMb),
            cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / wall) * 100),
          };
          runs.push(run);
          process.stderr.write(
            `${plan.server.padEnd(28)} ${name.padEnd(15)} c=${String(concurrency).padEnd(4)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50.toFixed(2)} p99 ${run.p99.toFixed(2)} ms  errors ${run.errors}  rss ${run.rssMb} MB  cpu ${run.cpuPercent}%\n`,
          );
        }
      }
      if (plan.server === 'default') {
        for (const kind of smoke ? ['SCORE_KIND_CHURN'] : ['SCORE_KIND_RFM', 'SCORE_KIND_CHURN']) {
          const st = await streamBase(server.port, kind);
          streaming.push(st);
          process.stderr.write(
            `stream ${kind}: ${st.customers} customers in ${st.seconds.toFixed(2)} s = ${st.customersPerSecond.toFixed(0)}/s\n`,
          );
        }
      }
    } finally {
      await server.stop();
    }
  }
  sinkServer.close();
  // Every figure as a ratio to the health check of the same server at the same concurrency.
  for (const run of runs) {
    const ceiling = runs.find(
      (r) => r.server === run.server && r.scenario === 'health' && r.concurrency === run.concurrency,
    );
    run.ratioToHealth = ceiling ? run.rps / ceiling.rps : null;
  }
  const result = {
    date: new Date().toISOString(),
    tool,
    smoke,
    seconds,
    machine: machine(),
    startups,
    runs,
    streaming,
    traceExport: { requests: sink.requests, bytes: sink.bytes },
  };
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, smoke ? 'smoke.json' : 'latest.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
  if (!smoke) writeMarkdown(result);
  const failed = runs.filter((r) => r.errors > 0 || r.succeeded === 0);
  if (failed.length) {
    process.stderr.write(`${failed.length} runs had errors or no successful call\n`);
    process.exitCode = 1;
  }
}

function writeMarkdown(result) {
  const f = (v, d = 0) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(d));
  const lines = [
    `Measured ${result.date.slice(0, 10)} with ${result.tool}, ${result.seconds} s per run after a 1 s warm-up, on ${result.machine.cores} cores (${result.machine.cpu}), ${result.machine.memoryGb} GB, Node ${result.machine.node}. Server and load tool share the machine, unpinned.`,
    '',
    '| server | scenario | conc. | req/s | predictions/s | ratio to Health/Check | p50 ms | p90 ms | p99 ms | errors | RSS MB | CPU % |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.runs.map(
      (r) =>
        `| ${r.server} | ${r.scenario} | ${r.concurrency} | ${f(r.rps)} | ${f(r.predictionsPerSecond)} | ${f(r.ratioToHealth, 2)} | ${f(r.p50, 2)} | ${f(r.p90, 2)} | ${f(r.p99, 2)} | ${r.errors} | ${r.rssMb} | ${r.cpuPercent} |`,
    ),
    '',
    '| stream | customers | seconds | customers/s |',
    '|---|---|---|---|',
    ...result.streaming.map(
      (s) => `| ${s.kind} | ${s.customers} | ${f(s.seconds, 2)} | ${f(s.customersPerSecond)} |`,
    ),
    '',
    `Start to SERVING (models loaded and warmed in every worker): ${result.startups.map((s) => `${s.server} ${s.ms} ms`).join('; ')}.`,
  ];
  const readme = readFileSync('bench/README.md', 'utf8');
  const updated = readme.replace(
    /<!-- results:start -->[\s\S]*<!-- results:end -->/,
    `<!-- results:start -->\n${lines.join('\n')}\n<!-- results:end -->`,
  );
  writeFileSync('bench/README.md', updated);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
