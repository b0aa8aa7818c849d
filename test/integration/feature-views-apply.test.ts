import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRepository } from '../../src/features/repository/apply.js';
import { materializeView } from '../../src/features/repository/materialize-view.js';
import { parseRepository } from '../../src/features/repository/repository-file.js';
import { readRegistry } from '../../src/features/repository/view-tables.js';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import type { SqlBackend } from '../../src/features/sql/sql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { createTestDatabase, mysqlAvailable } from '../helpers/mysql.js';

const hasMysql = await mysqlAvailable();
const dir = mkdtempSync(join(tmpdir(), 'loyalty-apply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'a.csv'), 'id,x,y\nC1,1,10\nC2,2,20\n');
writeFileSync(join(dir, 'b.csv'), 'id,z\nC1,5\n');

const repo = (aFeatures: string, withB: boolean) =>
  parseRepository(
    `sources:
  a: { file: a.csv }
  b: { file: b.csv }
views:
  - { name: alpha, source: a, entityColumn: id, features: [${aFeatures}] }
${withB ? '  - { name: beta, source: b, entityColumn: id, features: [{ name: z }] }\n' : ''}`,
    join(dir, 'features.yaml'),
  );

/**
 * apply does only what the repository's change needs: a new feature is a column added to its
 * view's table (its rows and the other views untouched, the feature empty until the view is
 * materialized again); a view no longer declared keeps its table.
 */
async function applyInSteps(backend: SqlBackend): Promise<void> {
  const v1 = repo('{ name: x }', true);
  await applyRepository(backend, v1.repository);
  await materializeView(backend, v1, 'alpha');
  await materializeView(backend, v1, 'beta');
  const before = await readRegistry(backend);

  const v2 = repo('{ name: x }, { name: y }', false);
  const changes = await applyRepository(backend, v2.repository);
  expect(changes.map((c) => [c.view, c.action, c.added])).toEqual([
    ['alpha', 'added features', ['y']],
    ['beta', 'not declared (kept)', []],
  ]);
  const after = await readRegistry(backend);
  expect(after.get('alpha')).toMatchObject({
    tableFeatures: ['x', 'y'],
    materializedFeatures: ['x'],
    rows: 2,
    materializedAt: before.get('alpha')!.materializedAt,
  });
  expect(after.get('beta')).toEqual(before.get('beta'));
  // The rows stayed; the new column is empty until the next materialization fills it.
  expect(
    (await backend.select('SELECT customer_id, f_x, f_y FROM fv_alpha ORDER BY customer_id')).map((r) => [
      r.customer_id,
      Number(r.f_x),
      r.f_y,
    ]),
  ).toEqual([
    ['C1', 1, null],
    ['C2', 2, null],
  ]);
  expect(await backend.select('SELECT customer_id FROM fv_beta')).toHaveLength(1);
  await materializeView(backend, v2, 'alpha');
  expect((await readRegistry(backend)).get('alpha')!.materializedFeatures).toEqual(['x', 'y']);
  expect(
    (await backend.select('SELECT f_y FROM fv_alpha ORDER BY customer_id')).map((r) => Number(r.f_y)),
  ).toEqual([10, 20]);
  // A second apply of the same file changes nothing.
  expect((await applyRepository(backend, v2.repository)).map((c) => c.action)).toEqual([
    'unchanged',
    'not declared (kept)',
  ]);
}

describe('apply', () => {
  it('adds a feature as a column and leaves everything else on SQLite', async () => {
    const backend = new SqliteBackend(join(dir, 'store.sqlite'));
    try {
      await applyInSteps(backend);
    } finally {
      await backend.close();
    }
  });

  it.runIf(hasMysql)(
    'materializes a table view of more rows than a chunk through a pool of one connection',
    async () => {
      const db = await createTestDatabase();
      const backend = new MysqlBackend({ url: db.url, poolSize: 1, queryTimeoutMs: 30_000 });
      try {
        await backend.execute('CREATE TABLE crm (customer_id VARCHAR(16), visits INT)');
        await backend.insertRows(
          'crm',
          ['customer_id', 'visits'],
          Array.from({ length: 25_000 }, (_, i) => [`K${i}`, i % 7]),
        );
        const loaded = parseRepository(
          'sources:\n  crm: { table: crm }\nviews:\n  - { name: crm, source: crm, entityColumn: customer_id, features: [{ name: visits }] }\n',
          join(dir, 'crm.yaml'),
        );
        await applyRepository(backend, loaded.repository);
        // The source is read on a connection of its own while chunks are written through the pool.
        expect((await materializeView(backend, loaded, 'crm')).rows).toBe(25_000);
      } finally {
        await backend.close();
        await db.drop();
      }
    },
  );

  it.runIf(hasMysql)('and on MariaDB', async () => {
    const db = await createTestDatabase();
    const backend = new MysqlBackend({ url: db.url, poolSize: 2, queryTimeoutMs: 30_000 });
    try {
      await applyInSteps(backend);
    } finally {
      await backend.close();
      await db.drop();
    }
  });
});
