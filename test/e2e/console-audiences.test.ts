import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import type { Money__Output } from '../../src/generated/loyalty/v1/Money.js';
import { openBrowser } from '../helpers/browser.js';
import { type DecisionClient, typedDecisionClient } from '../helpers/client.js';
import { buildTestSqliteStore } from '../helpers/demo.js';
import { type TestServer, withTestServer } from '../helpers/server.js';

/**
 * The console's Audiences page in a real browser (Debian's chromium, driven by playwright-core),
 * as a marketer uses it: the one-minute task of the issue, done by script and checked against the
 * gRPC API; an audience built from conditions, saved, reopened from its address and from the saved
 * list, exported as CSV with chosen columns and a holdout and as a CRM table, in the export history.
 */
const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;
/** The demo store's features are as of 2025-12-31: contacts are counted up to then. */
const AT = '2025-12-31';
const AT_MS = Date.parse(`${AT}T23:59:59Z`);
const DAY = 86_400_000;
const amount = (m: Money__Output | null) => Number(m!.units) + m!.nanos / 1e9;
const opts = () => ({ deadline: Date.now() + 60_000 });
/** A list over the base takes seconds; the task's whole minute is the limit. */
const LONG = { timeout: 60_000 };

let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
let store: SqliteBackend;
let server: TestServer;
let decisions: DecisionClient;
let browser: Browser;
let page: Page;
let base: string;
let errors: string[];

beforeAll(async () => {
  // The tests' 3,000 customers (built in about a second): about 1.6% are high risk, At Risk and
  // gold, so the task's top 500 does not bind here; a top N that binds is checked on the page by
  // console.test.ts and in the unit tests. (On 40,000 customers, 34 s to build, the task's list
  // held exactly 500 rows equal to the API's: the run of 2026-12-05 in docs/console.md.)
  demo = await buildTestSqliteStore();
  store = new SqliteBackend(demo.path);
  // Correctness, not overload: the test's own checks (hundreds of customers a call, beside lists
  // over the whole base) are not to be shed by the admission control.
  server = await withTestServer({ LOYALTY_SQLITE_PATH: demo.path, LOYALTY_MAX_QUEUE_WAIT_MS: '60000' });
  decisions = typedDecisionClient(server.app.port);
  base = `http://127.0.0.1:${server.app.httpPort}`;
  ({ browser, page, errors } = await openBrowser({ acceptDownloads: true }));
}, 120_000);

afterAll(async () => {
  decisions?.close();
  await browser?.close();
  await server?.close();
  await store?.close();
  demo?.cleanup();
});

/** The base scored by a model through the gRPC stream: id -> answer. */
async function scored(modelName: string, filter: object = {}) {
  const { messages, error } = await server.loyalty.stream('ScoreCustomers', { modelName, filter });
  expect(error).toBeNull();
  return messages.flatMap((m) => m.customers);
}

/** Customers contacted in (end - days, end]: the store's campaign history and the decisions log. */
async function contactedIn(days: number, end = AT_MS): Promise<Set<string>> {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const window = [iso(end - days * DAY), iso(end)];
  const history = await store.selectArrays(
    'SELECT customer_id FROM campaign_contacts WHERE control_group = 0 AND contacted_at > ? AND contacted_at <= ?',
    window,
  );
  const decided = await store
    .selectArrays('SELECT customer_id FROM decision_log WHERE decided_at > ? AND decided_at <= ?', window)
    .catch(() => []);
  return new Set([...history, ...decided].map(([id]) => String(id)));
}

async function download(button: string) {
  const event = page.waitForEvent('download');
  await page.click(button);
  const d = await event;
  const lines = readFileSync((await d.path())!, 'utf8')
    .trim()
    .split('\n');
  return {
    name: d.suggestedFilename(),
    header: lines[0]!.split(','),
    rows: lines.slice(1).map((l) => l.split(',')),
  };
}

describe('the Audiences page', () => {
  it("does the marketer's one-minute task: high churn risk, At Risk, gold, not contacted in 30 days, top 500, 10% holdout", async () => {
    // Two of the customers the list would hold were contacted ten days before: a recorded decision.
    const candidates = (await scored('churn', { segments: ['RFM_SEGMENT_AT_RISK'], tiers: ['gold'] })).filter(
      (c) => c.prediction!.binary!.riskBand === 'RISK_BAND_HIGH',
    );
    expect(candidates.length).toBeGreaterThan(10);
    const recorded = candidates.slice(0, 2).map((c) => c.customerId);
    for (const id of recorded) {
      const at = { seconds: String(Math.floor((AT_MS - 10 * DAY) / 1000)), nanos: 0 };
      const r = await decisions.unary('Decide', { customerId: id, at, record: true }, opts());
      expect(r.error).toBeNull();
      expect(r.response!.recorded).toBe(true);
    }

    const started = Date.now();
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    // Churn risk is the first choice on the page.
    expect(await page.inputValue('#campaign-model')).toBe('churn');
    await page.check('input[name="bands"][value="high"]');
    await page.check('input[name="segments"][value="AT_RISK"]');
    await page.check('input[name="tiers"][value="gold"]');
    await page.fill('#campaign-contacted', '30');
    await page.fill('#campaign-at', AT);
    await page.fill('#campaign-top', '500');
    await page.fill('#campaign-holdout', '10');
    const file = await download('#campaign-download');
    const took = Date.now() - started;
    expect(took).toBeLessThan(60_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'audience.png'), fullPage: true });

    // The same list from the gRPC API: the stream's answers, high band, without the contacted,
    // best first (ties to the lower id), at most 500.
    const contacted = await contactedIn(30);
    for (const id of recorded) expect(contacted.has(id)).toBe(true);
    const expected = candidates
      .filter((c) => !contacted.has(c.customerId))
      .sort(
        (a, b) =>
          b.prediction!.binary!.probability - a.prediction!.binary!.probability ||
          (a.customerId < b.customerId ? -1 : 1),
      )
      .slice(0, 500);
    expect(file.rows.length).toBe(
      Math.min(500, candidates.filter((c) => !contacted.has(c.customerId)).length),
    );
    expect(file.rows.length).toBeGreaterThan(20);
    expect(file.name).toMatch(/^campaign-churn-v1-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.header).toEqual(['customer_id', 'model', 'score', 'holdout', 'risk_band', 'segment', 'tier']);
    expect(file.rows.map((r) => [r[0], Number(r[2])])).toEqual(
      expected.map((c) => [c.customerId, c.prediction!.binary!.probability]),
    );
    for (const r of file.rows) expect([r[4], r[5], r[6]]).toEqual(['high', 'AT_RISK', 'gold']);
    expect(file.rows.filter((r) => r[3] === '1').length).toBe(Math.round(file.rows.length * 0.1));
    // The address keeps the audience: reopened, the same list is counted again.
    const shared = page.url();
    expect(shared).toContain('#campaigns?model=churn');
    expect(new URL(shared).hash).toContain('contacted=30');
    console.info(`marketer task: ${file.rows.length} customers in ${took} ms`);
    expect(errors).toEqual([]);
  });

  it('builds an audience from conditions, saves it, reopens it by its address, exports it with chosen columns and a holdout, as CSV and as a CRM table', async () => {
    // Opt-outs, from the store's opt_outs table: every 7th customer of the base.
    await store.execute('CREATE TABLE opt_outs (customer_id TEXT PRIMARY KEY)');
    const everyone = await scored('churn');
    const optedOut = everyone.filter((_, i) => i % 7 === 0).map((c) => c.customerId);
    await store.insertRows(
      'opt_outs',
      ['customer_id'],
      optedOut.map((id) => [id]),
    );

    // A fresh page: the form of the task above would otherwise stay (the page keeps its filters).
    await page.goto('about:blank');
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    await page.fill('#campaign-threshold', '0.05');
    await page.click('#campaign-add-where');
    await page.selectOption('#campaign-where .where-model', 'ltv');
    await page.selectOption('#campaign-where .where-op', 'min');
    await page.fill('#campaign-where .where-value', '150');
    await page.click('#campaign-add-feature');
    await page.selectOption('#campaign-features .range-feature', 'tenure_days');
    await page.fill('#campaign-features .range-min', '365');
    await page.check('#campaign-optout');
    await page.fill('#campaign-holdout', '20');
    for (const c of ['segment', 'tier']) await page.uncheck(`input[name="columns"][value="${c}"]`);
    for (const c of ['ltv', 'next_best_action', 'next_best_action_value', 'uplift'])
      await page.check(`input[name="columns"][value="${c}"]`);
    await page.click('#campaign-preview');
    await expect.poll(() => page.locator('#campaign-result').getAttribute('data-count'), LONG).not.toBeNull();
    const count = Number(await page.locator('#campaign-result').getAttribute('data-count'));
    expect(count).toBeGreaterThan(20);
    // Before export: the counts with what was left out, a histogram, the segment x tier breakdown.
    expect(await page.locator('#campaign-counts').textContent()).toMatch(
      /left out: \d+ opted out; \d+ in the list/,
    );
    expect(await page.locator('.histogram .bar').count()).toBe(20);
    const cells = await page.locator('#campaign-summary tbody tr td:last-child').allTextContents();
    expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(count);

    // Saved by name, with who and when.
    await page.fill('#audience-name', 'loyal-high-value');
    await page.click('#audience-save');
    await expect
      .poll(() => page.locator('#campaign-result').textContent())
      .toMatch(/Saved as loyal-high-value/);
    const saved = (await (await fetch(`${base}/console/api/audiences`)).json()) as {
      audiences: { name: string; query: string; savedBy: string; savedAt: string }[];
    };
    const entry = saved.audiences.find((a) => a.name === 'loyal-high-value')!;
    expect(entry.savedBy).toBe('anonymous (caller authorization off)');
    expect(Date.now() - Date.parse(`${entry.savedAt.replace(' ', 'T')}Z`)).toBeLessThan(120_000);
    expect(entry.query).toContain('where=ltv%3Amin%3A150');

    // The address opens the same audience in another tab: the same form, the same count.
    const shared = page.url();
    const other = await browser.newPage();
    await other.goto(shared);
    await other.locator('#campaign-where .where-model').waitFor();
    expect(await other.inputValue('#campaign-where .where-value')).toBe('150');
    expect(await other.inputValue('#campaign-features .range-min')).toBe('365');
    expect(await other.isChecked('#campaign-optout')).toBe(true);
    expect(await other.isChecked('input[name="columns"][value="uplift"]')).toBe(true);
    expect(await other.isChecked('input[name="columns"][value="segment"]')).toBe(false);
    await other.click('#campaign-preview');
    await expect
      .poll(() => other.locator('#campaign-result').getAttribute('data-count'), LONG)
      .toBe(String(count));
    // And from the saved list, on a page opened without it.
    await other.goto(`${base}/console/#campaigns`);
    await other.reload();
    await other.locator('#audience-saved option[value="loyal-high-value"]').waitFor({ state: 'attached' });
    await other.selectOption('#audience-saved', 'loyal-high-value');
    await other.click('#audience-load');
    expect(await other.inputValue('#campaign-threshold')).toBe('0.05');
    expect(new URL(other.url()).hash).toBe(`#campaigns?${entry.query}`);
    await other.close();

    // Exported as CSV: the chosen columns, a 20% holdout marked, named for audience, model, version, day.
    const file = await download('#campaign-download');
    expect(file.name).toMatch(/^audience-loyal-high-value-churn-v1-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.header).toEqual([
      'customer_id',
      'model',
      'score',
      'holdout',
      'risk_band',
      'ltv',
      'next_best_action',
      'next_best_action_value',
      'uplift',
    ]);
    expect(file.rows.length).toBe(count);
    const holdout = file.rows.filter((r) => r[3] === '1').length;
    // A threshold list draws each customer: about 20% (binomial: within 4 standard deviations).
    expect(Math.abs(holdout - count * 0.2)).toBeLessThan(4 * Math.sqrt(count * 0.2 * 0.8) + 1);
    const out = new Set(optedOut);
    const ids = file.rows.map((r) => r[0]!);
    expect(ids.some((id) => out.has(id))).toBe(false);

    // Every row as the API answers it: churn, LTV and uplift by PredictCustomers; the facts.
    const answers = async (modelName: string) => {
      const r = await server.models.unary(
        'PredictCustomers',
        { modelName, customers: ids.map((customerId) => ({ customerId })) },
        opts(),
      );
      expect(r.error).toBeNull();
      return r.response!.results.map((x) => x.prediction!);
    };
    const churn = await answers('churn');
    const ltv = await answers('ltv');
    const uplift = await answers('campaign_uplift');
    file.rows.forEach((r, i) => {
      expect(Number(r[2])).toBeCloseTo(churn[i]!.binary!.probability, 12);
      expect(churn[i]!.binary!.probability).toBeGreaterThanOrEqual(0.05);
      expect(Number(r[5])).toBeCloseTo(amount(ltv[i]!.regression!.money), 2);
      expect(Number(r[5])).toBeGreaterThanOrEqual(150);
      expect(Number(r[8])).toBeCloseTo(uplift[i]!.uplift!.uplift, 12);
    });
    // The customers the base has that meet every condition and did not opt out are all listed.
    const features = await store.selectArrays('SELECT customer_id, tenure_days FROM online_features');
    const tenure = new Map(features.map(([id, t]) => [String(id), Number(t)]));
    for (const id of ids) expect(tenure.get(id)).toBeGreaterThanOrEqual(365);
    // The next best action is what Decide recommends now.
    for (const r of file.rows.slice(0, 8)) {
      const d = await decisions.unary('Decide', { customerId: r[0] }, opts());
      expect(d.error).toBeNull();
      expect(r[6]).toBe(d.response!.recommendedAction);
      if (r[6]) {
        const best = d.response!.actions.find((a) => a.action === r[6])!;
        expect(Number(r[7])).toBeCloseTo(amount(best.expectedNetValue), 2);
      }
    }

    // The same list as a table in the store's database, for a CRM to pick up.
    await page.click('#campaign-table');
    await expect
      .poll(() => page.locator('#campaign-result').textContent(), LONG)
      .toMatch(/written to the table/);
    const table = await store.selectArrays(
      'SELECT customer_id, holdout, score, ltv FROM crm_audience_loyal_high_value ORDER BY customer_id',
    );
    expect(table.map(([id]) => String(id))).toEqual([...ids].sort());
    expect(table.filter(([, h]) => Number(h) === 1).length).toBe(holdout);

    // The export history: both exports, newest first, with the audience, counts and who.
    await expect.poll(() => page.locator('#audience-exports tbody tr').count()).toBeGreaterThanOrEqual(2);
    const history = (await (await fetch(`${base}/console/api/exports`)).json()) as {
      exports: { audience: string; destination: string; rows: number; holdout: number; exportedBy: string }[];
    };
    const mine = history.exports.filter((e) => e.audience === 'loyal-high-value');
    expect(mine.map((e) => e.destination)).toEqual([
      'table:crm_audience_loyal_high_value',
      `file:${file.name}`,
    ]);
    for (const e of mine) expect([e.rows, e.holdout]).toEqual([count, holdout]);
    expect(errors).toEqual([]);
  });

  it('refuses bad audiences with the documented status, and writes nothing from another site', async () => {
    const bad = await fetch(`${base}/console/api/campaign?model=churn&features=password:1:2`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not feature:min:max/);
    const unknown = await fetch(`${base}/console/api/campaign?model=nope`);
    expect(unknown.status).toBe(404);
    const banded = await fetch(`${base}/console/api/campaign?model=ltv&bands=high`);
    expect(banded.status).toBe(400);
    // A save from a foreign page (Origin of another site) is refused by the server.
    const foreign = await fetch(`${base}/console/api/audiences/evil`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ query: 'model=churn' }),
    });
    expect(foreign.status).toBe(403);
    const name = await fetch(`${base}/console/api/audiences/__proto__`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'model=churn' }),
    });
    expect(name.status).toBe(400);
    const table = await fetch(`${base}/console/api/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'model=churn&top=5', to: 'table' }),
    });
    expect(table.status).toBe(400);
    const missing = await fetch(`${base}/console/api/audiences/never-saved`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    const saved = (await (await fetch(`${base}/console/api/audiences`)).json()) as {
      audiences: { name: string }[];
    };
    expect(saved.audiences.map((a) => a.name)).not.toContain('evil');
  });
});
