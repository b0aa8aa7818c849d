// How fast the console's first page comes from a local server: the page and every file it loads
// (HTML, CSS, JS, uPlot), then the Models page's JSON, fetched --rounds times after a fresh start.
// The first round is cold (files read from disk once, code not yet optimized).
// Usage: node bench/console-page.js [--rounds 20] (after make build; uses the bench-smoke store)
import { parseArgs } from 'node:util';
import { startServer } from './harness.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const FILES = [
  '/console/',
  '/console/console.css',
  '/console/vendor/uplot.css',
  '/console/vendor/uplot.js',
  ...['main', 'dom', 'models-page', 'live-page', 'customer-page', 'campaign-page'].map(
    (name) => `/console/js/${name}.js`,
  ),
];

const server = await startServer({
  LOYALTY_SQLITE_PATH: 'data/bench-smoke.sqlite',
  LOYALTY_DEMO_CUSTOMERS: '2000',
});
const rounds = [];
try {
  for (let round = 0; round < Number(args.rounds); round++) {
    const started = performance.now();
    // A browser fetches the page, then its stylesheets and scripts in parallel.
    await (await fetch(`http://127.0.0.1:${server.httpPort}${FILES[0]}`)).text();
    await Promise.all(
      FILES.slice(1).map(async (f) => (await fetch(`http://127.0.0.1:${server.httpPort}${f}`)).text()),
    );
    const files = performance.now() - started;
    await (await fetch(`http://127.0.0.1:${server.httpPort}/console/api/models`)).json();
    rounds.push({
      round,
      filesMs: Math.round(files * 10) / 10,
      withModelsJsonMs: Math.round((performance.now() - started) * 10) / 10,
    });
  }
} finally {
  await server.stop();
}
console.table([
  rounds[0],
  ...rounds
    .slice(1)
    .sort((a, b) => a.withModelsJsonMs - b.withModelsJsonMs)
    .filter((_, i, all) => i === Math.floor(all.length / 2) || i === all.length - 1),
]);
console.log('rows: cold first round, then the median and the slowest of the warm rounds');
