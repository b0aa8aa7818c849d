import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import type { CustomerHistory } from '../../src/offline/history.js';

/** Demo base size of the tests: big enough for stable quintiles, small enough to build in ~1 s. */
export const TEST_CUSTOMERS = 3_000;
export const TEST_SEED = 7;

/** A temporary SQLite demo store; returns its path and a cleanup. */
export async function buildTestSqliteStore(customers = TEST_CUSTOMERS, seed = TEST_SEED) {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-test-'));
  const path = join(dir, 'demo.sqlite');
  const backend = new SqliteBackend(path);
  const summary = await buildDemoStore(backend, { customers, seed });
  await backend.close();
  return { path, summary, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A history in an order the store and the generator agree on: same-day purchases sort by time in
 * the store, by day in the generator; purchase lines by time, product and amount.
 */
export function comparableHistory(h: CustomerHistory): CustomerHistory {
  const byTime = <T extends { occurredAt: string }>(list: T[]) =>
    [...list].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  return {
    ...h,
    transactions: byTime(h.transactions),
    lines: [...h.lines].sort((a, b) =>
      `${a.occurredAt} ${a.productCode} ${a.amountCents}` <
      `${b.occurredAt} ${b.productCode} ${b.amountCents}`
        ? -1
        : 1,
    ),
  };
}
