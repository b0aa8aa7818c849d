import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The built-in materialization's peak RSS, each run in a process of its own
 * (bench/scale-step.js), on synthetic bases of 100,000 and 400,000 customers. The job holds one
 * chunk of histories and three RFM columns (24 bytes a customer); before it streamed it held every
 * customer's features, and its peak grew by about 1.9 KB a customer (202 MB at 50,000, 480 MB at
 * 200,000 on this machine).
 */
const STEP = new URL('../../bench/scale-step.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-materialize-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const step = (...args: string[]) =>
  execFileSync(process.execPath, [STEP, ...args], { encoding: 'utf8', timeout: 240_000, cwd: dir });

describe('materialization memory', () => {
  it('does not grow with the base: 400,000 customers peak within 50 MB of 100,000', () => {
    const peaks: Record<number, number> = {};
    for (const customers of [100_000, 400_000]) {
      const path = join(dir, `base-${customers}.sqlite`);
      step('synthetic-store', path, String(customers));
      const result = JSON.parse(step('materialize', path).trim()) as { rows: number; peakRssMb: number };
      expect(result.rows).toBe(customers);
      peaks[customers] = result.peakRssMb;
    }
    expect(peaks[400_000]! - peaks[100_000]!).toBeLessThan(50);
  }, 240_000);
});
