// The benchmark harness: starts the server as `make serve` does, drives it with ghz (when on
// PATH) or h2load, and verifies every response. Scenario definitions live in scenarios.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROTO_DIR = join(ROOT, 'proto');
const SERVE = join(ROOT, 'dist/cli/serve.js');
const HEALTH_PROTO = join(ROOT, 'node_modules/grpc-health-check/proto/health/v1/health.proto');

/** @returns {'ghz' | 'h2load'} */
export function loadTool() {
  if (spawnSync('ghz', ['--version']).status === 0) return 'ghz';
  if (spawnSync('h2load', ['--version']).status === 0) return 'h2load';
  throw new Error(
    'neither ghz nor h2load is on PATH: install ghz, or `apt-get install nghttp2-client` for h2load',
  );
}

let rootPromise;
function protoRoot() {
  rootPromise ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => {
      if (target.startsWith('google/protobuf/')) return join(ROOT, 'node_modules/protobufjs', target);
      if (target.endsWith('health.proto')) return HEALTH_PROTO;
      return join(PROTO_DIR, target);
    };
    await root.load(
      [
        'loyalty/v1/loyalty_service.proto',
        'loyalty/v1/model_service.proto',
        'loyalty/v1/decision_service.proto',
        HEALTH_PROTO,
      ],
      {
        keepCase: true,
      },
    );
    return root;
  })();
  return rootPromise;
}

/**
 * A method's request encoded as protobuf, and the request and response types.
 * @param {string} path e.g. /loyalty.v1.LoyaltyService/PredictChurn
 */
export async function methodTypes(path) {
  const root = await protoRoot();
  const [, service, method] = path.split('/');
  const m = root.lookupService(service).methods[method];
  return {
    request: root.lookupType(m.requestType.replace(/^\./, '')),
    response: root.lookupType(m.responseType.replace(/^\./, '')),
  };
}

/** The gRPC length-prefixed frame of a message. */
export function grpcFrame(bytes) {
  const frame = Buffer.alloc(5 + bytes.length);
  frame.writeUInt32BE(bytes.length, 1);
  Buffer.from(bytes).copy(frame, 5);
  return frame;
}

/**
 * Starts the server (built) with the given environment (and Node options, e.g. --cpu-prof);
 * resolves once health would say SERVING.
 * @returns {Promise<{ port: number, httpPort: number | undefined, metricsPort: number | undefined, pid: number, startupMs: number, stop: () => Promise<void> }>}
 */
export function startServer(env, nodeArgs = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, SERVE], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOYALTY_GRPC_HOST: '127.0.0.1',
      LOYALTY_GRPC_PORT: '0',
      LOYALTY_METRICS_HOST: '127.0.0.1',
      LOYALTY_METRICS_PORT: '0',
      LOYALTY_HTTP_PORT: '0',
      LOYALTY_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const metricsOff = env.LOYALTY_METRICS_PORT === 'off';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const serving = /"port":(\d+),"msg":"serving"/.exec(out);
      const metrics = /"port":(\d+),"msg":"metrics at \/metrics"/.exec(out);
      if (serving && (metrics || metricsOff)) {
        const http = /"httpPort":(\d+)/.exec(out);
        out = '';
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({
          port: Number(serving[1]),
          httpPort: http ? Number(http[1]) : undefined,
          metricsPort: metrics ? Number(metrics[1]) : undefined,
          pid: child.pid,
          startupMs: performance.now() - started,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err.slice(-2000)}`)));
  });
}

/** Resident memory (MB) and CPU time (s) of a process, from /proc. */
export function processUsage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / 100 };
}

/** A process and its descendants (a supervisor's server processes), each with its usage. */
export function processTree(pid) {
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {}
  return [{ pid, ...processUsage(pid) }, ...children.flatMap((c) => processTree(Number(c)))];
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Drives one method at one concurrency for `seconds` and verifies the answers: h2load counts any
 * HTTP 200 as success and cannot read grpc-status, so success is counted from the response bytes
 * (a failed gRPC call answers trailers only, no message); ghz reads grpc-status itself.
 */
export async function runLoad({
  tool,
  port,
  path,
  request,
  concurrency,
  seconds,
  warmupSeconds = 1,
  connections = 1,
}) {
  const { request: reqType } = await methodTypes(path);
  const body = reqType.encode(reqType.fromObject(request)).finish();
  if (tool === 'ghz') return runGhz({ port, path, request, concurrency, seconds, connections });
  const expectedResponse = await expectedResponseBytes(port, path, body);
  return runH2load({ port, path, body, concurrency, seconds, warmupSeconds, expectedResponse, connections });
}

/** h2load speaking gRPC: a fixed framed body, the gRPC content type and trailers (see ../shared/notes/grpc-load.md). */
function h2loadArgs(port, path, bodyFile, options) {
  return [
    ...options,
    ...['-d', bodyFile, '-H', 'content-type: application/grpc', '-H', 'te: trailers'],
    `http://127.0.0.1:${port}${path}`,
  ];
}

/** One call through h2load itself, to learn the size of a successful response's DATA. */
async function expectedResponseBytes(port, path, body) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    writeFileSync(join(dir, 'body'), grpcFrame(body));
    const res = spawnSync('h2load', h2loadArgs(port, path, join(dir, 'body'), ['-n', '1', '-c', '1']), {
      encoding: 'utf8',
    });
    const data = Number(/\((\d+)\) data/.exec(res.stdout)?.[1] ?? Number.NaN);
    if (!(data > 5)) throw new Error(`${path}: the probe call got no response message:\n${res.stdout}`);
    return { bytes: data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * h2load over `connections` connections (concurrency / connections streams each). It runs under
 * bash's `times`, which reports the CPU h2load used: the share of the cores the load tool took.
 */
function runH2load({ port, path, body, concurrency, seconds, warmupSeconds, expectedResponse, connections }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    writeFileSync(join(dir, 'body'), grpcFrame(body));
    const log = join(dir, 'latency.log');
    const streams = Math.max(1, Math.round(concurrency / connections));
    const args = h2loadArgs(port, path, join(dir, 'body'), [
      ...['-D', String(seconds), '--warm-up-time', String(warmupSeconds)],
      ...['-c', String(connections), '-m', String(streams), '-t', '1', `--log-file=${log}`],
    ]);
    const res = spawnSync('bash', ['-c', 'h2load "$@"; times', 'h2load', ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const stdout = res.stdout;
    // `times` prints the shell's user and system time, then its children's: h2load's.
    const cpu = [...stdout.matchAll(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)].at(-1);
    const toolCpuSeconds = cpu
      ? Number(cpu[1]) * 60 + Number(cpu[2]) + Number(cpu[3]) * 60 + Number(cpu[4])
      : null;
    const done = Number(/requests: \d+ total, \d+ started, (\d+) done/.exec(stdout)?.[1] ?? 0);
    const data = Number(/\((\d+)\) data/.exec(stdout)?.[1] ?? 0);
    const finished = /finished in ([\d.]+)(m?s)/.exec(stdout);
    const elapsed = finished ? Number(finished[1]) / (finished[2] === 'ms' ? 1000 : 1) : seconds;
    const latencies = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.split('\t')[2]) / 1000)
      .sort((a, b) => a - b);
    // Each success carries one response message of the probed size; failures carry none.
    const succeeded = Math.round(data / expectedResponse.bytes);
    return {
      requests: done,
      succeeded: Math.min(done, succeeded),
      errors: Math.max(0, done - succeeded),
      seconds: elapsed,
      rps: done / elapsed,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      toolCpuSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Open-loop background load from h2load: `rate` calls/s over `clients` connections (h2load's
 * --rps is per client), at most `streams` outstanding per connection. Resolves with the calls
 * h2load completed; it cannot tell successes from refusals (see runLoad), so overload figures
 * come from a probe driven beside it.
 */
export async function h2loadOpenLoop({ port, path, request, rate, seconds, clients = 4, streams = 500 }) {
  const { request: reqType } = await methodTypes(path);
  const body = reqType.encode(reqType.fromObject(request)).finish();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  writeFileSync(join(dir, 'body'), grpcFrame(body));
  const args = h2loadArgs(port, path, join(dir, 'body'), [
    ...['-D', String(seconds), '-c', String(clients), '-m', String(streams), '-t', '1'],
    `--rps=${Math.max(1, Math.round(rate / clients))}`,
  ]);
  return new Promise((resolve) => {
    const child = spawn('h2load', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      const done = Number(/requests: \d+ total, \d+ started, (\d+) done/.exec(stdout)?.[1] ?? 0);
      resolve({ done, perSecond: done / seconds });
    });
  });
}

function runGhz({ port, path, request, concurrency, seconds, connections = 1 }) {
  const [, service, method] = path.split('/');
  const args = [
    '--insecure',
    '--connections',
    String(connections),
    '--call',
    `${service}.${method}`,
    '-d',
    JSON.stringify(request),
    '-c',
    String(concurrency),
    '-z',
    `${seconds}s`,
    '--duration-stop=ignore',
    '--disable-template-functions',
    '--disable-template-data',
    '--format',
    'json',
    `127.0.0.1:${port}`,
  ];
  const res = spawnSync('ghz', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(res.stdout);
  const ok = report.statusCodeDistribution?.OK ?? 0;
  const pct = (p) => (report.latencyDistribution ?? []).find((l) => l.percentage === p)?.latency / 1e6;
  return {
    requests: report.count,
    succeeded: ok,
    errors: report.count - ok,
    seconds: report.total / 1e9,
    rps: report.rps,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
  };
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
