import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import type { LoyaltyClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { churnLoad, until } from '../helpers/load.js';
import { inSeconds, type TestServer, withTestServer } from '../helpers/server.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-lifecycle-'));
const modelsDir = join(dir, 'models');

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: TestServer;
let app: App;
let client: LoyaltyClient;

/** Publishes a model version the way a deployment should: build the folder aside, then rename it in. */
function publish(name: string, version: string, tflite: Uint8Array, manifest: object): void {
  const staging = join(dir, `staging-${name}-${version}`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'model.tflite'), tflite);
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest));
  renameSync(staging, join(modelsDir, name, version));
}

const committed = (name: string) => ({
  tflite: readFileSync(join(MODELS, name, '1', 'model.tflite')),
  manifest: JSON.parse(readFileSync(join(MODELS, name, '1', 'manifest.json'), 'utf8')),
});

beforeAll(async () => {
  for (const name of ['churn', 'nbo', 'ltv'])
    cpSync(join(MODELS, name, '1'), join(modelsDir, name, '1'), { recursive: true });
  demo = await buildTestSqliteStore();
  server = await withTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_MODELS_DIR: modelsDir,
    LOYALTY_MODEL_POLL_MS: '100',
    LOYALTY_WORKERS: '2',
    // Short, so that the tests below also run while workers are being recycled.
    LOYALTY_RECYCLE_AFTER_UNLOAD_MS: '300',
  });
  app = server.app;
  client = server.loyalty;
  // Warm the feature cache so the load below exercises inference.
  await client.unary('PredictChurn', {
    customers: Array.from({ length: 500 }, (_, i) => ({ customerId: customerId(i) })),
  });
});

afterAll(async () => {
  await server?.close();
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('model versions under load', () => {
  it('swaps in a new version with no failed call', async () => {
    const load = churnLoad(client, 8, 500);
    await new Promise((r) => setTimeout(r, 300));
    // Version 2 of churn: another binary model on the same inputs (the propensity network).
    const next = committed('propensity_30d');
    publish('churn', '2', next.tflite, {
      ...committed('churn').manifest,
      version: '2',
      metrics: {},
      parity: undefined,
    });
    await until(() => load.result.versions.has('2'), 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect([...result.versions].sort()).toEqual(['1', '2']);
    expect(app.registry.resolve('churn').version).toBe('2');
    expect(app.registry.stats.swaps).toBeGreaterThanOrEqual(1);
  });

  it('refuses a corrupt model and an incompatible one while the current version keeps serving', async () => {
    const load = churnLoad(client, 8, 500);
    const rejectionsBefore = app.registry.stats.rejections;
    const garbage = new Uint8Array(4096).map((_, i) => (i * 31) % 256);
    publish('churn', '3', garbage, { ...committed('churn').manifest, version: '3' });
    // An NBO network (8 outputs) under a binary manifest.
    publish('churn', '4', committed('nbo').tflite, { ...committed('churn').manifest, version: '4' });
    await until(() => app.registry.stats.rejections >= rejectionsBefore + 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect([...result.versions]).toEqual(['2']);
    expect(app.registry.resolve('churn').version).toBe('2');
  });
});

/** Writes the serving policy beside the models the way an operator should: whole, by rename. */
function writePolicy(policy: object | string): void {
  const staging = join(dir, 'serving-policy.json.next');
  writeFileSync(staging, typeof policy === 'string' ? policy : JSON.stringify(policy));
  renameSync(staging, join(modelsDir, 'serving-policy.json'));
}

describe('the serving policy', () => {
  const predictCustomers = (version: string) =>
    server.models.unary(
      'PredictCustomers',
      { modelName: 'churn', version, customers: [{ customerId: customerId(3) }] },
      { deadline: inSeconds(5) },
    );

  it('serves its default, answers its labels, rolls back and forward by one edit with no failed call, and keeps the last good policy over an invalid one', async () => {
    const load = churnLoad(client, 8, 500);
    writePolicy({ models: { churn: { labels: { stable: '1', candidate: '2' }, default: 'stable' } } });
    await until(() => app.registry.resolve('churn').version === '1', 5_000);
    expect((await predictCustomers('candidate')).response!.model!.version).toBe('2');
    expect((await predictCustomers('stable')).response!.model!.version).toBe('1');
    const unknown = await predictCustomers('canary');
    expect(unknown.error?.code).toBe(grpc.status.NOT_FOUND);

    writePolicy({ models: { churn: { labels: { stable: '1', candidate: '2' }, default: 'candidate' } } });
    await until(() => app.registry.resolve('churn').version === '2', 5_000);
    writePolicy({ models: { churn: { labels: { stable: '1', candidate: '2' }, default: 'stable' } } });
    await until(() => app.registry.resolve('churn').version === '1', 5_000);

    const refusedBefore = app.registry.stats.policyRejections;
    writePolicy({ models: { churn: { default: 'nowhere' } } });
    await until(() => app.registry.stats.policyRejections > refusedBefore, 5_000);
    writePolicy('{ "models": ');
    await until(() => app.registry.stats.policyRejections > refusedBefore + 1, 5_000);
    expect(app.registry.resolve('churn').version).toBe('1');
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect([...result.versions].sort()).toEqual(['1', '2']);
  });

  it('unloads a version that leaves the policy from every worker, and no longer serves it', async () => {
    const unloadsBefore = app.registry.stats.unloads;
    const heldBefore = { ...app.registry.stats.workerModels };
    writePolicy({
      models: { churn: { versions: { specific: ['2'] }, labels: { stable: '2' }, default: 'stable' } },
    });
    await until(() => app.registry.stats.unloads > unloadsBefore, 10_000);
    expect(app.registry.resolve('churn').version).toBe('2');
    const held = app.registry.stats.workerModels;
    expect(Object.keys(held).length).toBe(2);
    for (const [thread, count] of Object.entries(held)) expect(count).toBe(heldBefore[Number(thread)]! - 1);
    expect((await predictCustomers('1')).error?.code).toBe(grpc.status.NOT_FOUND);
    const listed = await server.models.unary('ListModels', {});
    expect(listed.response!.models.find((m) => m.name === 'churn')!.versions).toEqual(['2']);

    // "The latest one" counts versions that load: the corrupt 3 and the incompatible 4 in the
    // folder do not push version 2 out.
    const reloads = app.registry.stats.policyReloads;
    writePolicy({ models: { churn: { versions: { latest: 1 } } } });
    await until(() => app.registry.stats.policyReloads > reloads, 5_000);
    await app.registry.scan();
    expect(app.registry.resolve('churn').version).toBe('2');
    expect((await predictCustomers('')).response!.model!.version).toBe('2');
  });
});

/** The admin endpoint's answer to a change of churn's policy entry (undefined: remove it). */
async function changeChurnPolicy(entry: object | undefined, host = '127.0.0.1') {
  const res = await fetch(`http://${host}:${app.httpPort}/admin/v1/serving-policy/models/churn`, {
    method: entry === undefined ? 'DELETE' : 'PUT',
    headers: { 'content-type': 'application/json' },
    body: entry === undefined ? undefined : JSON.stringify(entry),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Samples of a metric from the Prometheus endpoint, by their label text. */
async function scrape(metric: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${app.metricsPort}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)`).exec(line);
    if (m) samples.set(m[1]!.replace(/,otel_scope_name="[^"]*"/, ''), Number(m[2]));
  }
  return samples;
}

describe('canary and shadow', () => {
  const rollout = (extra: object) => ({
    versions: { specific: ['2', '5', '6'] },
    labels: { stable: '2', canary: '5', twin: '6' },
    default: 'stable',
    ...extra,
  });
  const churnListing = () => app.registry.list().find((m) => m.name === 'churn')!;

  it('sends a sticky 10% of customers to the canary, and a rollback by the admin endpoint or the file stops it with no failed call', async () => {
    // Version 5: the original churn network, a different model from version 2 (propensity's).
    publish('churn', '5', committed('churn').tflite, { ...committed('churn').manifest, version: '5' });
    // Version 6: version 2's files again (the shadow test's control).
    publish('churn', '6', readFileSync(join(modelsDir, 'churn', '2', 'model.tflite')), {
      ...JSON.parse(readFileSync(join(modelsDir, 'churn', '2', 'manifest.json'), 'utf8')),
      version: '6',
    });
    writePolicy({ models: { churn: rollout({ canary: { version: 'canary', percent: 10 } }) } });
    await until(
      () => churnListing().canary?.version === '5' && churnListing().versions.includes('6'),
      10_000,
    );

    const load = churnLoad(client, 8, 2_000);
    await until(() => load.result.byCustomer.size === 2_000 && load.result.ok > 5_000, 60_000);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    // The response names the default; each result the version that scored it.
    expect([...result.versions]).toEqual(['2']);
    const versionsSeen = [...result.byCustomer.values()];
    expect(versionsSeen.every((v) => v.size === 1)).toBe(true);
    const share = versionsSeen.filter((v) => v.has('5')).length / versionsSeen.length;
    expect(share).toBeGreaterThanOrEqual(0.08);
    expect(share).toBeLessThanOrEqual(0.12);

    // A stream of the base sends each customer to the same version as the calls did.
    const { messages, error } = await client.stream(
      'ScoreCustomers',
      { kind: 'SCORE_KIND_CHURN', chunkSize: 500 },
      { deadline: inSeconds(20) },
    );
    expect(error).toBeNull();
    const streamed = new Map(messages.flatMap((m) => m.customers.map((c) => [c.customerId, c.modelVersion])));
    expect(streamed.size).toBe(demo.summary.customers);
    for (const [id, versions] of result.byCustomer) expect(streamed.get(id)).toBe([...versions][0]);
    expect(messages.every((m) => m.model!.version === '2')).toBe(true);

    // A call naming a version gets it, canary customer or not.
    const canaryCustomer = [...result.byCustomer].find(([, v]) => v.has('5'))![0];
    const pinned = await server.models.unary('PredictCustomers', {
      modelName: 'churn',
      version: 'stable',
      customers: [{ customerId: canaryCustomer }],
    });
    expect(pinned.response!.results[0]!.modelVersion).toBe('2');

    // Rollback through the admin endpoint, under load: in force when the call answers.
    const during = churnLoad(client, 8, 2_000);
    await new Promise((r) => setTimeout(r, 200));
    const rolledBack = await changeChurnPolicy(rollout({ canary: { version: 'canary', percent: 0 } }));
    expect(rolledBack.status).toBe(200);
    expect(churnListing().canary).toBeUndefined();
    const duringResult = await during.stop();
    expect(duringResult.failures).toEqual([]);
    const after = churnLoad(client, 8, 2_000);
    await until(() => after.result.ok > 1_000, 20_000);
    const afterResult = await after.stop();
    expect([...afterResult.byCustomer.values()].every((v) => v.size === 1 && v.has('2'))).toBe(true);
    const onDisk = JSON.parse(readFileSync(join(modelsDir, 'serving-policy.json'), 'utf8'));
    expect(onDisk.models.churn.canary).toEqual({ version: 'canary', percent: 0 });

    // And through the file, under load: the canary returns, then leaves again within one poll.
    const edits = churnLoad(client, 8, 2_000);
    writePolicy({ models: { churn: rollout({ canary: { version: 'canary', percent: 10 } }) } });
    await until(() => churnListing().canary?.percent === 10, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    const edited = performance.now();
    writePolicy({ models: { churn: rollout({}) } });
    await until(() => churnListing().canary === undefined, 5_000);
    // Poll every 100 ms; a scan of an unchanged folder takes a few ms more.
    expect(performance.now() - edited).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 200));
    const editsResult = await edits.stop();
    expect(editsResult.failures).toEqual([]);
    expect([...editsResult.byCustomer.values()].some((v) => v.has('5'))).toBe(true);
  });

  it('scores a shadow on the served rows without returning it, and measures its agreement', async () => {
    const other = 'model="churn",model_version="2",shadow_version="5"';
    const twin = 'model="churn",model_version="2",shadow_version="6"';
    // Rows compared for one pair, from the metrics (rows of a shadow still in flight when the
    // policy changes are counted for their own pair).
    const comparedFor = async (pair: string, atLeast: number) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = (await scrape('loyalty_shadow_compared_rows_total')).get(pair) ?? 0;
        if (rows > atLeast) return rows;
        if (Date.now() > deadline) throw new Error(`${pair}: ${rows} rows compared within 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    expect((await changeChurnPolicy(rollout({ shadow: 'canary' }))).status).toBe(200);
    expect(churnListing().shadow).toBe('5');
    // A light load: shadow rows are dropped while batches wait for a worker (counted below).
    const load = churnLoad(client, 4, 2_000);
    expect(await comparedFor(other, 200)).toBeGreaterThan(200);
    // The identical twin as the shadow: its answers must match the served ones.
    expect((await changeChurnPolicy(rollout({ shadow: 'twin' }))).status).toBe(200);
    expect(await comparedFor(twin, 200)).toBeGreaterThan(200);
    const result = await load.stop();
    await until(() => app.shadow.rowsInFlight === 0, 10_000);
    expect(result.failures).toEqual([]);
    expect([...result.byCustomer.values()].every((v) => v.size === 1 && v.has('2'))).toBe(true);

    const difference = await scrape('loyalty_shadow_mean_abs_difference');
    // Two different networks disagree; a copy of the served network agrees exactly.
    expect(difference.get(other)).toBeGreaterThan(0.01);
    expect(difference.get(twin)).toBeLessThan(1e-6);
    const dropped = await scrape('loyalty_shadow_dropped_rows_total');
    const droppedRows = [...dropped.values()].reduce((a, b) => a + b, 0);
    const stats = app.shadow.stats.droppedRows;
    expect(droppedRows).toBe(stats.busy + stats.full + stats.inputs + stats.failed);
  });

  it('refuses an invalid change, writing nothing, and a change from another host', async () => {
    const before = readFileSync(join(modelsDir, 'serving-policy.json'), 'utf8');
    const invalid = await changeChurnPolicy(rollout({ canary: { version: 'nowhere', percent: 10 } }));
    expect(invalid.status).toBe(400);
    expect(String(invalid.body.error)).toMatch(/canary\.version names label nowhere/);
    const tooMuch = await changeChurnPolicy(rollout({ canary: { version: 'canary', percent: 150 } }));
    expect(tooMuch.status).toBe(400);
    expect(readFileSync(join(modelsDir, 'serving-policy.json'), 'utf8')).toBe(before);

    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    expect(external, 'a non-loopback IPv4 address to call from').toBeDefined();
    const remote = await changeChurnPolicy(undefined, external!.address);
    expect(remote.status).toBe(403);
    expect(readFileSync(join(modelsDir, 'serving-policy.json'), 'utf8')).toBe(before);
    const read = await fetch(`http://${external!.address}:${app.httpPort}/admin/v1/serving-policy`);
    expect(read.status).toBe(200);
  });
});

describe('unloading', () => {
  // What comes back in RSS is measured by bench/unload-memory.js: RSS beside the parallel test
  // files of a run moves by tens of MB for reasons of its own, so here the counts are asserted.
  it('takes unloaded versions out of every worker, then recycles the workers into fresh threads holding only the served ones', async () => {
    // The largest committed network, under a name of its own, so the other models stay as they are.
    const rec = committed('product_recommendation');
    const publishRec = (v: number) =>
      publish('rec', String(v), rec.tflite, { ...rec.manifest, name: 'rec', version: String(v) });
    mkdirSync(join(modelsDir, 'rec'), { recursive: true });
    const held = () => Object.values(app.registry.stats.workerModels);
    const policyWith = (rec: object) => ({ models: { ...app.registry.servingPolicy.models, rec } });
    // Recycling (300 ms after the last unload) must not run inside the steps below.
    const quiet = () => until(() => !app.registry.isRecycling, 20_000);

    writePolicy(policyWith({}));
    publishRec(1);
    await app.registry.scan();
    await quiet();
    const heldBefore = held();
    for (let v = 2; v <= 9; v++) {
      publishRec(v);
      await app.registry.scan();
    }
    expect(held()).toEqual(heldBefore.map((n) => n + 8));

    // Unloading 8 versions; 300 ms later the workers are replaced by fresh threads.
    const unloadsBefore = app.registry.stats.unloads;
    const recyclesBefore = app.pool.stats.recycles;
    const threadsBefore = app.pool.threads.map((t) => t.threadId);
    writePolicy(policyWith({ versions: { latest: 1 } }));
    await app.registry.scan();
    await until(() => app.registry.stats.unloads === unloadsBefore + 8, 5_000);
    expect(held()).toEqual(heldBefore);
    await until(() => app.pool.stats.recycles > recyclesBefore, 20_000);
    await quiet();
    expect(app.pool.threads.some((t) => threadsBefore.includes(t.threadId))).toBe(false);
    // The fresh threads hold the served versions only.
    expect(held()).toEqual(heldBefore);

    // Replacing versions one by one: each unloads the one it replaced.
    for (let v = 10; v <= 13; v++) {
      publishRec(v);
      await app.registry.scan();
    }
    expect(held()).toEqual(heldBefore);
    expect(app.registry.stats.unloads).toBe(unloadsBefore + 12);
    // The recycled workers serve every version, the replaced ones no longer.
    const answer = await server.models.unary('Predict', {
      modelName: 'rec',
      version: '',
      rows: [{ values: new Array(rec.manifest.inputs.length).fill(0) }],
    });
    expect(answer.error).toBeNull();
    expect(answer.response!.model!.version).toBe('13');
    expect(
      (await server.models.unary('Predict', { modelName: 'rec', version: '9', rows: [{ values: [0] }] }))
        .error?.code,
    ).toBe(grpc.status.NOT_FOUND);
    await quiet();
  });

  it('recycles the workers under load with no failed call', async () => {
    const load = churnLoad(client, 8, 2_000);
    await new Promise((r) => setTimeout(r, 200));
    const before = app.pool.threads.map((t) => t.threadId);
    const recycles = app.pool.stats.recycles;
    await app.registry.recycleWorkers();
    expect(app.pool.stats.recycles).toBe(recycles + 1);
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
    expect(app.pool.threads.map((t) => t.threadId).some((id) => before.includes(id))).toBe(false);
  });
});

// Last: the workers it kills and the admission control's reaction to the stall would disturb the tests above.
describe('a worker killed under load', () => {
  it('replaces a killed worker; calls in flight are retried, fail UNAVAILABLE or are shed while it warms up; none hangs', async () => {
    const load = churnLoad(client, 16, 500);
    await new Promise((r) => setTimeout(r, 200));
    const killed = app.pool.threads[0]!.threadId;
    await app.pool.threads[0]!.terminate();
    await new Promise((r) => setTimeout(r, 1_000));
    const result = await load.stop();
    expect(result.ok).toBeGreaterThan(100);
    // While the replacement loads its models, calls wait; load shedding may refuse some.
    const retryable = [grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED];
    expect(result.failures.filter((f) => !retryable.includes(f.code))).toEqual([]);
    await until(() => app.pool.alive === 2, 5_000);
    const ids = app.pool.threads.map((t) => t.threadId);
    expect(ids).not.toContain(killed);
    expect(ids).toHaveLength(2);
    const after = await client.unary(
      'PredictChurn',
      { customers: [{ customerId: customerId(1) }] },
      { deadline: inSeconds(5) },
    );
    expect(after.error).toBeNull();
  });
});
