// The console in a real browser (Debian's chromium, playwright-core): the weight of what each page
// loads (the app's files once, then each page's JSON) and how long until the page is usable, cold
// (a fresh browser profile: nothing cached, the server's first requests) and warm (a reload).
// Usage: node bench/console-page.js [--rounds 7] (after make build and make test-tools; uses the
// bench-smoke store, 2,000 customers: the Audiences page's preview scans the whole base).
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from './harness.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Each page and what says it is ready to use. */
const PAGES = [
  ['models', 'article[data-model="churn"]'],
  ['live', '#live-versions table'],
  ['customer/C0000042', '.card[data-model="churn"]'],
  ['campaigns', '#campaign-model option[value="churn"]'],
  ['plans', '#plan-capacities input'],
];

const server = await startServer({
  LOYALTY_SQLITE_PATH: 'data/bench-smoke.sqlite',
  LOYALTY_DEMO_CUSTOMERS: '2000',
});
const base = `http://127.0.0.1:${server.httpPort}/console/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
try {
  for (const [hash, ready] of PAGES) {
    const cold = [];
    const warm = [];
    let bytes;
    for (let round = 0; round < Number(args.rounds); round++) {
      // A fresh profile each round: nothing in the HTTP cache.
      const context = await browser.newContext();
      const page = await context.newPage();
      // The page's own clock: when the ready element first appears, from the navigation's start
      // (what a reader waits; the driver's polling is not counted).
      await page.addInitScript((selector) => {
        new MutationObserver((_, observer) => {
          if (document.querySelector(selector)) {
            window.readyAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      }, ready);
      const readyAt = async () => {
        await page.locator(ready).first().waitFor({ state: 'attached' });
        return page.evaluate(() => window.readyAt);
      };
      await page.goto(`${base}#${hash}`);
      cold.push(await readyAt());
      // Bytes the page fetched (compressed as sent), the document included.
      bytes ??= await page.evaluate(() =>
        [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].reduce(
          (sum, e) => sum + e.transferSize,
          0,
        ),
      );
      await page.reload();
      warm.push(await readyAt());
      await context.close();
    }
    results.push({
      page: hash.split('/')[0],
      kilobytes: Math.round(bytes / 102.4) / 10,
      coldMs: Math.round(median(cold)),
      coldSlowestMs: Math.round(Math.max(...cold)),
      warmMs: Math.round(median(warm)),
      warmSlowestMs: Math.round(Math.max(...warm)),
    });
  }
} finally {
  await browser.close();
  await server.stop();
}
console.table(results);
console.log(
  `medians of ${args.rounds} rounds per page: cold in a fresh browser profile, warm a reload; kilobytes as transferred`,
);
