// Three replicas behind a round-robin client, each with a first level of 20,000 customers over
// the MariaDB store, without and with Redis in front (alternated, `--rounds` each): calls per
// second, p99, and what the stores carried per second (MariaDB's SELECTs, Redis's GETs), under
// uniform random customer ids over the 100,000-customer base.
// Usage: node bench/replicas-redis.js [--seconds 10] [--rounds 2] [--concurrency 48]
//   (the MariaDB store: make bench's `node dist/cli/seed.js --target mysql --if-needed`)
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startServer } from './harness.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '48' },
    'mysql-url': { type: 'string', default: 'mysql://root@127.0.0.1:3306/loyalty' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const BASE = 100_000;
const REPLICAS = 3;

const mysqlSelects = () =>
  Number(
    spawnSync('mysql', ['-uroot', '-h127.0.0.1', '-N', '-e', "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'"], {
      encoding: 'utf8',
    }).stdout.split('\t')[1],
  );
const redisGets = () => {
  const out = spawnSync('redis-cli', ['-u', args['redis-url'], 'INFO', 'commandstats'], {
    encoding: 'utf8',
  }).stdout;
  return Number(/cmdstat_get:calls=(\d+)/.exec(out)?.[1] ?? 0);
};

async function drive(ports) {
  const def = protoLoader.loadSync(['loyalty/v1/loyalty_service.proto'], {
    includeDirs: ['proto'],
    keepCase: true,
  });
  const pkg = grpc.loadPackageDefinition(def);
  const client = new pkg.loyalty.v1.LoyaltyService(
    `ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    grpc.credentials.createInsecure(),
    { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) },
  );
  // xorshift32: uniform ids over the base, the same sequence every run.
  let state = 0x9e3779b9;
  const nextId = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return `C${String(((state >>> 0) % BASE) + 1).padStart(7, '0')}`;
  };
  const latencies = [];
  let errors = 0;
  const end = performance.now() + Number(args.seconds) * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      const ok = await new Promise((resolve) =>
        client.PredictChurn(
          { customers: [{ customer_id: nextId() }] },
          { deadline: Date.now() + 5_000 },
          (e) => resolve(!e),
        ),
      );
      if (ok) latencies.push(performance.now() - started);
      else errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  client.close();
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length / seconds,
    p99: latencies[Math.floor(0.99 * latencies.length)],
    errors,
    seconds,
  };
}

async function scenario(name, env) {
  const servers = [];
  for (let i = 0; i < REPLICAS; i++)
    servers.push(
      await startServer({
        LOYALTY_MYSQL_URL: args['mysql-url'],
        LOYALTY_FEATURE_CACHE_SIZE: '20000',
        LOYALTY_METRICS_PORT: 'off',
        LOYALTY_HTTP_PORT: 'off',
        LOYALTY_WORKERS: '1',
        ...env,
      }),
    );
  try {
    // A warm-up of the same length, so that each replica's first level is as full as it gets.
    await drive(servers.map((s) => s.port));
    const [s0, g0] = [mysqlSelects(), redisGets()];
    const r = await drive(servers.map((s) => s.port));
    const [s1, g1] = [mysqlSelects(), redisGets()];
    const row = {
      name,
      callsPerSecond: Math.round(r.calls),
      p99Ms: Number(r.p99.toFixed(1)),
      errors: r.errors,
      mysqlQueriesPerSecond: Math.round((s1 - s0) / r.seconds),
      redisGetsPerSecond: Math.round((g1 - g0) / r.seconds),
    };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    return row;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

for (let round = 0; round < Number(args.rounds); round++) {
  await scenario('3 replicas, own caches', {});
  await scenario('3 replicas, shared Redis', {
    LOYALTY_REDIS_URL: args['redis-url'],
    LOYALTY_REDIS_PREFIX: 'bench:online',
  });
}
