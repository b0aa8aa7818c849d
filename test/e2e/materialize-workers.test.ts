import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineFeatureStore } from '../../src/features/online-store.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { buildDemoStore } from '../../src/offline/demo/demo-store.js';
import { buildTestSqliteStore, TEST_CUSTOMERS, TEST_SEED } from '../helpers/demo.js';
import { createTestDatabase, mysqlAvailable } from '../helpers/mysql.js';

const run = promisify(execFile);
const hasMysql = await mysqlAvailable();
const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * `node dist/cli/materialize.js` reads and computes chunks in one worker thread per core; what it
 * publishes must be what the job publishes on one thread (the test store was built that way).
 */
async function materializeWithWorkers(env: Record<string, string>): Promise<string> {
  const { stdout } = await run('node', [`${ROOT}dist/cli/materialize.js`, '--as-of', '2025-12-31'], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return stdout;
}

describe('materialization with worker threads', () => {
  let demo: Awaited<ReturnType<typeof buildTestSqliteStore>>;
  beforeAll(async () => {
    demo = await buildTestSqliteStore();
  });
  afterAll(() => demo?.cleanup());

  it('publishes on SQLite exactly what one thread published', async () => {
    const copy = `${demo.path}.workers`;
    copyFileSync(demo.path, copy);
    expect(await materializeWithWorkers({ LOYALTY_SQLITE_PATH: copy })).toContain(
      `${TEST_CUSTOMERS} customers`,
    );
    const [one, many] = [
      new OnlineFeatureStore(new SqliteBackend(demo.path)),
      new OnlineFeatureStore(new SqliteBackend(copy)),
    ];
    try {
      const [a, b] = await Promise.all([one.scan('', 1_000_000), many.scan('', 1_000_000)]);
      expect(a.length).toBe(TEST_CUSTOMERS);
      expect(b).toEqual(a);
      expect(await many.getRfmThresholds()).toEqual(await one.getRfmThresholds());
    } finally {
      await one.close();
      await many.close();
    }
  });

  it.runIf(hasMysql)('publishes on MariaDB exactly what one thread published', async () => {
    const db = await createTestDatabase();
    const writer = new MysqlBackend({ url: db.url, poolSize: 4, queryTimeoutMs: 60_000 });
    try {
      await buildDemoStore(writer, { customers: TEST_CUSTOMERS, seed: TEST_SEED });
      const before = await new OnlineFeatureStore(writer).scan('', 1_000_000);
      await materializeWithWorkers({ LOYALTY_MYSQL_URL: db.url });
      const after = await new OnlineFeatureStore(writer).scan('', 1_000_000);
      expect(after.length).toBe(TEST_CUSTOMERS);
      expect(after).toEqual(before);
    } finally {
      await writer.close();
      await db.drop();
    }
  });
});
