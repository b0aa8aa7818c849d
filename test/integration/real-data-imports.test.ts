import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDb, literal } from '../../src/features/repository/duckdb.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { importInvoiceLines } from '../../src/offline/import/invoice-lines.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { datasetFromLabels } from '../../src/training/labelled-dataset.js';
import { parsePipelineConfig } from '../../src/training/pipeline-config.js';
import { dataset } from '../helpers/datasets.js';

/**
 * Each way real data comes in, on a few hundred rows of the real files (../shared/datasets) with
 * their quirks: a CSV whose lines end with a carriage return alone and whose numbers are sometimes
 * in Excel notation (Taiwan credit), files without a customer id (rows numbered), text labels
 * and a treatment arm (Telco, Hillstrom), and a Parquet export of invoice lines with float ids,
 * text timestamps, guest checkouts, cancellations and returns (Online Retail II), streamed into a store.
 */
const dir = mkdtempSync(join(tmpdir(), 'loyalty-real-imports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSlice(file: string, name: string, rows: number, lineEnd: string): string[] {
  const lines = readFileSync(dataset(file), 'latin1').split(/\r\n?|\n/);
  const slice = lines.slice(0, rows + 1);
  writeFileSync(join(dir, name), `${slice.join(lineEnd)}${lineEnd}`);
  return slice;
}

/** A CSV line's cells: Hillstrom quotes "7) $1,000 +". */
const cellsOf = (line: string): string[] =>
  [...line.matchAll(/(?:"([^"]*)"|([^,]*))(?:,|$)/g)].slice(0, -1).map((m) => m[1] ?? m[2] ?? '');

/** The training set of one fromLabels target over the slices in `dir`. */
async function build(repository: string, target: Record<string, unknown>) {
  writeFileSync(join(dir, 'repository.yaml'), repository);
  const pipeline = parsePipelineConfig({
    seed: 1,
    split: { validation: 0.15, test: 0.2 },
    fromLabels: [{ name: 't', version: '1', description: '', repository: 'repository.yaml', ...target }],
  });
  const backend = new SqliteBackend(join(dir, 'store.sqlite'));
  try {
    return await datasetFromLabels(backend, pipeline.fromLabels[0]!, pipeline, join(dir, 'pipeline.json'));
  } finally {
    await backend.close();
  }
}

describe('real data sets in', () => {
  it('Taiwan credit: CR-only line ends and Excel-notation numbers are read as the values they write', async () => {
    const lines = writeSlice('uci-credit-card-default.csv', 'credit.csv', 400, '\r');
    // Lines 154 and 463 of the file write 1.00E+05 (PAY_AMT4, BILL_AMT3).
    expect(lines[154]).toContain('1.00E+05');
    const { dataset: ds } = await build(
      `sources: { f: { file: credit.csv } }
views:
  - { name: credit, source: f, entityColumn: ID, features: [{ name: pay_amt4, column: PAY_AMT4 }, { name: bill_amt3, column: BILL_AMT3 }, { name: limit, column: LIMIT_BAL }] }
`,
      {
        task: 'binary',
        labels: { source: { file: 'credit.csv' }, customer: 'ID', label: 'default.payment.next.month' },
        features: ['credit.pay_amt4', 'credit.bill_amt3', 'credit.limit'],
      },
    );
    expect(ds.customerIds).toHaveLength(400);
    const row = (id: string) => ds.customerIds.indexOf(id) * 3;
    expect(ds.x[row('154')]).toBe(100_000);
    expect(ds.x[row('352') + 2]).toBe(200_000);
    expect(ds.x[row('154') + 1]).toBe(132_257);
    expect([...ds.y].filter((v) => v === 1).length).toBe(
      lines.slice(1).filter((l) => l.endsWith(',1')).length,
    );
  });

  it('Hillstrom: rows numbered in file order, the control arm filtered out, the arm as a treatment', async () => {
    const lines = writeSlice('hillstrom.csv', 'hillstrom.csv', 300, '\n');
    const { dataset: ds, summary } = await build(
      `sources: { h: { file: hillstrom.csv, rowNumber: row } }
views:
  - name: hillstrom
    source: h
    entityColumn: row
    features:
      - { name: history, column: history }
      - { name: womens_arm, expr: "segment = 'Womens E-Mail'" }
`,
      {
        task: 'binary',
        labels: {
          source: { file: 'hillstrom.csv', rowNumber: 'row' },
          customer: 'row',
          label: 'visit',
          treatment: { expr: "segment <> 'No E-Mail'" },
          where: "segment <> 'No E-Mail'",
        },
        features: ['hillstrom.history', 'hillstrom.womens_arm'],
      },
    );
    const header = cellsOf(lines[0]!);
    const mailed = lines
      .slice(1)
      .map((l, i) => ({ row: String(i + 1), cells: cellsOf(l) }))
      .filter((r) => r.cells[header.indexOf('segment')] !== 'No E-Mail');
    expect(mailed.filter((r) => r.cells.length !== header.length)).toEqual([]);
    expect(summary.rows).toBe(mailed.length);
    for (const r of mailed) {
      const i = ds.customerIds.indexOf(r.row);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(ds.x[i * 2]).toBeCloseTo(Number(r.cells[header.indexOf('history')]), 2);
      expect(ds.x[i * 2 + 1]).toBe(r.cells[header.indexOf('segment')] === 'Womens E-Mail' ? 1 : 0);
      expect(ds.y[i]).toBe(Number(r.cells[header.indexOf('visit')]));
    }
  });

  it('Telco: a text label through an expression, one-hot categories, no id column', async () => {
    const lines = writeSlice('telco-customer-churn.csv', 'telco.csv', 300, '\n');
    const { dataset: ds } = await build(
      `sources: { t: { file: telco.csv, rowNumber: row } }
views:
  - name: telco
    source: t
    entityColumn: row
    features:
      - { name: tenure, column: tenure }
      - { name: fiber, expr: "InternetService = 'Fiber optic'" }
`,
      {
        task: 'binary',
        labels: {
          source: { file: 'telco.csv', rowNumber: 'row' },
          customer: 'row',
          label: { expr: "Churn = 'Yes'" },
        },
        features: ['telco.tenure', 'telco.fiber'],
      },
    );
    expect(ds.customerIds).toHaveLength(300);
    for (const k of [1, 2, 150, 300]) {
      const cells = lines[k]!.split(',');
      const i = ds.customerIds.indexOf(String(k));
      expect(ds.x[i * 2]).toBe(Number(cells[4]));
      expect(ds.x[i * 2 + 1]).toBe(cells[7] === 'Fiber optic' ? 1 : 0);
      expect(ds.y[i]).toBe(cells[19] === 'Yes' ? 1 : 0);
    }
  });

  it('Online Retail II: invoices of float ids and text times become transactions; guests, cancellations and returns are counted out', async () => {
    const slice = join(dir, 'retail.parquet');
    const source = literal(dataset('online-retail-ii-2009-2010.parquet'));
    const duck = await DuckDb.open();
    try {
      // A few hundred lines: identified purchases, guest checkouts, cancellations, returns.
      await duck.run(`COPY (
        (SELECT * FROM read_parquet(${source}) WHERE "Customer ID" IS NOT NULL AND Quantity > 0 AND Price > 0 AND Invoice NOT LIKE 'C%' LIMIT 200)
        UNION ALL (SELECT * FROM read_parquet(${source}) WHERE "Customer ID" IS NULL LIMIT 60)
        UNION ALL (SELECT * FROM read_parquet(${source}) WHERE Invoice LIKE 'C%' AND "Customer ID" IS NOT NULL LIMIT 40)
        UNION ALL (SELECT * FROM read_parquet(${source}) WHERE Invoice NOT LIKE 'C%' AND Quantity < 0 AND "Customer ID" IS NOT NULL LIMIT 5)
      ) TO ${literal(slice)} (FORMAT parquet)`);
      const [types] = await duck.rows(
        `SELECT typeof("Customer ID"), typeof(InvoiceDate) FROM read_parquet(${literal(slice)}) LIMIT 1`,
      );
      expect(types).toEqual(['DOUBLE', 'VARCHAR']);
      const expected = await duck.rows(
        `SELECT CAST(CAST("Customer ID" AS BIGINT) AS VARCHAR), Invoice, substr(InvoiceDate, 1, 10), round(sum(Quantity * Price) * 100)
         FROM read_parquet(${literal(slice)}) WHERE "Customer ID" IS NOT NULL AND Invoice NOT LIKE 'C%' AND Quantity > 0 AND Price > 0
         GROUP BY ALL ORDER BY 1, 2`,
      );
      const backend = new SqliteBackend(join(dir, 'retail.sqlite'));
      try {
        const store = new OfflineStore(backend);
        // Two customers a chunk: the stream writes many chunks, never splitting a customer.
        const imported = await importInvoiceLines(
          slice,
          {
            customer: 'Customer ID',
            invoice: 'Invoice',
            date: 'InvoiceDate',
            product: 'StockCode',
            quantity: 'Quantity',
            price: 'Price',
            description: 'Description',
          },
          store,
          { chunkCustomers: 2 },
        );
        const returns = (
          await duck.rows(
            `SELECT count(*) FROM read_parquet(${literal(slice)}) WHERE Invoice NOT LIKE 'C%' AND Quantity < 0 AND "Customer ID" IS NOT NULL`,
          )
        )[0]![0];
        expect(imported.read).toBe(200 + 60 + 40 + Number(returns));
        expect(imported.leftOut).toEqual({ guest: 60, cancelled: 40, returned: Number(returns), invalid: 0 });
        expect(imported.lines).toBe(200);
        expect(imported.transactions).toBe(expected.length);
        // Each invoice one transaction of its day and total, under the integer id.
        const stored = await backend.select(
          'SELECT customer_id, substr(occurred_at, 1, 10) AS day, amount_cents FROM transactions',
        );
        const key = (r: unknown[]) => r.join('|');
        expect(stored.map((r) => key([r.customer_id, r.day, Number(r.amount_cents)])).sort()).toEqual(
          expected.map((r) => key([r[0], r[2], Number(r[3])])).sort(),
        );
        expect(stored.every((r) => /^\d+$/.test(String(r.customer_id)))).toBe(true);
        expect(imported.customers).toBe(new Set(expected.map((r) => r[0])).size);

        // The best sellers (by buyers) that a ranking over a large catalogue keeps.
        const last = String(
          stored
            .map((r) => r.day)
            .sort()
            .at(-1),
        );
        const best = await store.bestSellers(last, 365, 5);
        const byBuyers = await duck.rows(
          `SELECT StockCode, count(DISTINCT "Customer ID") AS buyers FROM read_parquet(${literal(slice)})
           WHERE "Customer ID" IS NOT NULL AND Invoice NOT LIKE 'C%' AND Quantity > 0 AND Price > 0
           GROUP BY 1 ORDER BY buyers DESC, 1 LIMIT 5`,
        );
        expect(best.codes).toEqual(byBuyers.map((r) => String(r[0])));
      } finally {
        await backend.close();
      }
    } finally {
      duck.close();
    }
  });
});
