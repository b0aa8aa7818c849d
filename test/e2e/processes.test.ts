import { spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedLoyaltyClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { type ServeProcess, serveProcess } from '../helpers/serve-process.js';
import { inSeconds } from '../helpers/server.js';

/**
 * LOYALTY_PROCESSES=2 as `make serve` runs it: two server processes on one port under a
 * supervisor that serves their metrics, replaces a process that dies and drains both at SIGTERM.
 */
let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: ServeProcess;

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  server = await serveProcess({
    LOYALTY_PROCESSES: '2',
    LOYALTY_WORKERS: '1',
    LOYALTY_SQLITE_PATH: demo.path,
  });
}, 60_000);

afterAll(() => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  demo.cleanup();
});

/** Samples of the merged exposition: `name{labels} value`, by name. */
async function scrape(): Promise<{ name: string; labels: string; value: number }[]> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .map((line) => /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ name: m[1]!, labels: m[2] ?? '', value: Number(m[3]) }));
}

const value = (samples: Awaited<ReturnType<typeof scrape>>, name: string) =>
  samples.find((s) => s.name === name)?.value;

/** Calls on `connections` separate connections (the cluster hands out connections, not calls). */
async function churnCalls(connections: number, callsEach: number) {
  const clients = Array.from({ length: connections }, () =>
    typedLoyaltyClient(server.port, { 'grpc.use_local_subchannel_pool': 1 }),
  );
  const answers = await Promise.all(
    clients.flatMap((c, i) =>
      Array.from({ length: callsEach }, (_, j) =>
        c.unary(
          'PredictChurn',
          { customers: [{ customerId: `C${String(1 + i * callsEach + j).padStart(7, '0')}` }] },
          { deadline: inSeconds(10) },
        ),
      ),
    ),
  );
  for (const c of clients) c.close();
  return answers;
}

const serverPids = (out: string) =>
  [...out.matchAll(/"process":(\d+),"pid":(\d+),"msg":"server process (?:ready|replaced)"/g)].map((m) => ({
    slot: Number(m[1]),
    pid: Number(m[2]),
  }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('several server processes on one port', () => {
  it('spreads connections over both processes and reports both on one metrics endpoint', async () => {
    const answers = await churnCalls(8, 5);
    expect(answers.filter((a) => a.error !== null)).toEqual([]);
    expect(answers.every((a) => a.response!.results[0]!.outcome === 'prediction')).toBe(true);

    const samples = await scrape();
    expect(value(samples, 'loyalty_cluster_processes')).toBe(2);
    const calls = (process: string) =>
      samples
        .filter(
          (s) =>
            s.name === 'loyalty_rpc_duration_seconds_count' &&
            s.labels.includes(`process="${process}"`) &&
            s.labels.includes('PredictChurn'),
        )
        .reduce((n, s) => n + s.value, 0);
    // 8 connections handed out in turn: each process has some, and the two sum to every call.
    expect(calls('0')).toBeGreaterThan(0);
    expect(calls('1')).toBeGreaterThan(0);
    expect(calls('0') + calls('1')).toBe(40);
    // Memory per process, each family announced once.
    const rss = samples.filter(
      (s) => s.name === 'loyalty_process_memory_bytes' && s.labels.includes('kind="rss"'),
    );
    expect(rss.map((s) => /process="(\d)"/.exec(s.labels)?.[1]).sort()).toEqual(['0', '1']);
    const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    expect(text.match(/^# TYPE loyalty_process_memory_bytes /gm)).toHaveLength(1);
  });

  it('replaces a process that dies, and the port keeps answering', async () => {
    const before = serverPids(server.stdout());
    expect(before.map((p) => p.slot).sort()).toEqual([0, 1]);
    const victim = before.find((p) => p.slot === 1)!;
    process.kill(victim.pid, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (!/"msg":"server process replaced"/.test(server.stdout()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(server.stdout()).toMatch(
      /"process":1,.*"signal":"SIGKILL".*"msg":"server process exited; replacing it"/,
    );
    const replacement = serverPids(server.stdout()).at(-1)!;
    expect(replacement.slot).toBe(1);
    expect(replacement.pid).not.toBe(victim.pid);

    const answers = await churnCalls(6, 3);
    expect(answers.filter((a) => a.error !== null)).toEqual([]);
    const samples = await scrape();
    expect(value(samples, 'loyalty_cluster_processes')).toBe(2);
    expect(value(samples, 'loyalty_cluster_process_restarts_total')).toBe(1);
  });

  it('drains every process at SIGTERM: a stream in flight completes, then all exit cleanly', async () => {
    const pids = serverPids(server.stdout());
    const current = [pids.findLast((p) => p.slot === 0)!.pid, pids.findLast((p) => p.slot === 1)!.pid];
    const client = typedLoyaltyClient(server.port);
    const stream = client.open('ScoreCustomers', { kind: 'SCORE_KIND_RFM', chunkSize: 100 });
    let customers = 0;
    let signalled = false;
    const ended = new Promise<Error | null>((resolve) => {
      stream.on('data', (m: { customers: unknown[] }) => {
        customers += m.customers.length;
        // Read slowly (30 messages, ~0.6 s) so that the signal lands mid-stream.
        stream.pause();
        setTimeout(() => stream.resume(), 20);
        if (!signalled) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      });
      stream.on('error', (e) => resolve(e));
      stream.on('end', () => resolve(null));
    });
    expect(await ended).toBeNull();
    expect(customers).toBe(3_000);
    expect(await server.exited).toBe(0);
    client.close();
    expect(server.stdout()).toMatch(/"clean":true,"msg":"server stopped"/);
    for (const pid of current) expect(alive(pid)).toBe(false);
  });
});

describe('a supervisor whose processes cannot start', () => {
  it('gives up with exit code 1 and says why, instead of restarting them forever', async () => {
    // The gRPC port is taken: every server process fails to bind it.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const child = spawn(process.execPath, [new URL('../../dist/cli/serve.js', import.meta.url).pathname], {
      env: {
        ...process.env,
        LOYALTY_PROCESSES: '2',
        LOYALTY_WORKERS: '1',
        LOYALTY_SQLITE_PATH: demo.path,
        LOYALTY_GRPC_HOST: '127.0.0.1',
        LOYALTY_GRPC_PORT: String(port),
        LOYALTY_HTTP_PORT: 'off',
        LOYALTY_METRICS_PORT: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    taken.close();
    expect(code).toBe(1);
    expect(err).toMatch(/server process \d exited \(code 1, signal null\) before serving/);
  }, 60_000);
});
