// `make bench`: every scenario in one run against servers this script starts and stops itself.
// Usage: node bench/run.js [--smoke] [--pairs N] [--seconds N] [--out bench/results] [--skip-mysql]
//
// The host is shared and noisy (the same server's Health/Check moved from 14k to 26k req/s within
// one run), so nothing is compared across minutes: each scenario alternates with Health/Check on
// the same server (A B A B ...) and is reported as the median and range of the per-pair ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  grpcFrame,
  h2loadOpenLoop,
  loadTool,
  machine,
  methodTypes,
  processTree,
  processUsage,
  runLoad,
  startServer,
} from './harness.js';
import { drive } from './load.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    pairs: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    'mysql-url': {
      type: 'string',
      default: process.env.LOYALTY_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/loyalty',
    },
    'skip-mysql': { type: 'boolean', default: false },
    'postgres-url': {
      type: 'string',
      default: process.env.LOYALTY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/loyalty',
    },
    'redis-url': { type: 'string', default: process.env.LOYALTY_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Runs one plan (by server name) and replaces its figures in bench/results/latest.json. */
    only: { type: 'string' },
    /** Rewrites bench/README.md's table from bench/results/latest.json, without running. */
    'render-only': { type: 'boolean', default: false },
  },
});

const smoke = args.smoke;
const PAIRS = Number(args.pairs ?? (smoke ? 1 : 5));
const FEW = smoke ? 1 : 3;
const SECONDS = Number(args.seconds ?? (smoke ? 1 : 3));
const CONCURRENCY = smoke ? 8 : 64;
const BASE = smoke ? 2_000 : 100_000;

const customer = (i) => `C${String(i + 1).padStart(7, '0')}`;
const ids = (n) => Array.from({ length: n }, (_, i) => ({ customer_id: customer(i) }));
const CHURN = '/loyalty.v1.LoyaltyService/PredictChurn';
const CUSTOMERS = '/loyalty.v1.ModelService/PredictCustomers';
const HEALTH = { path: '/grpc.health.v1.Health/Check', request: { service: '' } };

/** Fixed-request scenarios (h2load or ghz), with the predictions each call makes. */
const fixed = {
  churn_one: { path: CHURN, request: { customers: ids(1) }, predictions: 1 },
  nbo_one: {
    path: '/loyalty.v1.LoyaltyService/PredictNbo',
    request: { customers: ids(1), top_k: 3 },
    predictions: 1,
  },
  ltv_one: { path: '/loyalty.v1.LoyaltyService/PredictLtv', request: { customers: ids(1) }, predictions: 1 },
  rfm_one: { path: '/loyalty.v1.LoyaltyService/GetRfm', request: { customers: ids(1) }, predictions: 1 },
  churn_batch100: { path: CHURN, request: { customers: ids(100) }, predictions: 100 },
  // Reason codes: the same call with explain (3,101 model rows evaluated per customer).
  churn_one_explain: { path: CHURN, request: { customers: ids(1), explain: true }, predictions: 1 },
  // The generic per-customer path (ModelService.PredictCustomers) on the same model as churn_one,
  // and on the ranking model (24 scores, recent purchases left out, top 10).
  customers_churn_one: {
    path: CUSTOMERS,
    request: { model_name: 'churn', customers: ids(1) },
    predictions: 1,
  },
  customers_ranking_one: {
    path: CUSTOMERS,
    request: { model_name: 'product_recommendation', customers: ids(1), top_k: 10 },
    predictions: 1,
  },
  // Next best action for one customer over models/actions.json (8 actions, 4 models), as of the
  // demo store's last day so that its campaign history counts against the contact policy.
  decide_one: {
    path: '/loyalty.v1.DecisionService/Decide',
    request: { customer_id: customer(0), at: { seconds: Date.parse('2025-12-31T23:00:00Z') / 1000 } },
    predictions: 1,
  },
};

/** A whole-base campaign plan through PlanCampaign with a grpc-js client: customers per second. */
async function planBase(port) {
  const def = protoLoader.loadSync(['loyalty/v1/decision_service.proto'], {
    includeDirs: ['proto'],
    keepCase: true,
    enums: String,
    longs: String,
  });
  const pkg = grpc.loadPackageDefinition(def);
  const client = new pkg.loyalty.v1.DecisionService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const started = performance.now();
  let totals;
  await new Promise((resolve, reject) => {
    const s = client.PlanCampaign({
      budget: { currency_code: 'EUR', units: 20_000 },
      capacities: { premium_upgrade_call: 2_000 },
      control_share: 0.1,
      plan_id: 'bench',
      at: { seconds: Date.parse('2025-12-31T23:00:00Z') / 1000 },
    });
    s.on('data', (m) => {
      if (m.totals) totals = m.totals;
    });
    s.on('error', reject);
    s.on('end', resolve);
  });
  client.close();
  const seconds = (performance.now() - started) / 1000;
  if (Number(totals?.considered) !== BASE)
    throw new Error(`plan: ${totals?.considered} customers considered, expected ${BASE}`);
  return { seconds, perSecond: BASE / seconds, assigned: Number(totals.assigned) };
}

/** A seeded generator, so every run asks for the same customers in the same order. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Customer indexes over the whole base: uniform, or skewed (Zipf, exponent 1, over a shuffled
 * ranking, so the popular customers are spread over the id range): the 20% most asked-for
 * customers then get about 86% of the calls.
 */
function customerMix(kind, count, seed) {
  const rand = random(seed);
  if (kind === 'uniform') return Array.from({ length: count }, () => Math.floor(rand() * BASE));
  const rank = Array.from({ length: BASE }, (_, i) => i);
  for (let i = BASE - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const cumulative = new Float64Array(BASE);
  let total = 0;
  for (let i = 0; i < BASE; i++) cumulative[i] = total += 1 / (i + 1);
  return Array.from({ length: count }, () => {
    const x = rand() * total;
    let lo = 0;
    let hi = BASE - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return rank[lo];
  });
}

async function framedBodies(path, requests) {
  const { request } = await methodTypes(path);
  return requests.map((r) => grpcFrame(request.encode(request.fromObject(r)).finish()));
}

/** Streams the whole base through ScoreCustomers with a grpc-js client: customers per second. */
async function streamBase(port, target) {
  const request = typeof target === 'string' ? { kind: target } : target;
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
    const s = client.ScoreCustomers({ ...request, chunk_size: 5000 });
    s.on('data', (chunk) => {
      customers += chunk.customers.length;
    });
    s.on('error', reject);
    s.on('end', resolve);
  });
  client.close();
  const seconds = (performance.now() - started) / 1000;
  if (customers !== BASE)
    throw new Error(`stream ${JSON.stringify(request)}: ${customers} customers, expected ${BASE}`);
  return { customers, seconds, perSecond: customers / seconds };
}

/** Prometheus counters of a server, by metric name (summed over labels). */
async function scrape(metricsPort) {
  return metricSums(await exposition(metricsPort));
}

async function exposition(metricsPort) {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { connection: 'close' } });
  return res.text();
}

/** Each metric's samples summed over their labels, by name. */
function metricSums(text) {
  const sums = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (m) sums[m[1]] = (sums[m[1]] ?? 0) + Number(m[3]);
  }
  return sums;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * A B A B: Health/Check then the scenario, `pairs` times on one server. `measure` returns
 * { value, ... } where value is what is compared with Health/Check's req/s (req/s,
 * predictions/s or customers/s).
 */
async function interleaved(ctx, name, unit, measure, pairs = PAIRS) {
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    const health = await runLoad({
      ...HEALTH,
      tool: ctx.tool,
      port: ctx.server.port,
      concurrency: CONCURRENCY,
      seconds: SECONDS,
    });
    checkClean('health', health);
    const shedBefore = await shedCount(ctx);
    const scenario = await measure();
    const shed = (await shedCount(ctx)) - shedBefore;
    if (scenario.errors > 0)
      log(`  ${name}: ${scenario.errors} calls failed (${shed} shed by admission control)`);
    rows.push({ health: health.rps, ...scenario, shed, ratio: scenario.value / health.rps });
  }
  const ratios = rows.map((r) => r.ratio);
  const result = {
    server: ctx.name,
    scenario: name,
    unit,
    pairs: rows,
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    value: median(rows.map((r) => r.value)),
    health: median(rows.map((r) => r.health)),
    p50: median(rows.map((r) => r.p50 ?? Number.NaN)),
    p99: median(rows.map((r) => r.p99 ?? Number.NaN)),
    rssMb: Math.round(processUsage(ctx.server.pid).rssMb),
  };
  ctx.results.push(result);
  log(
    `${ctx.name.padEnd(24)} ${name.padEnd(26)} ${fmt(result.value)} ${unit}  ratio ${result.ratio.median.toFixed(2)} (${result.ratio.min.toFixed(2)}-${result.ratio.max.toFixed(2)})  p50 ${fmt(result.p50, 2)} p99 ${fmt(result.p99, 2)} ms  rss ${result.rssMb} MB`,
  );
  return result;
}

/**
 * What became of every row the server inferred so far, once the prediction log's queue has
 * drained: rows by outcome (written, not_sampled, dropped by reason) from the metrics, the rows
 * inferred (the batch-size histogram's sum), and the lines in the log's files.
 */
async function predictionLogAccount(ctx) {
  let previous;
  for (let attempt = 0; ; attempt++) {
    if (attempt === 60) throw new Error('the prediction log did not drain in 60 s');
    // Drained when two reads a second apart agree.
    await new Promise((r) => setTimeout(r, 1_000));
    const text = await exposition(ctx.metricsPort);
    const outcomes = {};
    for (const m of text.matchAll(/^loyalty_prediction_log_records_total\{([^}]*)\} (\d+)/gm)) {
      const outcome = /outcome="([^"]+)"/.exec(m[1])[1];
      const reason = /reason="([^"]+)"/.exec(m[1])?.[1];
      outcomes[reason ? `${outcome}_${reason}` : outcome] = Number(m[2]);
    }
    const inferred = metricSums(text).loyalty_inference_batch_size_rows_sum ?? 0;
    const current = JSON.stringify({ outcomes, inferred });
    if (current === previous) {
      const dir = ctx.env.LOYALTY_PREDICTION_LOG_DIR;
      const lines = spawnSync('bash', ['-c', 'cat -- "$1"/*.jsonl | wc -l', 'count', dir], {
        encoding: 'utf8',
      });
      return { inferred, ...outcomes, linesInFiles: Number(lines.stdout.trim()) };
    }
    previous = current;
  }
}

/** Calls the server shed so far (0 with metrics off). */
async function shedCount(ctx) {
  return ctx.metricsPort ? ((await scrape(ctx.metricsPort)).loyalty_admission_shed_total ?? 0) : 0;
}

function checkClean(name, r) {
  if (r.errors > 0 || r.succeeded === 0)
    throw new Error(`${name}: ${r.errors} errors, ${r.succeeded} successes`);
}

const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '-' : v.toFixed(d));
const log = (line) => process.stderr.write(`${line}\n`);

/** A fixed request from h2load/ghz, as a measure for `interleaved`. */
const fixedLoad = (ctx, name) => async () => {
  const s = fixed[name];
  const r = await runLoad({
    tool: ctx.tool,
    port: ctx.server.port,
    path: s.path,
    request: s.request,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
  });
  if (r.succeeded === 0) throw new Error(`${name}: no call succeeded`);
  return {
    value: (r.succeeded / r.seconds) * s.predictions,
    rps: r.rps,
    errors: r.errors,
    p50: r.p50,
    p99: r.p99,
  };
};

/** Varied requests from bench/load.js, as a measure for `interleaved`. */
const variedLoad =
  (ctx, path, bodies, predictions, extra = {}) =>
  async () => {
    const before = ctx.metricsPort ? await scrape(ctx.metricsPort) : undefined;
    const r = await drive({
      port: ctx.server.port,
      path,
      bodies,
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      // Each run goes on through the customers where the last one stopped: restarting at the
      // first body replayed the same customers, all cached after the first run.
      startAt: ctx.cursor ?? 0,
      ...extra,
    });
    ctx.cursor = r.nextIndex;
    if (r.succeeded === 0) throw new Error(`${path}: no call succeeded`);
    const after = ctx.metricsPort ? await scrape(ctx.metricsPort) : undefined;
    const delta = (k) => (after?.[k] ?? 0) - (before?.[k] ?? 0);
    const hits = delta('loyalty_feature_cache_hits_total');
    const misses =
      delta('loyalty_feature_cache_misses_total') + delta('loyalty_feature_cache_coalesced_total');
    return {
      value: r.okPerSecond * predictions,
      rps: r.rps,
      errors: r.errors,
      codes: r.codes,
      p50: r.p50,
      p99: r.p99,
      hitRatio: hits + misses > 0 ? hits / (hits + misses) : null,
    };
  };

/**
 * Overload: the capacity of batch-100 calls (h2load, closed loop, c=64), then 3x that rate
 * offered open-loop by h2load (calls start on schedule whatever the answers) while a light probe
 * (bench/load.js, 50 calls/s of the same request) reads each call's status and latency: h2load
 * cannot tell a refusal from an answer, and a Node client pushing the full rate would measure
 * its own CPU starvation on this 2-core machine. p50/p99 are of the probe's admitted calls.
 */
async function overload(ctx, label) {
  const s = fixed.churn_batch100;
  // Closed loop: a call refused here is answered at once and the next one sent, so the calls
  // that succeeded per second are the capacity.
  const capacity = await runLoad({
    tool: 'h2load',
    port: ctx.server.port,
    path: s.path,
    request: s.request,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
  });
  if (capacity.succeeded === 0) throw new Error('overload: no call succeeded while measuring capacity');
  const rate = Math.round((capacity.succeeded / capacity.seconds) * 3);
  const seconds = smoke ? 4 : 12;
  const background = h2loadOpenLoop({
    port: ctx.server.port,
    path: s.path,
    request: s.request,
    rate,
    seconds,
  });
  const bodies = await framedBodies(s.path, [s.request]);
  const probe = await drive({
    port: ctx.server.port,
    path: s.path,
    bodies,
    seconds: seconds - 2,
    warmupSeconds: 1,
    rate: 50,
    maxOutstanding: 1_000,
  });
  const bg = await background;
  const result = {
    server: ctx.name,
    label,
    capacity: capacity.succeeded / capacity.seconds,
    refusedWhileMeasuring: capacity.errors,
    offered: rate,
    completed: bg.perSecond,
    codes: probe.codes,
    p50: probe.p50,
    p99: probe.p99,
    p99OverP50: probe.p99 / probe.p50,
  };
  ctx.overloads.push(result);
  log(
    `${ctx.name.padEnd(24)} overload 3x (${label}): capacity ${fmt(result.capacity)} calls/s, offered ${rate}, completed ${fmt(bg.perSecond)}/s, probe codes ${JSON.stringify(probe.codes)}, p50 ${fmt(probe.p50, 1)} p99 ${fmt(probe.p99, 1)} ms (p99/p50 ${fmt(result.p99OverP50, 1)})`,
  );
}

/** An OTLP/HTTP endpoint that accepts and counts trace exports, standing in for a collector. */
const sink = { port: 0, requests: 0 };
async function startSink() {
  const server = createServer((req, res) => {
    sink.requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = server.address().port;
  return server;
}

/**
 * LOYALTY_PROCESSES 1 and 2, both servers up at once and loaded in turn (1 2 1 2 ...): PredictChurn
 * for one customer at concurrency 64 over 8 connections (the cluster hands out connections, not
 * calls), and at 256 over 32, where both are saturated. Per run: calls/s, p99, and the CPU the
 * servers and h2load used (cores = CPU seconds / wall seconds).
 */
async function processesComparison(ctx) {
  const two = await startServer({ ...ctx.env, LOYALTY_PROCESSES: '2' });
  const servers = { 1: ctx.server, 2: two };
  const loads = smoke
    ? [{ concurrency: 8, connections: 4 }]
    : [
        { concurrency: 64, connections: 8 },
        { concurrency: 256, connections: 32 },
      ];
  const cpu = (n) => processTree(servers[n].pid).reduce((t, p) => t + p.cpuSeconds, 0);
  try {
    for (const { concurrency, connections } of loads) {
      const runs = { 1: [], 2: [] };
      for (let i = 0; i < PAIRS; i++) {
        for (const n of [1, 2]) {
          const cpuBefore = cpu(n);
          const r = await runLoad({
            tool: ctx.tool,
            port: servers[n].port,
            path: fixed.churn_one.path,
            request: fixed.churn_one.request,
            concurrency,
            seconds: SECONDS,
            connections,
          });
          checkClean(`${n} processes`, r);
          const wall = r.seconds + 1; // h2load's warm-up second is load too
          runs[n].push({
            rps: r.succeeded / r.seconds,
            p50: r.p50,
            p99: r.p99,
            serverCores: (cpu(n) - cpuBefore) / wall,
            toolCores: r.toolCpuSeconds === null ? null : r.toolCpuSeconds / wall,
          });
        }
      }
      const summary = (n) => ({
        processes: n,
        rps: median(runs[n].map((r) => r.rps)),
        p50: median(runs[n].map((r) => r.p50)),
        p99: median(runs[n].map((r) => r.p99)),
        serverCores: median(runs[n].map((r) => r.serverCores)),
        toolCores: median(runs[n].map((r) => r.toolCores ?? Number.NaN)),
        // The supervisor first when there is one, then each server process.
        rssMb: processTree(servers[n].pid).map((p) => Math.round(p.rssMb)),
        runs: runs[n],
      });
      const ratios = runs[2].map((r, i) => r.rps / runs[1][i].rps);
      const result = {
        concurrency,
        connections,
        one: summary(1),
        two: summary(2),
        ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      };
      ctx.processes.push(result);
      log(
        `1 vs 2 processes, c=${concurrency} over ${connections} connections: ${fmt(result.one.rps)} vs ${fmt(result.two.rps)} calls/s, ratio ${result.ratio.median.toFixed(2)} (${result.ratio.min.toFixed(2)}-${result.ratio.max.toFixed(2)}), p99 ${fmt(result.one.p99, 2)} vs ${fmt(result.two.p99, 2)} ms, server cores ${fmt(result.one.serverCores, 2)} vs ${fmt(result.two.serverCores, 2)}, h2load cores ${fmt(result.one.toolCores, 2)} vs ${fmt(result.two.toolCores, 2)}, RSS MB ${result.one.rssMb.join('+')} vs ${result.two.rssMb.join('+')}`,
      );
    }
  } finally {
    await two.stop();
  }
}

const smokeStore = { LOYALTY_SQLITE_PATH: 'data/bench-smoke.sqlite', LOYALTY_DEMO_CUSTOMERS: String(BASE) };

/** What runs on each server; `run(ctx)` drives it. */
function plans() {
  const mixes = {};
  const bodiesOf = async (mix) => {
    mixes[mix] ??= await framedBodies(
      CHURN,
      customerMix(mix, 200_000, 7).map((i) => ({ customers: [{ customer_id: customer(i) }] })),
    );
    return mixes[mix];
  };
  /** Uniform and skewed ids over the base on a MariaDB store with a 20,000-row first level. */
  const realisticLoad = (name, env) => {
    return {
      name,
      env: { LOYALTY_MYSQL_URL: args['mysql-url'], LOYALTY_FEATURE_CACHE_SIZE: '20000', ...env },
      run: async (ctx) => {
        for (const mix of ['uniform', 'skewed'])
          await interleaved(
            ctx,
            `churn_one ${mix} ids`,
            'req/s',
            variedLoad(ctx, CHURN, await bodiesOf(mix), 1),
            FEW,
          );
      },
    };
  };
  const defaults = {
    name: 'default',
    env: smoke ? smokeStore : {},
    run: async (ctx) => {
      await interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'));
      await interleaved(ctx, 'customers_churn_one', 'req/s', fixedLoad(ctx, 'customers_churn_one'));
      await interleaved(ctx, 'customers_ranking_one', 'req/s', fixedLoad(ctx, 'customers_ranking_one'), FEW);
      await interleaved(ctx, 'churn_batch100', 'predictions/s', fixedLoad(ctx, 'churn_batch100'));
      for (const kind of ['SCORE_KIND_CHURN', 'SCORE_KIND_RFM']) {
        await interleaved(
          ctx,
          `stream ${kind.slice(11).toLowerCase()}`,
          'customers/s',
          async () => ({
            value: (await streamBase(ctx.server.port, kind)).perSecond,
          }),
          FEW,
        );
      }
      for (const name of ['nbo_one', 'ltv_one', 'rfm_one']) {
        await interleaved(ctx, name, 'req/s', fixedLoad(ctx, name), FEW);
      }
      const healthBodies = await framedBodies(HEALTH.path, [HEALTH.request]);
      await interleaved(
        ctx,
        'load tool: health',
        'req/s',
        variedLoad(ctx, HEALTH.path, healthBodies, 1),
        FEW,
      );
      await interleaved(
        ctx,
        'churn_one uniform ids',
        'req/s',
        variedLoad(ctx, CHURN, await bodiesOf('uniform'), 1),
        FEW,
      );
      if (ctx.tool === 'h2load') await overload(ctx, 'shedding on (default)');
    },
  };
  const processes = {
    name: '1 vs 2 processes',
    env: smoke ? smokeStore : {},
    run: (ctx) => processesComparison(ctx),
  };
  const predictionLog = {
    // Every served row to JSON lines files: the cost on the request path, and whether records
    // are lost below the queue bound. After each scenario, once the queue has drained, every
    // row the server inferred is accounted for (written, not sampled or dropped, from the
    // metrics) and the written ones are counted again as lines in the files (none rotated away).
    name: 'prediction log (jsonl)',
    env: () => ({
      ...(smoke ? smokeStore : {}),
      LOYALTY_PREDICTION_LOG: 'jsonl',
      LOYALTY_PREDICTION_LOG_DIR: mkdtempSync(join(tmpdir(), 'bench-plog-')),
      LOYALTY_PREDICTION_LOG_KEEP_FILES: '10000',
    }),
    run: async (ctx) => {
      const accounts = [];
      try {
        for (const [name, unit] of [
          ['churn_one', 'req/s'],
          ['churn_batch100', 'predictions/s'],
        ]) {
          await interleaved(ctx, name, unit, fixedLoad(ctx, name), FEW);
          accounts.push({ scenario: name, ...(await predictionLogAccount(ctx)) });
          log(`prediction log after ${name}: ${JSON.stringify(accounts.at(-1))}`);
        }
      } finally {
        rmSync(ctx.env.LOYALTY_PREDICTION_LOG_DIR, { recursive: true, force: true });
      }
      ctx.notes.predictionLog = accounts;
    },
  };
  // The per-call cost of the request path (the serving core's targets), on a default server: one
  // connection with 64 streams, as the core's profile was taken (bench/profile.js).
  const requestPath = {
    name: 'request path',
    env: {},
    run: async (ctx) => {
      await interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'));
      await interleaved(ctx, 'customers_ranking_one', 'req/s', fixedLoad(ctx, 'customers_ranking_one'));
      await interleaved(ctx, 'churn_batch100', 'predictions/s', fixedLoad(ctx, 'churn_batch100'));
      await interleaved(
        ctx,
        'stream product_recommendation top 5',
        'customers/s',
        async () => ({
          value: (await streamBase(ctx.server.port, { modelName: 'product_recommendation', topK: 5 }))
            .perSecond,
        }),
        FEW,
      );
    },
  };
  // Decisions: Decide for one customer (4 models, the contact history), and a whole-base plan.
  const decisions = {
    name: 'decisions',
    env: {},
    run: async (ctx) => {
      await interleaved(ctx, 'decide_one', 'req/s', fixedLoad(ctx, 'decide_one'));
      await interleaved(
        ctx,
        'PlanCampaign whole base',
        'customers/s',
        async () => ({ value: (await planBase(ctx.server.port)).perSecond }),
        FEW,
      );
    },
  };
  if (smoke) return [defaults, processes, predictionLog];
  return [
    defaults,
    requestPath,
    decisions,
    processes,
    {
      name: 'shedding off',
      env: { LOYALTY_MAX_QUEUE_WAIT_MS: '0' },
      run: async (ctx) => {
        if (ctx.tool === 'h2load') await overload(ctx, 'shedding off');
      },
    },
    ...(args['skip-mysql']
      ? []
      : [
          // The realistic load (ids over the whole base, the first level a fifth of it) on the
          // SQL store and on Redis in front of it (published at the server's start).
          realisticLoad('MariaDB, cache 20k', {}),
          realisticLoad('Redis, cache 20k', {
            LOYALTY_REDIS_URL: args['redis-url'],
            LOYALTY_REDIS_PREFIX: 'bench:online',
          }),
          realisticLoad('PostgreSQL, cache 20k', {
            LOYALTY_MYSQL_URL: '',
            LOYALTY_POSTGRES_URL: args['postgres-url'],
          }),
        ]),
    {
      name: '2 workers',
      env: { LOYALTY_WORKERS: '2' },
      run: async (ctx) => {
        await interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW);
        await interleaved(ctx, 'churn_batch100', 'predictions/s', fixedLoad(ctx, 'churn_batch100'), FEW);
      },
    },
    predictionLog,
    {
      // The default server (drift on): what asking for reason codes costs a call; churn_batch100
      // for the 'drift off' plan's comparison.
      name: 'reason codes (explain)',
      env: {},
      run: async (ctx) => {
        await interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW);
        await interleaved(ctx, 'churn_one_explain', 'req/s', fixedLoad(ctx, 'churn_one_explain'), FEW);
        await interleaved(ctx, 'churn_batch100', 'predictions/s', fixedLoad(ctx, 'churn_batch100'), FEW);
      },
    },
    {
      // What drift measurement (on by default) costs the request path.
      name: 'drift off',
      env: { LOYALTY_DRIFT_WINDOW: '0' },
      run: async (ctx) => {
        await interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW);
        await interleaved(ctx, 'churn_batch100', 'predictions/s', fixedLoad(ctx, 'churn_batch100'), FEW);
      },
    },
    {
      name: 'batching off',
      env: { LOYALTY_BATCH_MAX_SIZE: '1' },
      run: (ctx) => interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW),
    },
    {
      name: 'metrics off',
      env: { LOYALTY_METRICS_PORT: 'off' },
      run: (ctx) => interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW),
    },
    {
      name: 'tracing, sampling 1.0',
      env: () => ({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${sink.port}/v1/traces`,
        OTEL_TRACES_SAMPLER: 'always_on',
      }),
      run: (ctx) => interleaved(ctx, 'churn_one', 'req/s', fixedLoad(ctx, 'churn_one'), FEW),
    },
  ];
}

async function main() {
  const tool = loadTool();
  const sinkServer = await startSink();
  const results = [];
  const overloads = [];
  const processes = [];
  const startups = [];
  const notes = {};
  for (const plan of plans().filter((p) => !args.only || p.name === args.only)) {
    const env = typeof plan.env === 'function' ? plan.env() : plan.env;
    const server = await startServer(env);
    startups.push({
      server: plan.name,
      ms: Math.round(server.startupMs),
      rssMb: Math.round(processUsage(server.pid).rssMb),
    });
    log(`# ${plan.name}: serving after ${Math.round(server.startupMs)} ms (pid ${server.pid})`);
    const ctx = {
      name: plan.name,
      env,
      tool,
      server,
      metricsPort: server.metricsPort,
      results,
      overloads,
      processes,
      notes,
    };
    try {
      await plan.run(ctx);
    } finally {
      await server.stop();
    }
  }
  sinkServer.close();
  const result = {
    date: new Date().toISOString(),
    tool,
    smoke,
    pairs: PAIRS,
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    machine: machine(),
    startups,
    results,
    overloads,
    processes,
    notes,
    traceExports: sink.requests,
  };
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, smoke ? 'smoke.json' : 'latest.json');
  if (args.only) {
    // Keep the other servers' figures; replace this one's.
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    const others = (list) => list.filter((x) => x.server !== args.only);
    result.results = [...others(previous.results), ...result.results];
    result.overloads = [...others(previous.overloads), ...result.overloads];
    result.startups = [...others(previous.startups), ...result.startups];
    if (args.only !== '1 vs 2 processes') result.processes = previous.processes ?? [];
    result.notes = { ...(previous.notes ?? {}), ...notes };
  }
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${file}`);
  if (!smoke) writeMarkdown(result);
}

function writeMarkdown(result) {
  const range = (r) => `${r.median.toFixed(2)} (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
  const lines = [
    `Measured ${result.date.slice(0, 10)} with ${result.tool} (fixed requests) and bench/load.js (varied requests), on ${result.machine.cores} cores (${result.machine.cpu}), ${result.machine.memoryGb} GB, Node ${result.machine.node}; concurrency ${result.concurrency}, ${result.seconds} s per run, each scenario alternated with Health/Check on the same server (${result.pairs} pairs for the first two scenarios, 3 for the others). Server and load tools share the machine, unpinned.`,
    '',
    '| server | scenario | median | unit | ratio to Health/Check: median (min-max) | Health/Check req/s (median) | p50 ms | p99 ms | cache hit ratio | failed calls (shed) | RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.results.map((r) => {
      const hit = r.pairs.map((p) => p.hitRatio).filter((h) => h !== null && h !== undefined);
      const failed = r.pairs.reduce((n, p) => n + (p.errors ?? 0), 0);
      const shed = r.pairs.reduce((n, p) => n + (p.shed ?? 0), 0);
      return `| ${r.server} | ${r.scenario} | ${fmt(r.value)} | ${r.unit} | ${range(r.ratio)} | ${fmt(r.health)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${hit.length ? median(hit).toFixed(2) : '-'} | ${failed} (${shed}) | ${r.rssMb} |`;
    }),
    '',
    '| server | batch-100 at 3x capacity | capacity calls/s (refused while measuring) | offered calls/s | completed calls/s (h2load) | probe status codes | admitted p50 ms | admitted p99 ms | p99/p50 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...result.overloads.map((o) => {
      const codes = Object.entries(o.codes)
        .map(([c, n]) => `${c}: ${n}`)
        .join(', ');
      return `| ${o.server} | ${o.label} | ${fmt(o.capacity)} (${o.refusedWhileMeasuring ?? 0}) | ${o.offered} | ${fmt(o.completed)} | ${codes} | ${fmt(o.p50, 1)} | ${fmt(o.p99, 1)} | ${fmt(o.p99OverP50, 1)} |`;
    }),
    '',
    '| LOYALTY_PROCESSES | concurrency (connections) | PredictChurn calls/s (median) | 2 over 1, per pair: median (min-max) | p50 ms | p99 ms | server cores used | h2load cores used | RSS MB (supervisor + processes) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...(result.processes ?? []).flatMap((c) =>
      [c.one, c.two].map(
        (s) =>
          `| ${s.processes} | ${c.concurrency} (${c.connections}) | ${fmt(s.rps)} | ${s.processes === 2 ? range(c.ratio) : '-'} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.serverCores, 2)} | ${fmt(s.toolCores, 2)} | ${s.rssMb.join(' + ')} |`,
      ),
    ),
    '',
    ...(Array.isArray(result.notes?.predictionLog)
      ? [
          'Prediction log (JSON lines, every row), rows since the server started, counted after each scenario once the queue drained:',
          '',
          '| after | rows inferred | written | dropped (queue full) | dropped (sink error) | lines in the files |',
          '|---|---|---|---|---|---|',
          ...result.notes.predictionLog.map(
            (a) =>
              `| ${a.scenario} | ${a.inferred} | ${a.written ?? 0} | ${a.dropped_queue_full ?? 0} | ${a.dropped_sink_error ?? 0} | ${a.linesInFiles} |`,
          ),
          '',
        ]
      : []),
    `Start to SERVING (models loaded and warmed in every worker), and RSS then: ${result.startups.map((s) => `${s.server} ${s.ms} ms, ${s.rssMb} MB`).join('; ')}.`,
  ];
  const readme = readFileSync('bench/README.md', 'utf8');
  const updated = readme.replace(
    /<!-- results:start -->[\s\S]*<!-- results:end -->/,
    `<!-- results:start -->\n${lines.join('\n')}\n<!-- results:end -->`,
  );
  writeFileSync('bench/README.md', updated);
}

const entry = args['render-only']
  ? async () => writeMarkdown(JSON.parse(readFileSync(join(args.out, 'latest.json'), 'utf8')))
  : main;
entry().catch((err) => {
  log(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
