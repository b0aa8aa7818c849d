import { DuckDb, literal, quoted } from '../../features/repository/duckdb.js';
import { asText } from '../../features/repository/view-query.js';
import type { Product } from '../history.js';
import type { OfflineStore } from '../offline-store.js';
import { attachLines, type ImportedLine } from './lines-payments-csv.js';
import { historiesFromTransactions, type ImportedTransaction } from './transactions-csv.js';

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

/** What an import wrote, and what it left out. */
export interface InvoiceImport {
  /** Lines in the file. */
  read: number;
  customers: number;
  transactions: number;
  lines: number;
  products: number;
  /** Lines left out, by reason. */
  leftOut: { guest: number; cancelled: number; returned: number; invalid: number };
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Replaces the store's data with the file's: its columns are read first (an error before the
 * store is touched), then the store is reset, the product catalogue written (each product's name
 * and unit price from its first line), and the customers streamed in id order, `chunkCustomers`
 * at a time: memory holds one chunk of histories, whatever the file's size.
 */
export async function importInvoiceLines(
  path: string,
  columns: InvoiceColumns,
  store: OfflineStore,
  options: { cancellationPrefix?: string; category?: string; chunkCustomers?: number } = {},
): Promise<InvoiceImport> {
  const prefix = options.cancellationPrefix ?? 'C';
  const category = options.category ?? 'all';
  const chunkCustomers = options.chunkCustomers ?? 2_000;
  const reader = /\.parquet$/i.test(path)
    ? `read_parquet(${literal(path)})`
    : `read_csv(${literal(path)}, header = true, auto_detect = true)`;
  const c = (name: string) => quoted(name);
  const id = asText('duckdb', c(columns.customer));
  const cancelled = `starts_with(CAST(${c(columns.invoice)} AS VARCHAR), ${literal(prefix)})`;
  const returned = `(CAST(${c(columns.quantity)} AS DOUBLE) <= 0 OR CAST(${c(columns.price)} AS DOUBLE) <= 0)`;
  const kept = `${c(columns.customer)} IS NOT NULL AND NOT ${cancelled} AND NOT ${returned}`;
  const name = columns.description ? `CAST(${c(columns.description)} AS VARCHAR)` : 'NULL';
  const duck = await DuckDb.open({ threads: 1 });
  try {
    await duck.run(`CREATE VIEW src AS SELECT * FROM ${reader}`);
    await duck.run(
      `CREATE VIEW purchases AS SELECT ${id} AS customer_id, CAST(${c(columns.invoice)} AS VARCHAR) AS invoice,
        CAST(${c(columns.date)} AS TIMESTAMP) AS bought_at, trim(CAST(${c(columns.product)} AS VARCHAR)) AS product,
        CAST(${c(columns.quantity)} AS DOUBLE) AS quantity, CAST(${c(columns.price)} AS DOUBLE) AS price, ${name} AS product_name
      FROM src WHERE ${kept}`,
    );
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
    // The catalogue: a product's name and unit price from its first line (bounded by the catalogue).
    const products: Product[] = [];
    for await (const chunk of duck.stream(
      'SELECT product, arg_min(product_name, bought_at), arg_min(price, bought_at) FROM purchases WHERE bought_at IS NOT NULL GROUP BY product ORDER BY product',
    ))
      for (const [code, productName, price] of chunk)
        if (CODE.test(String(code)))
          products.push({
            code: String(code),
            category,
            name: productName === null ? String(code) : String(productName).trim().slice(0, 200),
            priceCents: Math.round(Number(price) * 100),
          });

    await store.resetSchema();
    await store.insertProducts(products);
    const known = new Set(products.map((p) => p.code));
    let invalid = 0;
    const total = { customers: 0, transactions: 0, lines: 0 };
    let transactions: ImportedTransaction[] = [];
    let lines: ImportedLine[] = [];
    let customersInChunk = 0;
    let open: ImportedTransaction | undefined;
    let openInvoice = '';
    const flush = async () => {
      const histories = historiesFromTransactions(transactions);
      attachLines(histories, lines);
      await store.insertHistories(histories);
      total.customers += histories.length;
      total.transactions += transactions.length;
      total.lines += lines.length;
      transactions = [];
      lines = [];
      customersInChunk = 0;
    };
    for await (const chunk of duck.stream(
      `SELECT customer_id, invoice, strftime(bought_at, '%Y-%m-%d'), product, quantity, price, product_name FROM purchases ORDER BY customer_id, invoice`,
    )) {
      for (const [customer, invoice, date, product, quantity, price, description] of chunk) {
        const code = String(product);
        const customerId = String(customer);
        if (date === null || !known.has(code) || !CODE.test(customerId)) {
          invalid++;
          continue;
        }
        if (open?.customerId !== customerId) {
          // A chunk ends between customers: a customer's records are never split.
          if (customersInChunk >= chunkCustomers) await flush();
          customersInChunk++;
        }
        const amountCents = Math.round(Number(quantity) * Number(price) * 100);
        if (open?.customerId !== customerId || openInvoice !== invoice) {
          open = { customerId, date: String(date), amountCents: 0 };
          openInvoice = String(invoice);
          transactions.push(open);
        }
        open.amountCents += amountCents;
        lines.push({
          customerId,
          date: String(date),
          productCode: code,
          category,
          productName: description === null ? code : String(description).trim().slice(0, 200),
          quantity: Number(quantity),
          amountCents,
        });
      }
    }
    await flush();
    return {
      read,
      ...total,
      products: products.length,
      leftOut: { guest, cancelled: cancelledCount, returned: returnedCount, invalid },
    };
  } finally {
    duck.close();
  }
}
