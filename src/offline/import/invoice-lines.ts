import { DuckDb, literal, quoted } from '../../features/repository/duckdb.js';
import type { ImportedLine } from './lines-payments-csv.js';
import type { ImportedTransaction } from './transactions-csv.js';

/**
 * Import of invoice lines (one row per product on an invoice: a retailer's order export, CSV or
 * Parquet, read by DuckDB where it is): each invoice of an identified customer becomes one
 * transaction (its date, the sum of quantity x price), and its lines the purchase lines of the
 * product catalogue. What real exports hold beside purchases is left out and counted:
 * - guest checkouts: lines without a customer id;
 * - cancellations: invoices whose number starts with the cancellation prefix ("C");
 * - returns and adjustments: lines with a quantity or price at or below zero.
 * Customer ids written as floats (13085.0, as spreadsheet exports to Parquet write them) are the
 * integer's text; text timestamps ('YYYY-MM-DD HH:MM:SS') and real ones are both read.
 */
export interface InvoiceColumns {
  customer: string;
  invoice: string;
  date: string;
  product: string;
  quantity: string;
  price: string;
  /** The product's name, when the file has one. */
  description?: string;
}

export const INVOICE_DEFAULTS: InvoiceColumns = {
  customer: 'customer_id',
  invoice: 'invoice',
  date: 'date',
  product: 'product_code',
  quantity: 'quantity',
  price: 'price',
};

export interface InvoiceImport {
  transactions: ImportedTransaction[];
  lines: ImportedLine[];
  /** Lines read, and lines left out by reason. */
  read: number;
  leftOut: { guest: number; cancelled: number; returned: number; invalid: number };
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;

export async function readInvoiceLines(
  path: string,
  columns: InvoiceColumns,
  options: { cancellationPrefix?: string; category?: string } = {},
): Promise<InvoiceImport> {
  const prefix = options.cancellationPrefix ?? 'C';
  const reader = /\.parquet$/i.test(path)
    ? `read_parquet(${literal(path)})`
    : `read_csv(${literal(path)}, header = true, auto_detect = true)`;
  const c = (name: string) => quoted(name);
  const id = `regexp_replace(CAST(${c(columns.customer)} AS VARCHAR), '\\.0$', '')`;
  const cancelled = `starts_with(CAST(${c(columns.invoice)} AS VARCHAR), ${literal(prefix)})`;
  const returned = `(CAST(${c(columns.quantity)} AS DOUBLE) <= 0 OR CAST(${c(columns.price)} AS DOUBLE) <= 0)`;
  const duck = await DuckDb.open({ threads: 1 });
  try {
    await duck.run(`CREATE VIEW src AS SELECT * FROM ${reader}`);
    const [counts] = await duck.rows(
      `SELECT count(*), count(*) FILTER (WHERE ${c(columns.customer)} IS NULL),
        count(*) FILTER (WHERE ${c(columns.customer)} IS NOT NULL AND ${cancelled}),
        count(*) FILTER (WHERE ${c(columns.customer)} IS NOT NULL AND NOT ${cancelled} AND ${returned})
       FROM src`,
    );
    const [read, guest, cancelledCount, returnedCount] = counts!.map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const name = columns.description ? `CAST(${c(columns.description)} AS VARCHAR)` : 'NULL';
    const sql = `SELECT ${id}, CAST(${c(columns.invoice)} AS VARCHAR), strftime(CAST(${c(columns.date)} AS TIMESTAMP), '%Y-%m-%d'),
        CAST(${c(columns.product)} AS VARCHAR), CAST(${c(columns.quantity)} AS DOUBLE), CAST(${c(columns.price)} AS DOUBLE), ${name}
      FROM src
      WHERE ${c(columns.customer)} IS NOT NULL AND NOT ${cancelled} AND NOT ${returned}
      ORDER BY 1, 2`;
    const transactions: ImportedTransaction[] = [];
    const lines: ImportedLine[] = [];
    let invalid = 0;
    let open: ImportedTransaction | undefined;
    let openInvoice = '';
    for await (const chunk of duck.stream(sql)) {
      for (const [customer, invoice, date, product, quantity, price, description] of chunk) {
        const code = String(product).trim();
        const customerId = String(customer);
        if (date === null || !CODE.test(code) || !CODE.test(customerId)) {
          invalid++;
          continue;
        }
        const amountCents = Math.round(Number(quantity) * Number(price) * 100);
        if (!open || open.customerId !== customerId || openInvoice !== invoice) {
          open = { customerId, date: String(date), amountCents: 0 };
          openInvoice = String(invoice);
          transactions.push(open);
        }
        open.amountCents += amountCents;
        lines.push({
          customerId,
          date: String(date),
          productCode: code,
          category: options.category ?? 'all',
          productName: description === null ? code : String(description).trim().slice(0, 200),
          quantity: Number(quantity),
          amountCents,
        });
      }
    }
    return {
      transactions,
      lines,
      read,
      leftOut: { guest, cancelled: cancelledCount, returned: returnedCount, invalid },
    };
  } finally {
    duck.close();
  }
}
