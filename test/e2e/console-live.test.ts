import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsWithSecondChurn, openBrowser } from '../helpers/browser.js';
import { churnLoad } from '../helpers/load.js';
import { type TestServer, withDemoServer } from '../helpers/server.js';

/**
 * The Live page's defects of the CRM manager's run, in a real browser: no blank chart before the
 * second reading, no "--" legends, an idle version's old p99 not drawn as if it still scored,
 * error rates beside call rates (the running total apart), and a removed shadow leaving the page.
 */
const dir = mkdtempSync(join(tmpdir(), 'loyalty-live-'));

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let errors: string[];

beforeAll(async () => {
  server = await withDemoServer({
    LOYALTY_MODELS_DIR: modelsWithSecondChurn(join(dir, 'models')),
    LOYALTY_MODEL_POLL_MS: '100',
  });
  base = `http://127.0.0.1:${server.app.httpPort}`;
  ({ browser, page, errors } = await openBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const policy = (entry: object) =>
  fetch(`${base}/admin/v1/serving-policy/models/churn`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(entry),
  });
const latest = (chart: string, series: string) =>
  page.locator(`#latest-${chart} li[data-series="${series}"]`).textContent();

describe('the Live page', () => {
  it('charts only what is happening: no blank chart, no "--", idle versions idle, removed shadows gone', async () => {
    expect((await policy({ default: '1', shadow: '2', labels: {} })).status).toBe(200);
    await page.goto(`${base}/console/#live`);
    // Before a second reading: a word, not a blank box.
    expect(await page.locator('#chart-rows .chart-wait').textContent()).toMatch(/Collecting/);

    const load = churnLoad(server.loyalty, 4, 2_000);
    await expect.poll(() => latest('rows', 'churn v1'), { timeout: 15_000 }).toMatch(/[1-9][0-9.]* rows\/s/);
    await expect.poll(() => latest('p99', 'churn v1'), { timeout: 15_000 }).toMatch(/\d+\.\d\d ms/);
    await expect.poll(() => page.locator('#live-shadows tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('#live-shadows tbody tr td').nth(2).textContent()).toBe('2');
    // Legends name the series and show no placeholder values.
    const legends = await page.locator('.u-legend').allTextContents();
    expect(legends.length).toBe(2);
    for (const l of legends) {
      expect(l).toContain('churn v1');
      expect(l).not.toContain('--');
    }
    // Errors as a rate beside the calls' rate, and the running total in a column of its own.
    expect(await page.locator('#live-methods thead th').allTextContents()).toEqual([
      'method',
      'calls/s',
      'errors/s',
      'errors since start',
      'p50 ms',
      'p99 ms',
    ]);
    const load2 = await load.stop();
    expect(load2.failures).toEqual([]);

    // Idle now: the p99 series stops (a gap), rather than repeat the last busy value.
    await expect.poll(() => latest('p99', 'churn v1'), { timeout: 15_000 }).toBe('churn v1: idle');
    expect(await latest('rows', 'churn v1')).toBe('churn v1: 0.0 rows/s');

    // The shadow removed from the policy leaves the page.
    expect((await policy({ default: '1', labels: {} })).status).toBe(200);
    await expect
      .poll(() => page.locator('#live-shadows').textContent(), { timeout: 15_000 })
      .toBe('No shadow is scoring.');
    expect(errors).toEqual([]);
  });
});
