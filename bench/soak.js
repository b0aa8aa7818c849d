// `make soak`: the server under a steady 70% of its capacity for SOAK_MINUTES (default 10), with
// random customers of the whole base; RSS, the main thread's V8 heap and every error are
// recorded over time. Usage: node bench/soak.js [--minutes 10] [--out bench/results]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { grpcFrame, machine, methodTypes, processUsage, startServer } from './harness.js';
import { drive } from './load.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: process.env.SOAK_MINUTES ?? '10' },
    out: { type: 'string', default: 'bench/results' },
    share: { type: 'string', default: '0.7' },
  },
});
const minutes = Number(args.minutes);
const SEGMENT_S = 30;
const BASE = 100_000;
const CHURN = '/loyalty.v1.LoyaltyService/PredictChurn';

async function memory(server) {
  const text = await (
    await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`, { headers: { connection: 'close' } })
  ).text();
  const kinds = {};
  for (const m of text.matchAll(/^loyalty_process_memory_bytes\{kind="(\w+)"[^}]*\} ([\d.e+]+)$/gm)) {
    kinds[m[1]] = Math.round(Number(m[2]) / 2 ** 20);
  }
  return { rssMb: Math.round(processUsage(server.pid).rssMb), ...kinds };
}

async function main() {
  const { request } = await methodTypes(CHURN);
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const bodies = Array.from({ length: 50_000 }, () =>
    grpcFrame(
      request
        .encode(
          request.fromObject({
            customers: [{ customer_id: `C${String(1 + Math.floor(next() * BASE)).padStart(7, '0')}` }],
          }),
        )
        .finish(),
    ),
  );
  const server = await startServer({});
  const samples = [];
  try {
    const atRest = await memory(server);
    process.stderr.write(`at rest: ${JSON.stringify(atRest)}\n`);
    const capacity = await drive({ port: server.port, path: CHURN, bodies, seconds: 10, concurrency: 64 });
    const rate = Math.round(capacity.okPerSecond * Number(args.share));
    process.stderr.write(
      `capacity ${capacity.okPerSecond.toFixed(0)} calls/s (random ids, c=64); soaking at ${rate}/s for ${minutes} min\n`,
    );
    const segments = Math.max(1, Math.round((minutes * 60) / SEGMENT_S));
    for (let i = 0; i < segments; i++) {
      const r = await drive({
        port: server.port,
        path: CHURN,
        bodies,
        seconds: SEGMENT_S,
        warmupSeconds: 0,
        rate,
        maxOutstanding: 2_000,
      });
      const sample = {
        atSeconds: (i + 1) * SEGMENT_S,
        okPerSecond: r.okPerSecond,
        codes: r.codes,
        skipped: r.skipped,
        p50: r.p50,
        p99: r.p99,
        ...(await memory(server)),
      };
      samples.push(sample);
      process.stderr.write(`${JSON.stringify(sample)}\n`);
    }
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      minutes,
      rate,
      capacity: capacity.okPerSecond,
      atRest,
      samples,
    };
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
    writeMarkdown(result);
  } finally {
    await server.stop();
  }
}

function writeMarkdown(r) {
  const errors = r.samples.reduce(
    (n, s) =>
      n +
      Object.entries(s.codes)
        .filter(([c]) => c !== '0')
        .reduce((a, [, v]) => a + v, 0),
    0,
  );
  const last = r.samples[r.samples.length - 1];
  const peak = Math.max(...r.samples.map((s) => s.rssMb));
  const lines = [
    `Measured ${r.date.slice(0, 10)}: ${r.minutes} min of PredictChurn for one random customer of the 100,000 at ${r.rate} calls/s, 70% of the ${Math.round(r.capacity)} calls/s measured first (bench/load.js, c=64); ${r.machine.cores} cores, Node ${r.machine.node}. Errors: ${errors}. RSS at rest ${r.atRest.rssMb} MB; after the soak ${last.rssMb} MB (peak ${peak} MB).`,
    '',
    '| minute | OK calls/s | p50 ms | p99 ms | errors | RSS MB | V8 heap used MB | heap total MB | external MB | array buffers MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.samples
      .filter((_, i) => i % 2 === 1 || r.samples.length <= 4)
      .map(
        (s) =>
          `| ${(s.atSeconds / 60).toFixed(1)} | ${s.okPerSecond.toFixed(0)} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${Object.entries(
            s.codes,
          )
            .filter(([c]) => c !== '0')
            .reduce(
              (a, [, v]) => a + v,
              0,
            )} | ${s.rssMb} | ${s.heap_used} | ${s.heap_total} | ${s.external} | ${s.array_buffers} |`,
      ),
  ];
  const readme = readFileSync('bench/README.md', 'utf8');
  writeFileSync(
    'bench/README.md',
    readme.replace(
      /<!-- soak:start -->[\s\S]*<!-- soak:end -->/,
      `<!-- soak:start -->\n${lines.join('\n')}\n<!-- soak:end -->`,
    ),
  );
}

main().catch((err) => {
  process.stderr.write(`soak failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
