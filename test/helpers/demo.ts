import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';

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
