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
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'smoke.json'), 'utf8'));
    expect(result.runs.map((r: any) => `${r.scenario}@${r.concurrency}`)).toEqual([
      'health@1',
      'health@8',
      'churn_one@1',
      'churn_one@8',
      'rfm_one@1',
      'rfm_one@8',
      'churn_batch100@1',
      'churn_batch100@8',
    ]);
    for (const r of result.runs) {
      expect(r.requests, `${r.scenario}@${r.concurrency}`).toBeGreaterThan(0);
      expect(r.succeeded).toBe(r.requests);
      expect(r.errors).toBe(0);
      expect(r.ratioToHealth).toBeGreaterThan(0);
    }
    expect(result.streaming[0].customers).toBe(2_000);
  });
});
