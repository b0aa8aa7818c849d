import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DriftEntry, driftFromMetrics } from '../../src/drift/drift-sources.js';
import { FEATURE_NAMES, type FeatureName, type FeatureRow } from '../../src/features/feature-set.js';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { buildTestSqliteStore, TEST_CUSTOMERS } from '../helpers/demo.js';
import { exposedSamples, promtoolOnExposition } from '../helpers/promtool.js';
import { inSeconds, type TestServer, withTestServer } from '../helpers/server.js';

/**
 * Drift as operations see it: the served population of churn is shifted (two features of the
 * same customers moved) and the PSI gauges of exactly those features cross 0.2; the drift CLI
 * reads the same from the server and from the prediction log.
 */
const run = promisify(execFile);
const CLI = new URL('../../dist/cli/drift-report.js', import.meta.url).pathname;
const MODELS = new URL('../../models/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-drift-'));
const WINDOW = 1000;
const SHIFTED = ['recency_days', 'support_contacts_90d'];
const manifest = JSON.parse(readFileSync(join(MODELS, 'churn', '1', 'manifest.json'), 'utf8'));
/**
 * The model's population: churn is trained on customers active in the 90 days before the cutoff
 * (a purchase or usage). Served for every customer of the store, lapsed ones too, recency_days
 * reads a PSI of about 0.6 against that reference: a true shift of population.
 */
let ids: string[] = [];
let rows: Map<string, FeatureRow>;

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let server: TestServer;

beforeAll(async () => {
  demo = await buildTestSqliteStore();
  const backend = new SqliteBackend(demo.path);
  const store = new OnlineFeatureStore(backend);
  rows = new Map();
  for (let i = 0; i < TEST_CUSTOMERS; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, TEST_CUSTOMERS - i) }, (_, k) => customerId(i + k));
    for (const [id, row] of await store.getRows(chunk)) rows.set(id, row);
  }
  await backend.close();
  // Active: a purchase in the last 90 days or mobile usage in the last three months.
  const [recency, data, voice] = ['recency_days', 'data_gb_avg_3m', 'voice_min_avg_3m'].map((n) =>
    FEATURE_NAMES.indexOf(n as FeatureName),
  ) as [number, number, number];
  ids = [...rows.values()]
    .filter((row) => row.features[recency]! <= 90 || row.features[data]! > 0 || row.features[voice]! > 0)
    .slice(0, WINDOW)
    .map((row) => row.customerId);
  expect(ids.length).toBe(WINDOW);
  server = await withTestServer({
    LOYALTY_SQLITE_PATH: demo.path,
    LOYALTY_DRIFT_WINDOW: String(WINDOW),
    LOYALTY_PREDICTION_LOG: 'jsonl',
    LOYALTY_PREDICTION_LOG_DIR: join(dir, 'log'),
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  demo?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function churnDrift(): Promise<DriftEntry> {
  const text = await (await fetch(`http://127.0.0.1:${server.app.metricsPort}/metrics`)).text();
  const entry = driftFromMetrics(text).find((e) => e.model === 'churn');
  expect(entry).toBeDefined();
  return entry!;
}

const psiOf = (entry: DriftEntry, name: string) => entry.inputs[entry.names.indexOf(name)]!;

describe('drift of the served population', () => {
  let baseline: DriftEntry;

  it('reads the model population (active customers) as stable against the training reference', async () => {
    for (let i = 0; i < ids.length; i += 500) {
      const { error } = await server.loyalty.unary(
        'PredictChurn',
        { customers: ids.slice(i, i + 500).map((customerId) => ({ customerId })) },
        { deadline: inSeconds(20) },
      );
      expect(error).toBeNull();
    }
    baseline = await churnDrift();
    expect(baseline.rows).toBeGreaterThanOrEqual(0.9 * WINDOW);
    expect(baseline.names).toEqual(manifest.inputs);
    for (const name of manifest.inputs) expect(psiOf(baseline, name), name).toBeLessThan(0.1);
  });

  it('crosses 0.2 for exactly the shifted features', async () => {
    // The same customers as raw rows, with their recency and support contacts moved.
    const columns = manifest.inputs.map((n: string) => (FEATURE_NAMES as readonly string[]).indexOf(n));
    const shifted = ids.map((id) => {
      const features = rows.get(id)!.features;
      return {
        values: manifest.inputs.map((name: string, j: number) => {
          const v = features[columns[j]]!;
          return name === 'recency_days' ? v + 150 : name === 'support_contacts_90d' ? v + 4 : v;
        }),
      };
    });
    for (let i = 0; i < shifted.length; i += 500) {
      const { error } = await server.models.unary(
        'Predict',
        { modelName: 'churn', rows: shifted.slice(i, i + 500) },
        { deadline: inSeconds(20) },
      );
      expect(error).toBeNull();
    }
    const after = await churnDrift();
    for (const name of manifest.inputs) {
      if (SHIFTED.includes(name)) expect(psiOf(after, name), name).toBeGreaterThan(0.2);
      else {
        expect(psiOf(after, name), name).toBeLessThan(0.1);
        // The same customers: the untouched features read as they did.
        expect(psiOf(after, name) - psiOf(baseline, name), name).toBeLessThan(0.01);
      }
    }
    // Later purchases and more contacts raise churn: the output moved too.
    expect(after.output).toBeGreaterThan(baseline.output);
    // The console's models page reads the same windows: the shifted inputs first.
    type ConsoleModels = {
      models: {
        name: string;
        versions: { drift: { rows: number; output: number; inputs: { name: string; psi: number }[] } }[];
      }[];
    };
    const page = (await (
      await fetch(`http://127.0.0.1:${server.app.httpPort}/console/api/models`)
    ).json()) as ConsoleModels;
    const drift = page.models.find((m) => m.name === 'churn')!.versions[0]!.drift;
    expect(drift.rows).toBe(after.rows);
    expect(drift.output).toBeCloseTo(after.output, 9);
    expect(
      drift.inputs
        .slice(0, 2)
        .map((i: { name: string }) => i.name)
        .sort(),
    ).toEqual([...SHIFTED].sort());
    expect(drift.inputs[0]!.psi).toBeCloseTo(Math.max(...after.inputs), 9);
  });

  it("fires deploy/'s drift alert for exactly the shifted features, on the server's own metrics", async () => {
    // promtool holds every sample of this exposition for an hour and evaluates the rules.
    const text = await (await fetch(`http://127.0.0.1:${server.app.metricsPort}/metrics`)).text();
    const shifted = exposedSamples(text).filter(
      (s) =>
        s.name === 'loyalty_drift_input_psi' &&
        s.labels.model === 'churn' &&
        SHIFTED.includes(s.labels.input!),
    );
    expect(shifted).toHaveLength(SHIFTED.length);
    const fired = promtoolOnExposition(
      text,
      'LoyaltyInputDrift',
      shifted.map((s) => s.labels),
    );
    expect(fired.status, fired.output).toBe(0);
    // And the check can fail: expecting one shifted feature only is refused.
    const missing = promtoolOnExposition(text, 'LoyaltyInputDrift', [shifted[0]!.labels]);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toMatch(/FAILED/);
  });

  it('prints the same report from the server and from the prediction log', async () => {
    const fromServer = await run('node', [
      CLI,
      '--metrics',
      `http://127.0.0.1:${server.app.metricsPort}/metrics`,
    ]);
    for (const name of SHIFTED)
      expect(fromServer.stdout).toMatch(new RegExp(`${name}\\s+\\d+\\.\\d+\\s+shifted`));
    expect(fromServer.stdout).toMatch(/churn v1 \(\d[\d,]* rows\)/);
    // The log holds the same rows in the same order: its newest window reads the same (the
    // writer thread may still be flushing the last records).
    const churnSection = (text: string) =>
      text.slice(text.indexOf('churn v1'), text.indexOf('\n\n', text.indexOf('churn v1')));
    let fromLog = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const { stdout } = await run('node', [
        CLI,
        '--log',
        join(dir, 'log'),
        '--models',
        MODELS,
        '--window',
        String(WINDOW),
      ]);
      fromLog = churnSection(stdout);
      if (fromLog === churnSection(fromServer.stdout)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fromLog).toBe(churnSection(fromServer.stdout));
  });
});
