import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const hasTool = ['h2load', 'ghz'].some((t) => spawnSync(t, ['--version']).status === 0);
if (!hasTool && process.env.CI === 'true')
  throw new Error('CI=true and neither h2load nor ghz is installed (.ci/run installs nghttp2-client)');

describe.skipIf(!hasTool)('the benchmark harness (smoke run)', () => {
  it('starts the server, drives every smoke scenario, verifies every answer and writes its results', () => {
    const run = spawnSync(process.execPath, ['bench/run.js', '--smoke', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'smoke.json'), 'utf8'));
    expect(result.results.map((r: { scenario: string }) => r.scenario)).toEqual([
      'churn_one',
      'customers_churn_one',
      'customers_ranking_one',
      'churn_batch100',
      'stream churn',
      'stream rfm',
      'nbo_one',
      'ltv_one',
      'rfm_one',
      'load tool: health',
      'churn_one uniform ids',
      // the prediction log's server
      'churn_one',
      'churn_batch100',
    ]);
    for (const r of result.results) {
      expect(r.pairs.length, r.scenario).toBe(1);
      expect(r.value, r.scenario).toBeGreaterThan(0);
      expect(r.ratio.median, r.scenario).toBeGreaterThan(0);
    }
    // The probe of the overload run reads every call's status: answers or refusals, nothing else.
    const [overload] = result.overloads;
    expect(overload.offered).toBeGreaterThan(overload.capacity * 2.9);
    expect(Object.keys(overload.codes).every((code) => code === '0' || code === '8')).toBe(true);
    // 1 and 2 server processes, driven in turn: both answered, the second through its supervisor.
    const [processes] = result.processes;
    expect(processes.one.rps).toBeGreaterThan(0);
    expect(processes.two.rps).toBeGreaterThan(0);
    expect(processes.two.rssMb).toHaveLength(3);
    // The prediction log's server: every row it inferred is written or counted as dropped, and
    // the files hold exactly the written ones.
    const accounts = result.notes.predictionLog;
    expect(accounts.map((a: { scenario: string }) => a.scenario)).toEqual(['churn_one', 'churn_batch100']);
    for (const a of accounts) {
      expect(a.inferred, a.scenario).toBeGreaterThan(0);
      expect(a.written + a.not_sampled + a.dropped_queue_full + a.dropped_sink_error, a.scenario).toBe(
        a.inferred,
      );
      expect(a.linesInFiles, a.scenario).toBe(a.written);
    }
  }, 180_000);
});
