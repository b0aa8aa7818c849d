import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlBackend } from '../../src/features/sql/mysql-backend.js';
import type { SqlBackend } from '../../src/features/sql/sql-backend.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { runTfliteRows } from '../../src/training/pipeline.js';
import { cli } from '../helpers/cli.js';
import { dataset } from '../helpers/datasets.js';
import { until } from '../helpers/load.js';
import { createTestDatabase, mysqlAvailable } from '../helpers/mysql.js';
import { withTestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url).pathname;
const MODELS = join(ROOT, 'models');
const CREDIT = dataset('uci-credit-card-default.csv');
const dir = mkdtempSync(join(tmpdir(), 'loyalty-byod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Clients with labels, their CRM table rows and the label time. */
const LABELLED = 3_000;
const LABEL_DAY = '2025-06-01';

/**
 * A team's own data, with no TypeScript: the Taiwan credit-card file as a view (a per-customer
 * table of bills and repayments, no transactions), a CRM table of the store's database as a
 * second view (through a SQL query), labels in a CSV with their times; then the CLI tools apply,
 * materialize and train, and the running server answers by customer id and by stream.
 */
function writeProject(folder: string): { repository: string; pipeline: string } {
  mkdirSync(folder, { recursive: true });
  const lines = readFileSync(CREDIT, 'latin1')
    .split(/\r\n?|\n/)
    .filter(Boolean);
  const header = lines[0]!.split(',');
  const label = header.indexOf('default.payment.next.month');
  const labels = ['client,labelled_at,defaulted'];
  for (const line of lines.slice(1, LABELLED + 1)) {
    const cells = line.split(',');
    labels.push(`${cells[0]},${LABEL_DAY} 00:00:00,${cells[label]}`);
  }
  writeFileSync(join(folder, 'labels.csv'), `${labels.join('\n')}\n`);
  const repository = join(folder, 'features.yaml');
  writeFileSync(
    repository,
    `# Our own data: a bureau file and a CRM table.
sources:
  credit_file: { file: ${JSON.stringify(CREDIT)} }
  crm: { query: "SELECT customer_id, updated_at, contacts_90d FROM crm_contacts" }
views:
  - name: credit
    source: credit_file
    entityColumn: ID
    features:
      - { name: limit_bal, column: LIMIT_BAL }
      - { name: age, column: AGE }
      - { name: pay_0, column: PAY_0 }
      - { name: pay_2, column: PAY_2 }
      - { name: bill_amt1, column: BILL_AMT1 }
      - { name: pay_amt1, column: PAY_AMT1 }
  - name: contacts
    source: crm
    entityColumn: customer_id
    timestampColumn: updated_at
    ttlDays: 365
    features:
      - { name: contacts_90d, type: int }
`,
  );
  const pipeline = join(folder, 'pipeline.json');
  writeFileSync(
    pipeline,
    JSON.stringify({
      seed: 3,
      split: { validation: 0.15, test: 0.2 },
      fromLabels: [
        {
          name: 'credit_default',
          version: '1',
          description: 'Default next month, from the bureau file and CRM contacts.',
          task: 'binary',
          repository: 'features.yaml',
          labels: {
            source: { file: 'labels.csv' },
            customer: 'client',
            timestamp: 'labelled_at',
            label: 'defaulted',
          },
          features: [
            'credit.limit_bal',
            'credit.age',
            'credit.pay_0',
            'credit.pay_2',
            'credit.bill_amt1',
            'credit.pay_amt1',
            'contacts.contacts_90d',
          ],
          inputTransform: 'none',
          hidden: [8],
          maxEpochs: 4,
        },
      ],
    }),
  );
  return { repository, pipeline };
}

/** The CRM table: a value before the label time (i % 4) and one after it (97), per labelled client. */
async function crmTable(backend: SqlBackend): Promise<void> {
  await backend.execute(
    'CREATE TABLE crm_contacts (customer_id VARCHAR(16), updated_at VARCHAR(19), contacts_90d INT)',
  );
  const rows: (string | number)[][] = [];
  for (let i = 1; i <= LABELLED; i++) {
    rows.push([String(i), '2025-05-01 00:00:00', i % 4]);
    rows.push([String(i), '2025-07-01 00:00:00', 97]);
  }
  await backend.insertRows('crm_contacts', ['customer_id', 'updated_at', 'contacts_90d'], rows);
}

function suite(
  storeName: string,
  open: () => Promise<{ env: Record<string, string>; backend: SqlBackend; done: () => Promise<void> }>,
) {
  it(`${storeName}: a CSV view and a SQL view become a served model by configuration`, async () => {
    const store = await open();
    const folder = join(dir, storeName);
    const models = join(folder, 'models');
    for (const name of ['churn', 'nbo', 'ltv'])
      cpSync(join(MODELS, name, '1'), join(models, name, '1'), { recursive: true });
    const { repository, pipeline } = writeProject(folder);
    let server: Awaited<ReturnType<typeof withTestServer>> | undefined;
    try {
      await crmTable(store.backend);
      expect(await cli(store.env, 'features.js', 'apply', '--repository', repository)).toBe(
        'credit: created\ncontacts: created\n',
      );
      // As of a day after every CRM row (the view's ttl counts back from it).
      const materialized = await cli(
        store.env,
        'features.js',
        'materialize',
        '--repository',
        repository,
        '--as-of',
        '2025-08-01',
      );
      expect(materialized).toMatch(
        /^credit: 30000 customers as of 2025-08-01 00:00:00 .*\ncontacts: 3000 customers as of /,
      );

      const trainEnv = { ...store.env };
      const storeFlag = store.env.LOYALTY_MYSQL_URL
        ? ['--mysql', store.env.LOYALTY_MYSQL_URL]
        : ['--sqlite', store.env.LOYALTY_SQLITE_PATH!];
      const trained = await cli(
        trainEnv,
        'train-models.js',
        '--config',
        pipeline,
        '--out',
        join(folder, 'staging'),
        ...storeFlag,
      );
      expect(trained).toMatch(/credit_default\/1: roc_auc 0\.\d+/);
      const manifest = JSON.parse(
        readFileSync(join(folder, 'staging/credit_default/1/manifest.json'), 'utf8'),
      );
      expect(manifest.training).toMatchObject({ source: 'labels', featuresAsOf: LABEL_DAY });
      expect(
        manifest.training.rows.train + manifest.training.rows.validation + manifest.training.rows.test,
      ).toBe(LABELLED);
      // Point in time: the CRM value written after the labels (97) is in no training row.
      const contacts = manifest.explanation.background.map((row: number[]) => row[6]);
      expect(contacts.every((v: number) => v >= 0 && v <= 3)).toBe(true);

      server = await withTestServer({
        ...store.env,
        LOYALTY_MODELS_DIR: models,
        LOYALTY_MODEL_POLL_MS: '100',
      });
      cpSync(join(folder, 'staging/credit_default'), join(models, 'credit_default'), { recursive: true });
      await until(() => server!.app.registry.has('credit_default'), 20_000);

      const ids = ['1', '2', '25', '99999'];
      const { error, response } = await server.models.unary('PredictCustomers', {
        modelName: 'credit_default',
        customers: ids.map((id) => ({ customerId: id })),
      });
      expect(error).toBeNull();
      const [a, b, c, unknown] = response!.results;
      expect(unknown!.error).toMatchObject({ code: 5, reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND' });
      expect(unknown!.error!.message).toContain('feature view');
      // The served values are the views' as materialized now: the CRM's latest value (97).
      const credit = readFileSync(CREDIT, 'latin1').split(/\r\n?|\n/);
      const x = Float32Array.from(
        ['1', '2', '25'].flatMap((id) => {
          const cells = credit[Number(id)]!.split(',').map(Number);
          return [cells[1]!, cells[5]!, cells[6]!, cells[7]!, cells[12]!, cells[18]!, 97];
        }),
      );
      const direct = await runTfliteRows(readFileSync(join(models, 'credit_default/1/model.tflite')), x, 7);
      [a, b, c].forEach((r, i) => {
        expect(r!.prediction!.binary!.probability).toBeCloseTo(direct[i]!, 5);
        expect(Number(r!.provenance!.featuresAsOf!.seconds)).toBe(Date.parse('2025-07-01T00:00:00Z') / 1000);
      });

      const stream = await server.loyalty.stream('ScoreCustomers', {
        modelName: 'credit_default',
        chunkSize: 700,
      });
      expect(stream.error).toBeNull();
      const streamed = stream.messages.flatMap((m) => m.customers);
      // The base of a model on views only: the customers of every view it reads.
      expect(streamed).toHaveLength(LABELLED);
      expect(streamed.find((s) => s.customerId === '2')!.prediction!.binary!.probability).toBeCloseTo(
        direct[1]!,
        5,
      );

      // The console's model list names each view the version reads, with its rows and freshness.
      const base = `http://127.0.0.1:${server.app.httpPort}`;
      const listing = (await (await fetch(`${base}/console/api/models`)).json()) as {
        models: {
          name: string;
          versions: { views: { name: string; rows: number; valuesAsOf: string }[] }[];
        }[];
      };
      const views = listing.models.find((m) => m.name === 'credit_default')!.versions[0]!.views;
      expect(views.map((v) => [v.name, v.rows, v.valuesAsOf])).toEqual([
        ['credit', 30000, '2025-08-01 00:00:00'],
        ['contacts', 3000, '2025-08-01 00:00:00'],
      ]);
      // And the Models page shows them, in a real browser.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/`);
        const line = page.locator('tr[data-model="credit_default"] .view[data-view="credit"]');
        await line.waitFor();
        expect(await line.textContent()).toBe(
          'view credit: 30000 customers, values as of 2025-08-01, materialized today',
        );
      } finally {
        await browser.close();
      }

      // Each view's age and rows are metrics.
      const metrics = await server.app.metricsText!();
      expect(metrics).toMatch(/loyalty_feature_view_rows\{view="credit"[^}]*\} 30000/);
      expect(metrics).toMatch(/loyalty_feature_view_rows\{view="contacts"[^}]*\} 3000/);
      const age = Number(
        /loyalty_feature_view_age_seconds\{view="credit"[^}]*\} ([\d.e+]+)/.exec(metrics)?.[1],
      );
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(600);
    } finally {
      await server?.close();
      await store.done();
    }
  }, 240_000);
}

describe('bring your own data', () => {
  suite('sqlite', async () => {
    const path = join(dir, 'store.sqlite');
    const backend = new SqliteBackend(path);
    return { env: { LOYALTY_SQLITE_PATH: path }, backend, done: () => backend.close() };
  });
});

const mysql = await mysqlAvailable();
describe.runIf(mysql)('bring your own data on MariaDB', () => {
  suite('mariadb', async () => {
    const db = await createTestDatabase();
    const backend = new MysqlBackend({ url: db.url, poolSize: 2, queryTimeoutMs: 30_000 });
    return {
      env: { LOYALTY_MYSQL_URL: db.url },
      backend,
      done: async () => {
        await backend.close();
        await db.drop();
      },
    };
  });
});
