import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { modelsWithSecondChurn, openBrowser } from '../helpers/browser.js';
import { churnLoad } from '../helpers/load.js';
import { type TestServer, withDemoServer } from '../helpers/server.js';

/**
 * The web console in a real browser (Debian's chromium, driven by playwright-core): every page
 * loads without a console error, shows what the gRPC API answers, steers the serving policy, and
 * downloads a campaign list equal to the stream. Screenshots go to test/screenshots/ (docs/console.md
 * shows them).
 */
const SCREENSHOTS = new URL('../screenshots/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'loyalty-console-'));

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let errors: string[];

beforeAll(async () => {
  // A second churn version, so that the page has a version to pin, with a display name of its
  // own: the console calls the model by it.
  const models = modelsWithSecondChurn(join(dir, 'models'), { displayName: 'Churn within 90 days' });
  server = await withDemoServer({ LOYALTY_MODELS_DIR: models, LOYALTY_MODEL_POLL_MS: '100' });
  base = `http://127.0.0.1:${server.app.httpPort}`;
  mkdirSync(SCREENSHOTS, { recursive: true });
  ({ browser, page, errors } = await openBrowser({ acceptDownloads: true }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Console errors other than the HTTP errors a test provokes on purpose. */
const unexpected = (...statuses: number[]) =>
  errors.filter(
    (e) =>
      !statuses.some(
        (s) =>
          e === `Failed to load resource: the server responded with a status of ${s} (${STATUS_TEXT[s]})`,
      ),
  );
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' };

beforeEach(() => {
  errors.length = 0;
});

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
/** The outcome of churn's last rollout, shown beside its form. */
const rollout = (p: Page = page) => p.locator('.rollout-status[data-model="churn"]').textContent();
/** The change's confirmation: its lines, then Confirm (or Cancel). */
async function confirmed(p: Page = page, answer: 'yes' | 'no' = 'yes'): Promise<string[]> {
  await p.locator('#confirm[open]').waitFor();
  const lines = await p.locator('#confirm-diff li').allTextContents();
  await p.click(`#confirm-${answer}`);
  return lines;
}

describe('the console', () => {
  it('serves the page under its own-origin policy, and every page loads with no console error', async () => {
    // How fast: bench/console-page.js (timings do not belong in a test run beside others).
    const res = await fetch(`${base}/console/`);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Sent gzipped, revalidated by its tag (a reload fetches nothing twice), every module preloaded.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const again = await fetch(`${base}/console/`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    for (const module of ['main', 'dom', 'campaign-page', 'audience-form', 'models-page'])
      expect(html).toContain(`<link rel="modulepreload" href="/console/js/${module}.js">`);

    await page.goto(`${base}/`);
    await page.locator('article[data-model="churn"]').waitFor();
    expect(await page.title()).toMatch(/Models/);
    expect(await page.locator('#model-churn').textContent()).toBe('Churn within 90 days (churn)');
    await shot('models');
    // The model card, rendered with its plots.
    await page.locator('article[data-model="churn"] button', { hasText: 'Card v1' }).click();
    await page.locator('#card-body img').first().waitFor();
    expect(await page.locator('#card-body table').count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page.evaluate(
          `[...document.querySelectorAll('#card-body img')].every((i) => i.complete && i.naturalWidth > 0)`,
        ),
      )
      .toBe(true);

    // Some traffic for the live page to chart.
    const load = churnLoad(server.loyalty, 4, 2_000);
    await page.click('nav a[data-page="live"]');
    // Two polls make a rate; the charts draw from the second.
    await page.locator('#live-versions table').waitFor();
    await page.waitForTimeout(6_500);
    await shot('live');
    expect((await load.stop()).failures).toEqual([]);
    const rates = await page.locator('#live-methods td').allTextContents();
    expect(rates.some((t) => t.endsWith('PredictChurn'))).toBe(true);

    await page.click('nav a[data-page="campaigns"]');
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    await shot('campaigns');

    await page.click('nav a[data-page="customer"]');
    await page.locator('#customer-id').waitFor();
    expect(errors).toEqual([]);
  });

  it('labels every control and starts keyboard navigation at a skip link', async () => {
    for (const hash of ['models', 'live', 'customer', 'campaigns']) {
      await page.goto(`${base}/console/#${hash}`);
      await page.waitForLoadState('networkidle');
      const unlabelled =
        await page.evaluate(`[...document.querySelectorAll('main input, main select, main button')]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.tagName === 'BUTTON'
          ? !el.textContent.trim() && !el.getAttribute('aria-label')
          : !(el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.getAttribute('aria-label')))
        .map((el) => el.outerHTML.slice(0, 80))`);
      expect(unlabelled, hash).toEqual([]);
    }
    // From a fresh load, the first Tab reaches the skip link, then the pages' links.
    await page.goto('about:blank');
    await page.goto(`${base}/console/#models`);
    await page.locator('article[data-model="churn"]').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('skip');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.dataset.page')).toBe('models');
    expect(errors).toEqual([]);
  });

  it('shows for a customer exactly the numbers the gRPC API answers', async () => {
    await page.goto(`${base}/console/#customer`);
    const id = customerId(42);
    await page.fill('#customer-id', id);
    await page.press('#customer-id', 'Enter');
    const churnCard = page.locator('.card[data-model="churn"]');
    await churnCard.waitFor();
    await shot('customer');

    const churn = await server.loyalty.unary('PredictChurn', { customers: [{ customerId: id }] });
    const grpcChurn = churn.response!.results[0]!.prediction!;
    const shown = await churnCard.locator('[data-field="probability"]').getAttribute('data-value');
    expect(Number(shown)).toBe(grpcChurn.probability);
    expect(await churnCard.locator('[data-field="probability"]').textContent()).toBe(
      grpcChurn.probability.toFixed(4),
    );
    expect(await churnCard.getAttribute('data-version')).toBe(churn.response!.results[0]!.modelVersion);
    // Its reason codes: the phrases PredictChurn answers with explain, in the same order.
    const explained = await server.loyalty.unary('PredictChurn', {
      customers: [{ customerId: id }],
      explain: true,
    });
    const phrases = explained.response!.results[0]!.explanation!.reasons.map((r) => r.phrase);
    expect(phrases.length).toBeGreaterThan(0);
    expect((await churnCard.locator('.reasons li').allTextContents()).map((t) => t.slice(2))).toEqual(
      phrases,
    );

    // Every model of the catalogue fed by the store, against PredictCustomers.
    const cards = await page.locator('.card[data-model]').all();
    expect(cards.length).toBeGreaterThanOrEqual(9);
    await expect.poll(() => page.locator('.card[data-model="ltv"] .forecast').count()).toBe(1);
    for (const card of cards) {
      const model = (await card.getAttribute('data-model'))!;
      const answer = await server.models.unary('PredictCustomers', {
        modelName: model,
        customers: [{ customerId: id }],
        topK: 3,
      });
      const p = answer.response!.results[0]!.prediction!;
      const values = (await card.locator('[data-value]').all()).map((e) => e.getAttribute('data-value'));
      const shownValues = (await Promise.all(values)).map(Number);
      const amount = (m: { units: string | number; nanos: number } | null) =>
        Number(m!.units) + m!.nanos / 1e9;
      const f = p.regression?.forecast;
      const expected = p.binary
        ? [p.binary.probability]
        : p.regression
          ? [
              p.regression.value,
              // The BG/NBD forecast beside a lifetime value.
              ...(f
                ? [
                    f.probabilityAlive,
                    f.expectedTransactions,
                    amount(f.expectedSpend),
                    amount(f.spendP10),
                    amount(f.spendP90),
                  ]
                : []),
            ]
          : p.uplift
            ? [p.uplift.uplift, p.uplift.treatedProbability, p.uplift.untreatedProbability]
            : (p.classes?.labels.map((l) => l.probability) ?? p.ranking!.items.map((i) => i.score));
      expect(shownValues, model).toEqual(expected);
    }

    const rfm = await server.loyalty.unary('GetRfm', { customers: [{ customerId: id }] });
    const segment = String(rfm.response!.results[0]!.rfm!.segment).replace('RFM_SEGMENT_', '');
    expect(await page.locator('[data-field="segment"]').textContent()).toBe(
      segment.replaceAll('_', ' ').toLowerCase(),
    );

    // At a glance, in words: the churn band, the value with its currency, the offer, segment and tier.
    const band = String(grpcChurn.riskBand).replace('RISK_BAND_', '');
    expect(await page.locator('[data-summary="churn"]').textContent()).toBe(
      `${band[0]}${band.slice(1).toLowerCase()} (${grpcChurn.probability < 0.005 ? '<1' : (grpcChurn.probability * 100).toFixed(0)}%)`,
    );
    const ltv = (await server.loyalty.unary('PredictLtv', { customers: [{ customerId: id }] })).response!
      .results[0]!.prediction!;
    expect(await page.locator('[data-summary="ltv"]').textContent()).toMatch(
      new RegExp(
        `^${Number(ltv.value!.units).toLocaleString('en-US')}\\.\\d\\d ${ltv.value!.currencyCode} over \\d+ months$`,
      ),
    );
    expect(await page.locator('[data-summary="segment"]').textContent()).toMatch(/^[A-Z][a-z]/);
    // Facts in words and units, on demand: money with its currency, counts whole, shares in %.
    expect(await page.isVisible('#customer-facts table')).toBe(false);
    // A summary first, details on demand: the page is about two screens, not four.
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThan(2_000);
    await page.click('#customer-facts summary');
    const fact = (name: string) =>
      page.locator(`#customer-facts tr[data-feature="${name}"] td`).nth(1).textContent();
    expect(await fact('spend_365d')).toMatch(/^[\d,]+\.\d\d EUR$/);
    expect(await fact('txn_count_365d')).toMatch(/^[\d,]+$/);
    expect(await fact('offer_accept_rate_365d')).toMatch(/^\d+%$/);
    expect(await fact('tenure_days')).toMatch(/^[\d,]+ days$/);
    // A reason raising churn is bad news; one raising lifetime value is good news.
    for (const li of await page.locator('.reasons[data-model="churn"] li').all())
      expect(await li.getAttribute('class')).toBe(
        (await li.textContent())!.startsWith('▲') ? 'reason-worse' : 'reason-better',
      );
    for (const li of await page.locator('.reasons[data-model="ltv"] li').all())
      expect(await li.getAttribute('class')).toBe(
        (await li.textContent())!.startsWith('▲') ? 'reason-better' : 'reason-worse',
      );
    expect(errors).toEqual([]);
  });

  it('says in place that the server is down, on the Audiences page too, and its buttons answer', async () => {
    const down = await browser.newPage();
    down.on('pageerror', (e) => errors.push(e.message));
    await down.goto(`${base}/console/#models`);
    await down.locator('article[data-model="churn"]').waitFor();
    await down.route('**/console/api/**', (r) => r.abort());
    await down.click('nav a[data-page="campaigns"]');
    await expect
      .poll(() => down.locator('#campaign-result').textContent())
      .toBe('The models could not be read: the server did not answer; is it running?');
    expect(await down.getAttribute('#campaign-result', 'class')).toBe('error');
    await down.click('#campaign-add-where');
    await down.click('#campaign-preview');
    await expect
      .poll(() => down.locator('#campaign-result').textContent())
      .toBe('The list could not be built: the server did not answer; is it running?');
    await down.close();
    expect(errors.filter((e) => !/Failed to load resource|ERR_FAILED/.test(e))).toEqual([]);
  });

  it('answers bad input with a clear message, never a blank page', async () => {
    await page.fill('#customer-id', 'C9999999');
    await page.press('#customer-id', 'Enter');
    await expect
      .poll(() => page.locator('#customer-view [role=alert]').textContent())
      .toMatch(/not in the feature store/);
    await page.fill('#customer-id', 'no spaces!');
    await page.press('#customer-id', 'Enter');
    await expect
      .poll(() => page.locator('#customer-view [role=alert]').textContent())
      .toMatch(/customer.*(malformed|allowed)/i);

    // An unknown model, as a stale page or a hand-made URL would ask.
    const card = await fetch(`${base}/console/api/models/nope/1/card`);
    expect(card.status).toBe(404);
    expect(((await card.json()) as { error: string }).error).toMatch(/model nope .*not loaded|not found/i);
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    // Scripts in the page are strings: the tests compile without the DOM's types.
    await page.evaluate(
      `document.getElementById('campaign-model').add(new Option('nope', 'nope', true, true))`,
    );
    await page.click('#campaign-preview');
    await expect
      .poll(() => page.locator('#campaign-result').textContent())
      .toMatch(/could not be built: .*nope/);
    // Shown as an error, not plain text.
    expect(await page.getAttribute('#campaign-result', 'class')).toBe('error');
    // A threshold no probability reaches is refused, not a silently empty list.
    await page.selectOption('#campaign-model', 'churn');
    for (const bad of ['2', '-1']) {
      await page.fill('#campaign-threshold', bad);
      await page.click('#campaign-preview');
      await expect
        .poll(() => page.locator('#campaign-result').textContent())
        .toMatch(new RegExp(`threshold ${bad} is outside 0 to 1`));
    }
    await page.fill('#campaign-threshold', '');
    expect(unexpected(400, 404)).toEqual([]);
  });

  it('pins a version from the page: the gRPC API then serves it; a refused change says why', async () => {
    const served = async () =>
      (await server.loyalty.unary('PredictChurn', { customers: [{ customerId: customerId(1) }] })).response!
        .model!.version;
    expect(await served()).toBe('2');
    await page.goto(`${base}/console/#models`);
    const form = page.locator('form[aria-label="Rollout of churn"]');
    await form.waitFor();
    await form.locator('select[name="default"]').selectOption('1');
    await form.locator('button[type="submit"]').click();
    // Every change shows what it changes and asks first.
    expect(await confirmed()).toEqual(['Default version: the highest → v1']);
    await expect.poll(() => rollout()).toBe('Changed: Default version: the highest → v1.');
    expect(await served()).toBe('1');
    await expect
      .poll(() => page.locator('article[data-model="churn"] [data-role="serving"]').textContent())
      .toBe('v1');
    // The audit trail: who, when, from what to what, on the page and from the server.
    await expect
      .poll(() => page.locator('#policy-changes tbody tr').first().textContent())
      .toMatch(/anonymous \(caller authorization off\)churnDefault version: the highest → v1$/);
    const audit = (await (await fetch(`${base}/admin/v1/serving-policy/audit`)).json()) as {
      changes: { model: string; before: unknown; after: unknown; changedAt: string }[];
    };
    expect(audit.changes[0]).toMatchObject({
      model: 'churn',
      before: null,
      after: { default: '1', labels: {} },
    });
    expect(Date.now() - Date.parse(`${audit.changes[0]!.changedAt.replace(' ', 'T')}Z`)).toBeLessThan(60_000);

    // Cancelled: nothing is sent, nothing changes, and the page says so.
    await form.locator('select[name="canary"]').selectOption('2');
    await form.locator('input[name="percent"]').fill('30');
    await form.locator('button[type="submit"]').click();
    expect(await confirmed(page, 'no')).toEqual(['Canary: none → v2 for 30% of customers']);
    await expect.poll(() => rollout()).toBe('Not changed.');
    expect(server.app.registry.list().find((m) => m.name === 'churn')?.canary).toBeUndefined();

    // A change the server refuses: a share over 100% (past the form's own check).
    await form.locator('select[name="canary"]').selectOption('2');
    await page.evaluate(`(() => {
      const input = document.querySelector('form[aria-label="Rollout of churn"] input[name="percent"]');
      input.removeAttribute('max');
      input.value = '150';
    })()`);
    await form.locator('button[type="submit"]').click();
    await confirmed();
    await expect.poll(() => rollout()).toMatch(/The server refused the change: .*percent/);
    expect(await served()).toBe('1');
    // A canary of the default version: refused and said, not accepted and silently dropped.
    await page.goto(`${base}/console/#models`);
    await form.waitFor();
    await form.locator('select[name="canary"]').selectOption('1');
    await form.locator('input[name="percent"]').fill('30');
    await form.locator('button[type="submit"]').click();
    await confirmed();
    await expect
      .poll(() => rollout())
      .toMatch(/The server refused the change: .*canary.version is the default version 1/);
    expect(server.app.registry.list().find((m) => m.name === 'churn')?.canary).toBeUndefined();
    expect(unexpected(400)).toEqual([]);
  });

  it('refuses a change from another host in the server, not only in the page', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    expect(external, 'a non-loopback IPv4 address to load the page from').toBeDefined();
    const remote = await browser.newPage();
    await remote.goto(`http://${external!.address}:${server.app.httpPort}/console/#models`);
    const form = remote.locator('form[aria-label="Rollout of churn"]');
    await form.waitFor();
    await form.locator('select[name="default"]').selectOption('2');
    await form.locator('button[type="submit"]').click();
    await confirmed(remote);
    await expect.poll(() => rollout(remote)).toMatch(/refused.*only from the server host/);
    await remote.close();
    expect(server.app.registry.resolve('churn').version).toBe('1');
  });

  it('downloads a campaign list with the same rows as the ScoreCustomers stream', async () => {
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    await page.selectOption('#campaign-model', 'churn');
    await page.fill('#campaign-threshold', '0.3');
    await page.check('input[name="tiers"][value="gold"]');
    for (const column of ['model_version', 'top_label', 'unit'])
      await page.check(`input[name="columns"][value="${column}"]`);
    await page.click('#campaign-preview');
    await expect.poll(() => page.locator('#campaign-result').getAttribute('data-count')).not.toBeNull();
    const previewed = Number(await page.locator('#campaign-result').getAttribute('data-count'));

    const download = page.waitForEvent('download');
    await page.click('#campaign-download');
    const file = await (await download).path();
    // The file says which model, version and day it holds.
    expect((await download).suggestedFilename()).toMatch(/^campaign-churn-v1-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'customer_id,model,score,holdout,model_version,risk_band,top_label,unit,segment,tier',
    );
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(previewed);
    await shot('campaigns');

    const { messages, error } = await server.loyalty.stream('ScoreCustomers', {
      modelName: 'churn',
      filter: { tiers: ['gold'] },
    });
    expect(error).toBeNull();
    const expected = messages
      .flatMap((m) => m.customers)
      .filter((c) => c.prediction!.binary!.probability >= 0.3)
      // Best first, ties to the lower id: the file's order whatever kind of list.
      .sort(
        (a, b) =>
          b.prediction!.binary!.probability - a.prediction!.binary!.probability ||
          (a.customerId < b.customerId ? -1 : 1),
      )
      .map((c) => [c.customerId, 'churn', c.modelVersion, String(c.prediction!.binary!.probability)]);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r[0], r[1], r[4], r[2]])).toEqual(expected);
    expect(rows.every((r) => r[3] === '0')).toBe(true);
    // Beside each score what a marketer reads: the band (not the model's name on every row), no
    // top label or unit for a probability, the customer's segment and tier.
    const bands = new Map(
      messages.flatMap((m) => m.customers).map((c) => [c.customerId, c.prediction!.binary!.riskBand]),
    );
    const rfm = await server.loyalty.unary('GetRfm', {
      customers: rows.slice(0, 50).map((r) => ({ customerId: r[0]! })),
    });
    rows.forEach((r, i) => {
      expect(r[5]).toBe(String(bands.get(r[0]!)).replace('RISK_BAND_', '').toLowerCase());
      expect(r[6]).toBe('');
      expect(r[7]).toBe('');
      expect(r[9]).toBe('gold');
      if (i < 50) expect(`RFM_SEGMENT_${r[8]}`).toBe(rfm.response!.results[i]!.rfm!.segment);
    });

    // The top N of the base by score, against the stream sorted.
    const res = await fetch(`${base}/console/api/campaign?model=churn&top=25`);
    const lines2 = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { done?: boolean; rows?: unknown[][] });
    expect(lines2.at(-1)!.done).toBe(true);
    const listed = lines2.flatMap((l) => l.rows ?? []);
    const all = await server.loyalty.stream('ScoreCustomers', { modelName: 'churn' });
    const best = all.messages
      .flatMap((m) => m.customers)
      .map((c) => [c.customerId, c.modelVersion, c.prediction!.binary!.probability])
      .sort((a, b) => Number(b[2]) - Number(a[2]) || (a[0]! < b[0]! ? -1 : 1))
      .slice(0, 25);
    expect(listed.map((r) => [r[0], r[4], r[2]])).toEqual(best);
    expect(errors).toEqual([]);
  });

  it('fits every page in 375 px: nothing scrolls the page sideways (wide tables scroll in place)', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      for (const name of ['models', 'live', 'customer', 'campaigns', 'plans']) {
        await page.goto(`${base}/console/#${name}`);
        if (name === 'customer') {
          await page.fill('#customer-id', customerId(42));
          await page.press('#customer-id', 'Enter');
          await page.locator('.card[data-model="churn"]').waitFor();
        } else if (name === 'models') await page.locator('article[data-model="churn"]').waitFor();
        else if (name === 'plans') await page.locator('#plan-outcomes table').waitFor();
        else if (name === 'campaigns') {
          await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
          // The builder's rows and the list's summary fit too.
          await page.click('#campaign-add-where');
          await page.click('#campaign-add-feature');
          await page.click('#campaign-preview');
          await page.locator('#campaign-summary table').waitFor();
          expect(await page.evaluate('document.documentElement.scrollWidth'), name).toBeLessThanOrEqual(375);
          // Removed again: the tests after this one build lists of their own.
          while ((await page.locator('.where button').count()) > 0)
            await page.locator('.where button').first().click();
        } else await page.locator('#live-methods table').waitFor();
        const width = await page.evaluate('document.documentElement.scrollWidth');
        expect(width, name).toBeLessThanOrEqual(375);
      }
      // The rollout's confirmation fits as well.
      await page.goto(`${base}/console/#models`);
      const form = page.locator('form[aria-label="Rollout of churn"]');
      await form.locator('select[name="shadow"]').selectOption('2');
      await form.locator('button[type="submit"]').click();
      await page.locator('#confirm[open]').waitFor();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      const box = (await page.locator('#confirm').boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(375);
      await page.click('#confirm-no');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    expect(errors).toEqual([]);
  });

  it('ticks every segment box: each is a segment the server knows, together the whole base', async () => {
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    await page.selectOption('#campaign-model', 'churn');
    const preview = async () => {
      await page.evaluate(`document.getElementById('campaign-result').removeAttribute('data-count')`);
      await page.click('#campaign-preview');
      await expect
        .poll(
          async () =>
            (await page.locator('#campaign-result').getAttribute('data-count')) !== null ||
            /could not/.test((await page.locator('#campaign-result').textContent()) ?? ''),
        )
        .toBe(true);
      return {
        count: await page.locator('#campaign-result').getAttribute('data-count'),
        text: await page.locator('#campaign-result').textContent(),
      };
    };
    const everyone = await preview();
    const boxes = await page.locator('input[name="segments"]').all();
    const vocabulary = (await (await fetch(`${base}/console/api/vocabulary`)).json()) as {
      segments: { code: string }[];
    };
    expect(boxes.length).toBe(vocabulary.segments.length);
    for (const box of boxes) await box.check();
    const all = await preview();
    expect(all.text).not.toMatch(/could not/);
    expect(all.count).toBe(everyone.count);
    // One box at a time: each segment is accepted, and the counts add up to the base.
    let sum = 0;
    for (const box of boxes) await box.uncheck();
    for (const box of boxes) {
      await box.check();
      const one = await preview();
      expect(one.text, (await box.getAttribute('value')) ?? '').not.toMatch(/could not/);
      sum += Number(one.count);
      await box.uncheck();
    }
    expect(sum).toBe(Number(everyone.count));
    expect(errors).toEqual([]);
  });

  it('keeps the chosen model, filters and all, when coming back to Campaign lists', async () => {
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="ltv"]').waitFor({ state: 'attached' });
    await page.selectOption('#campaign-model', 'ltv');
    await page.check('input[name="tiers"][value="gold"]');
    await page.fill('#campaign-top', '5');
    await page.click('nav a[data-page="models"]');
    await page.locator('article[data-model="churn"]').waitFor();
    await page.click('nav a[data-page="campaigns"]');
    await page.locator('#campaign-model option[value="ltv"]').waitFor({ state: 'attached' });
    expect(await page.locator('#campaign-model').inputValue()).toBe('ltv');
    expect(await page.locator('input[name="tiers"][value="gold"]').isChecked()).toBe(true);
    const download = page.waitForEvent('download');
    await page.click('#campaign-download');
    const lines = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\n');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r[1] === 'ltv')).toBe(true);
    await page.uncheck('input[name="tiers"][value="gold"]');
    await page.fill('#campaign-top', '');
  });

  it('does not feed the drift windows with a campaign preview: they describe served traffic', async () => {
    await page.goto(`${base}/console/#campaigns`);
    await page.locator('#campaign-model option[value="upsell"]').waitFor({ state: 'attached' });
    await page.selectOption('#campaign-model', 'upsell');
    await page.fill('#campaign-top', '');
    await page.fill('#campaign-threshold', '');
    await page.evaluate(`document.getElementById('campaign-result').removeAttribute('data-count')`);
    await page.click('#campaign-preview');
    await expect.poll(() => page.locator('#campaign-result').getAttribute('data-count')).not.toBeNull();
    // The whole base (3,000 customers, above the 1,000 rows a drift reading needs) was scored.
    expect(Number(await page.locator('#campaign-result').getAttribute('data-count'))).toBeGreaterThan(1_000);
    type Models = { models: { name: string; versions: { drift: unknown }[] }[] };
    const models = (await (await fetch(`${base}/console/api/models`)).json()) as Models;
    expect(models.models.find((m) => m.name === 'upsell')!.versions[0]!.drift).toBeNull();
  });

  it('rolls back canary and shadow to the last applied default, not what the dropdown shows', async () => {
    await page.goto(`${base}/console/#models`);
    const form = page.locator('form[aria-label="Rollout of churn"]');
    await form.waitFor();
    await form.locator('select[name="default"]').selectOption('1');
    await form.locator('select[name="canary"]').selectOption('2');
    await form.locator('input[name="percent"]').fill('30');
    await form.locator('button[type="submit"]').click();
    await confirmed();
    await expect
      .poll(() => server.app.registry.list().find((m) => m.name === 'churn')?.canary?.percent)
      .toBe(30);
    // The reader changes the default dropdown to v2 and never applies it, then rolls back.
    await form.locator('select[name="default"]').selectOption('2');
    await form.locator('button', { hasText: 'Roll back canary and shadow' }).click();
    // The confirmation lists the last applied state's return, not the unapplied dropdown.
    expect(await confirmed()).toEqual(['Canary: v2 for 30% of customers → none']);
    await expect
      .poll(() => server.app.registry.list().find((m) => m.name === 'churn')?.canary)
      .toBeUndefined();
    const versions = new Set<string>();
    for (let i = 1; i <= 200; i++) {
      const { response } = await server.loyalty.unary('PredictChurn', {
        customers: [{ customerId: customerId(i) }],
      });
      versions.add(response!.results[0]!.modelVersion);
    }
    expect([...versions]).toEqual(['1']);
    expect(unexpected()).toEqual([]);
  });
});
