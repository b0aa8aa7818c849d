import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { type LoyaltyClient, loyaltyClientOf, typedLoyaltyClient } from '../helpers/client.js';
import { TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { churnLoad, until } from '../helpers/load.js';
import { createTestDatabase, mysqlAvailable, type TestDatabase } from '../helpers/mysql.js';
import { type ServeProcess, serveProcess } from '../helpers/serve-process.js';
import { inSeconds } from '../helpers/server.js';

/**
 * Three replicas on loopback sharing one MariaDB, called as deploy/README.md tells clients to:
 * round robin over every replica's address, retries of UNAVAILABLE and RESOURCE_EXHAUSTED, a
 * deadline on every call.
 * Replicas are stopped (SIGTERM), killed (SIGKILL) and restarted, and a model version rolls out
 * to them one by one, all under load.
 */
const REPLICAS = 3;
const available = await mysqlAvailable();
const dir = mkdtempSync(join(tmpdir(), 'loyalty-scale-'));
let db: TestDatabase;
let ports: number[] = [];
const replicas: (ServeProcess | undefined)[] = [];

/** The service config of deploy/README.md ("Calling the servers"). */
const SERVICE_CONFIG = {
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{ service: 'loyalty.v1.LoyaltyService' }, { service: 'loyalty.v1.ModelService' }],
      retryPolicy: {
        maxAttempts: 5,
        initialBackoff: '0.05s',
        maxBackoff: '1s',
        backoffMultiplier: 2,
        // Both are refusals before any work (a replica going away, a replica shedding load):
        // the retry goes to the next replica.
        retryableStatusCodes: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'],
      },
    },
  ],
};
const CLIENT_OPTIONS = {
  'grpc.service_config': JSON.stringify(SERVICE_CONFIG),
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  // Reconnect to a restarted replica soon (the default backoff may wait up to 2 minutes).
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};

/**
 * gRPC's retry policy cannot retry a call whose response had begun (headers received: the call is
 * committed) when its replica died. Predictions are idempotent reads, so the documented client
 * retries those once more itself, within the call's deadline; counted, to say how often.
 */
function retryingCommittedCalls(client: LoyaltyClient, stats: { retried: number }): LoyaltyClient {
  const unary = client.unary.bind(client);
  return Object.assign(Object.create(client), {
    async unary(...args: Parameters<LoyaltyClient['unary']>) {
      const first = await unary(...args);
      if (first.error?.code !== grpc.status.UNAVAILABLE) return first;
      stats.retried++;
      return unary(...args);
    },
  }) as LoyaltyClient;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const modelsOf = (i: number) => join(dir, `models-${i}`);

async function start(i: number): Promise<void> {
  replicas[i] = await serveProcess({
    LOYALTY_GRPC_PORT: String(ports[i]),
    LOYALTY_MYSQL_URL: db.url,
    LOYALTY_MODELS_DIR: modelsOf(i),
    LOYALTY_MODEL_POLL_MS: '200',
    LOYALTY_WORKERS: '1',
    LOYALTY_HTTP_PORT: 'off',
    LOYALTY_METRICS_PORT: 'off',
    LOYALTY_SHUTDOWN_GRACE_MS: '3000',
  });
}

/** The churn version a replica serves, asked of it alone. */
async function versionOf(i: number): Promise<string | undefined> {
  const client = typedLoyaltyClient(ports[i]!);
  const { response } = await client.unary(
    'PredictChurn',
    { customers: [{ customerId: 'C0000001' }] },
    { deadline: inSeconds(2) },
  );
  client.close();
  return response?.results[0]?.modelVersion;
}

beforeAll(async () => {
  if (!available) return;
  db = await createTestDatabase();
  const writer = new MysqlBackend({ url: db.url, poolSize: 2, queryTimeoutMs: 60_000 });
  await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
  await writer.close();
  ports = await Promise.all(Array.from({ length: REPLICAS }, freePort));
  for (let i = 0; i < REPLICAS; i++) {
    cpSync(new URL('../../models/', import.meta.url).pathname, modelsOf(i), { recursive: true });
    rmSync(join(modelsOf(i), 'serving-policy.json'), { force: true });
  }
  await Promise.all(ports.map((_, i) => start(i)));
}, 180_000);

afterAll(async () => {
  for (const r of replicas) if (r && r.child.exitCode === null) r.child.kill('SIGKILL');
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!available)('three replicas behind a round-robin client', () => {
  const balancedClient = () =>
    loyaltyClientOf(`ipv4:${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, CLIENT_OPTIONS);

  it('loses no call when one replica is stopped and another killed, and takes them back', async () => {
    const client = balancedClient();
    const stats = { retried: 0 };
    const load = churnLoad(retryingCommittedCalls(client, stats), 16);
    const progress = async (calls: number) => {
      const from = load.result.ok;
      await until(() => load.result.ok > from + calls, 30_000);
    };
    await progress(300);

    // SIGTERM: the replica drains its calls and closes; the client moves to the others.
    replicas[0]!.child.kill('SIGTERM');
    expect(await replicas[0]!.exited).toBe(0);
    await progress(300);

    // A drained replica leaves nothing for the application to retry.
    expect(stats.retried).toBe(0);

    // SIGKILL: calls in flight there fail UNAVAILABLE and are retried on the others.
    replicas[1]!.child.kill('SIGKILL');
    await replicas[1]!.exited;
    await progress(300);

    // Both come back on their ports and the client reconnects to them.
    await Promise.all([start(0), start(1)]);
    await progress(600);
    const result = await load.stop();
    client.close();
    // Every call answered: none failed for good, none hung past its deadline; and the calls the
    // retry policy could not take (their response had begun on the killed replica) are few.
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(result.started);
    expect(stats.retried).toBeLessThanOrEqual(16);
  });

  it('serves a version rolled out replica by replica, with no failed call', async () => {
    for (let i = 0; i < REPLICAS; i++) expect(await versionOf(i)).toBe('1');
    const client = balancedClient();
    const load = churnLoad(client, 16);
    for (let i = 0; i < REPLICAS; i++) {
      // The new version lands in this replica's models folder (written aside, then renamed in, as
      // a deployment tool would); its scan loads, warms and serves it.
      const staging = join(dir, `staging-${i}`);
      cpSync(join(modelsOf(i), 'churn', '1'), staging, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8'));
      writeFileSync(
        join(staging, 'manifest.json'),
        JSON.stringify({ ...manifest, version: '2', metrics: {}, parity: undefined }),
      );
      renameSync(staging, join(modelsOf(i), 'churn', '2'));
      const deadline = Date.now() + 20_000;
      while ((await versionOf(i)) !== '2' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await versionOf(i)).toBe('2');
    }
    const rolled = load.result.ok;
    await until(() => load.result.ok > rolled + 300, 20_000);
    const result = await load.stop();
    client.close();
    expect(result.failures).toEqual([]);
    expect(result.versions).toEqual(new Set(['1', '2']));
    for (let i = 0; i < REPLICAS; i++) expect(await versionOf(i)).toBe('2');
  });
});
