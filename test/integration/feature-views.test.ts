import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyRepository } from '../../src/features/repository/apply.js';
import { materializeView } from '../../src/features/repository/materialize-view.js';
import { parseRepository, RepositoryError } from '../../src/features/repository/repository-file.js';
import { readRegistry } from '../../src/features/repository/view-tables.js';
import type { SqlBackend } from '../../src/features/sql/sql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { mysqlAvailable, openMysqlTestBackend } from '../helpers/mysql.js';
import { openPostgresTestBackend, postgresAvailable } from '../helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bureau score file: three dated rows per customer (the third one after the as-of). */
writeFileSync(
  join(dir, 'bureau.csv'),
  [
    'cust,scored_on,score,limit_eur',
    'C1,2025-01-10,600,1000',
    'C1,2025-03-10,640,1500',
    'C1,2025-06-10,700,2000',
    'C2,2025-02-01,520,',
    'C2,2024-01-01,480,800',
    'bad id!,2025-01-01,1,1',
  ].join('\n'),
);

const repositoryYaml = `
sources:
  bureau_file: { file: bureau.csv }
  crm: { table: crm_attributes }
views:
  - name: bureau
    source: bureau_file
    entityColumn: cust
    timestampColumn: scored_on
    ttlDays: 400
    features:
      - { name: score }
      - { name: limit_eur, default: 0 }
      - { name: score_over_600, expr: "score > 600" }
  - name: crm
    source: crm
    entityColumn: customer_id
    features:
      - { name: household_size, type: int }
      - { name: has_fibre, type: bool }
      - { name: big_household, type: bool, expr: "household_size >= 3" }
`;

async function crmTable(backend: SqlBackend): Promise<void> {
  await backend.execute('DROP TABLE IF EXISTS crm_attributes');
  await backend.execute(
    'CREATE TABLE crm_attributes (customer_id VARCHAR(64) PRIMARY KEY, household_size INT, has_fibre INT)',
  );
  await backend.insertRows(
    'crm_attributes',
    ['customer_id', 'household_size', 'has_fibre'],
    [
      ['C1', 3, 1],
      ['C2', 1, 0],
      ['C3', 4, null],
    ],
  );
}

function suite(name: string, open: () => Promise<{ backend: SqlBackend; done: () => Promise<void> }>) {
  describe(name, () => {
    it('applies a repository and materializes a file view and a table view, as of a time', async () => {
      const { backend, done } = await open();
      try {
        await crmTable(backend);
        const loaded = parseRepository(repositoryYaml, join(dir, 'features.yaml'));
        const changes = await applyRepository(backend, loaded.repository);
        expect(changes.map((c) => [c.view, c.action])).toEqual([
          ['bureau', 'created'],
          ['crm', 'created'],
        ]);
        const bureau = await materializeView(backend, loaded, 'bureau', { asOf: '2025-05-01 00:00:00' });
        expect(bureau).toMatchObject({ rows: 2, skipped: 1 });
        const rows = await backend.select(
          'SELECT customer_id, event_ts, f_score, f_limit_eur, f_score_over_600 FROM fv_bureau ORDER BY customer_id',
        );
        expect(rows).toEqual([
          {
            customer_id: 'C1',
            event_ts: '2025-03-10 00:00:00',
            f_score: 640,
            f_limit_eur: 1500,
            f_score_over_600: 1,
          },
          {
            customer_id: 'C2',
            event_ts: '2025-02-01 00:00:00',
            f_score: 520,
            f_limit_eur: 0,
            f_score_over_600: 0,
          },
        ]);
        const crm = await materializeView(backend, loaded, 'crm');
        expect(crm.rows).toBe(3);
        const crmRows = await backend.select(
          'SELECT customer_id, f_big_household FROM fv_crm ORDER BY customer_id',
        );
        expect(crmRows.map((r) => Number(r.f_big_household))).toEqual([1, 0, 1]);
        const registry = await readRegistry(backend);
        expect(registry.get('bureau')).toMatchObject({ rows: 2, valuesAsOf: '2025-05-01 00:00:00' });
      } finally {
        await done();
      }
    });
  });
}

suite('feature views on SQLite', async () => {
  const path = join(dir, `store-${Math.random().toString(36).slice(2)}.sqlite`);
  const backend = new SqliteBackend(path);
  return { backend, done: () => backend.close() };
});

describe('repository file', () => {
  it('refuses a view whose source is a name every object has, and names repeated views and features', () => {
    const text =
      'views:\n  - { name: a, source: constructor, entityColumn: id, features: [{ name: x }, { name: x }] }\n  - { name: a, source: toString, entityColumn: id, features: [{ name: y }] }\n';
    try {
      parseRepository(text, 'f.yaml');
      expect.unreachable();
    } catch (err) {
      const problems = (err as RepositoryError).problems.join('\n');
      expect(problems).toMatch(/line 2: views\.0\.source: no source named constructor/);
      expect(problems).toMatch(/line 3: views\.1\.source: no source named toString/);
      expect(problems).toMatch(/views\.1\.name: a second view named a/);
      expect(problems).toMatch(/views\.0\.features\.1\.name: a second feature named x/);
    }
  });

  it('names the line and field of each problem', () => {
    const text = 'views:\n  - name: Bad\n    source: nowhere\n    entityColumn: id\n    features: []\n';
    try {
      parseRepository(text, 'f.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RepositoryError);
      const problems = (err as RepositoryError).problems.join('\n');
      expect(problems).toMatch(/line 2: views\.0\.name: lower-case/);
      expect(problems).toMatch(/line 5: views\.0\.features/);
    }
  });
});

const postgres = await postgresAvailable();
describe.runIf(postgres)('on PostgreSQL', () => {
  suite('feature views on PostgreSQL', () =>
    // A pool of one: a job reads its source on a connection of its own while it writes.
    openPostgresTestBackend(1));
});

const mysql = await mysqlAvailable();
describe.runIf(mysql)('on MariaDB', () => {
  suite('feature views on MariaDB', () =>
    // A pool of one: a job reads its source on a connection of its own while it writes.
    openMysqlTestBackend(1));
});
