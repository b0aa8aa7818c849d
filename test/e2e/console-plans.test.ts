import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser.js';
import { type DecisionClient, typedDecisionClient } from '../helpers/client.js';
import { type TestServer, withDemoServer } from '../helpers/server.js';

/**
 * The console's Plans page in a real browser (Debian's chromium, driven by playwright-core): a
 * plan built from the form shows the totals PlanCampaign answers for the same request, downloads
 * the same plan as CSV, and the outcomes table shows GetCampaignOutcomes' lifts.
 */
const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;

let server: TestServer;
let decisions: DecisionClient;
let browser: Browser;
let page: Page;
let base: string;
let errors: string[];

beforeAll(async () => {
  server = await withDemoServer();
  decisions = typedDecisionClient(server.app.port);
  base = `http://127.0.0.1:${server.app.httpPort}`;
  ({ browser, page, errors } = await openBrowser({ acceptDownloads: true }));
}, 120_000);

afterAll(async () => {
  decisions?.close();
  await browser?.close();
  await server?.close();
});

const amount = (m: { units: string; nanos: number } | null) => Number(m!.units) + m!.nanos / 1e9;

describe('the console Plans page', () => {
  it('builds a plan from the form with the totals and rows of PlanCampaign, and downloads it as CSV', async () => {
    await page.goto(`${base}/console/#plans`);
    await page.locator('#plan-capacities input').first().waitFor();
    await page.fill('#plan-budget', '150');
    await page.fill('#plan-control', '20');
    await page.fill('#plan-at', '2025-12-21');
    await page.fill('#plan-id', 'browser-plan');
    await page.fill('input[name="cap.premium_upgrade_call"]', '15');
    await page.check('#plan-tiers input[value="silver"]');
    await page.check('#plan-tiers input[value="gold"]');
    await page.click('#plan-run');
    await page.locator('#plan-result[data-count]').waitFor({ timeout: 60_000 });
    const shown = Object.fromEntries(
      await page.$$eval('#plan-summary dd', (dds) => dds.map((d) => [d.dataset.total, d.textContent])),
    );

    const { error, messages } = await decisions.stream(
      'PlanCampaign',
      {
        budget: { currencyCode: 'EUR', units: '150', nanos: 0 },
        capacities: { premium_upgrade_call: 15 },
        controlShare: 0.2,
        planId: 'browser-plan',
        tiers: ['silver', 'gold'],
        at: { seconds: String(Date.parse('2025-12-21T23:59:59Z') / 1000), nanos: 0 },
      },
      { deadline: Date.now() + 60_000 },
    );
    expect(error).toBeNull();
    const totals = messages.at(-1)!.totals!;
    expect(shown['Customers considered']).toBe(totals.considered);
    expect(shown['Given an action']).toBe(totals.assigned);
    expect(shown['Control group (not contacted)']).toBe(totals.control);
    expect(shown.Cost).toBe(`${amount(totals.cost).toFixed(2)} EUR`);
    expect(shown['Expected net value']).toBe(`${amount(totals.expectedNetValue).toFixed(2)} EUR`);
    expect(Number(totals.assigned)).toBeGreaterThan(50);
    await page.screenshot({ path: join(SCREENSHOTS, 'plans.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#plan-download')]);
    expect(download.suggestedFilename()).toMatch(/^plan-browser-plan-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('customer_id,action,probability,expected_net_value,cost,control');
    const planned = messages.flatMap((m) => m.contacts);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(','))
        .map(([id, action, , , , control]) => [id, action, control]),
    ).toEqual(planned.map((p) => [p.customerId, p.action, p.control ? '1' : '0']));
    expect(errors).toEqual([]);
  });

  it('shows the measured lift of recent campaigns as GetCampaignOutcomes answers it', async () => {
    await page.goto(`${base}/console/#plans`);
    const cells = page.locator('#plan-outcomes td[data-lift]');
    await cells.first().waitFor();
    const shown = await page.$$eval('#plan-outcomes tr[data-campaign]', (rows) =>
      rows.map((r) => [
        r.getAttribute('data-campaign'),
        Number(r.querySelector('td[data-lift]')!.getAttribute('data-lift')),
      ]),
    );
    expect(shown.length).toBeGreaterThan(5);
    const { response } = await decisions.unary('GetCampaignOutcomes', {
      campaigns: shown.map(([c]) => c as string),
    });
    const lifts = new Map(response!.lifts.map((l) => [l.campaign, l.lift]));
    for (const [code, lift] of shown) expect(lift).toBeCloseTo(lifts.get(code as string)!, 9);
  });

  it('shows a plan the server refuses as an error in place, not a blank page', async () => {
    await page.goto(`${base}/console/#plans`);
    await page.locator('#plan-capacities input').first().waitFor();
    // The form's own check (max 50%) taken off, as a hand-edited request would: the server refuses.
    await page.$eval('#plan-control', (input) => input.removeAttribute('max'));
    await page.fill('#plan-control', '80');
    await page.click('#plan-run');
    await page.locator('#plan-result.error').waitFor();
    expect(await page.textContent('#plan-result')).toContain('control_share must be from 0 to 0.5');
  });
});
