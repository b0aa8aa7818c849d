import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openBackend } from '../features/open-store.js';
import { SqliteBackend } from '../features/sql/sqlite-backend.js';
import { storeAddress } from '../offline/features/chunk-workers.js';
import { materialize } from '../offline/features/materialize.js';
import { INVOICE_DEFAULTS, importInvoiceLines } from '../offline/import/invoice-lines.js';
import {
  attachLines,
  attachPayments,
  parseLines,
  parsePayments,
} from '../offline/import/lines-payments-csv.js';
import {
  CDNOW_MAPPING,
  type CsvMapping,
  historiesFromTransactions,
  parseTransactions,
} from '../offline/import/transactions-csv.js';
import { OfflineStore } from '../offline/offline-store.js';
import { RFM_SEGMENTS, SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';
import { parseFlags } from './args.js';
import { progressReporter } from './progress.js';

const USAGE = `usage: node dist/cli/import-transactions.js --input FILE --as-of YYYY-MM-DD [options]
Replaces the store's data with the file's transactions and materializes features and RFM.
  --format csv|cdnow|invoices
                            csv (default): a header line and the columns below; cdnow: the CDNOW files;
                            invoices: invoice lines, CSV or Parquet (one row per product on an invoice:
                            an invoice is a transaction, its rows purchase lines; guest checkouts,
                            cancellations and returns are left out and counted)
  --customer-column NAME    header name of the customer id (default customer_id)
  --date-column NAME        header name of the date (default date)
  --amount-column NAME      header name of the amount in currency units (default amount)
  --invoice-column NAME, --product-column NAME, --quantity-column NAME, --price-column NAME,
  --description-column NAME  invoices: the columns of the invoice number (default invoice), product
                            code (product_code), quantity, unit price (price) and product name (none)
  --date-format F           YYYY-MM-DD (default), YYYYMMDD, DD/MM/YYYY or MM/DD/YYYY
  --delimiter D             , (default) ; tab or whitespace
  --currency CODE           ISO 4217 code of the amounts (default USD)
  --sqlite PATH             write to this SQLite file instead of the configured store
  --lines FILE              optional purchase lines (header: customer_id, date, product_code, amount,
                            and optionally category, product_name, quantity); fills the product
                            catalogue, the category shares and the recent purchases
  --payments FILE           optional postpaid bills (header: customer_id, issued, due, amount, paid;
                            paid empty when unpaid); fills the payment-behaviour features
Both optional files use --delimiter and --date-format, and name only customers of --input.`;

async function main(): Promise<void> {
  const { values: f } = parseFlags(
    {
      input: { type: 'string' },
      'as-of': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      'customer-column': { type: 'string', default: 'customer_id' },
      'date-column': { type: 'string', default: 'date' },
      'amount-column': { type: 'string', default: 'amount' },
      'invoice-column': { type: 'string', default: INVOICE_DEFAULTS.invoice },
      'product-column': { type: 'string', default: INVOICE_DEFAULTS.product },
      'quantity-column': { type: 'string', default: INVOICE_DEFAULTS.quantity },
      'price-column': { type: 'string', default: INVOICE_DEFAULTS.price },
      'description-column': { type: 'string' },
      'date-format': { type: 'string', default: 'YYYY-MM-DD' },
      delimiter: { type: 'string', default: ',' },
      currency: { type: 'string', default: 'USD' },
      sqlite: { type: 'string' },
      lines: { type: 'string' },
      payments: { type: 'string' },
    },
    USAGE,
  );
  if (!f.input || !f['as-of']) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const delimiter = f.delimiter === 'tab' ? '\t' : f.delimiter;
  const mapping: CsvMapping =
    f.format === 'cdnow'
      ? CDNOW_MAPPING
      : {
          delimiter: delimiter as CsvMapping['delimiter'],
          header: true,
          customerColumn: f['customer-column']!,
          dateColumn: f['date-column']!,
          amountColumn: f['amount-column']!,
          dateFormat: f['date-format'] as CsvMapping['dateFormat'],
        };
  if (f.format === 'invoices' && (f.lines || f.payments))
    throw new Error('--lines and --payments do not go with --format invoices');
  // Other formats are read whole and checked before the store is touched; invoice lines stream
  // into it once their columns have been read (importInvoiceLines resets the store then).
  const history =
    f.format === 'invoices'
      ? undefined
      : (() => {
          const transactions = parseTransactions(readFileSync(f.input, 'utf8'), mapping);
          const histories = historiesFromTransactions(transactions);
          process.stderr.write(`read ${transactions.length} transactions of ${histories.length} customers\n`);
          const optionalFormat = [
            delimiter as CsvMapping['delimiter'],
            f['date-format'] as CsvMapping['dateFormat'],
          ] as const;
          const lines = f.lines ? parseLines(readFileSync(f.lines, 'utf8'), ...optionalFormat) : [];
          const products = attachLines(histories, lines);
          const bills = f.payments ? parsePayments(readFileSync(f.payments, 'utf8'), ...optionalFormat) : [];
          attachPayments(histories, bills);
          if (f.lines)
            process.stderr.write(`read ${lines.length} purchase lines of ${products.length} products\n`);
          if (f.payments) process.stderr.write(`read ${bills.length} bills\n`);
          return { histories, products };
        })();

  const backend = f.sqlite ? new SqliteBackend(f.sqlite) : openBackend(loadConfig().store);
  const store = new OfflineStore(backend);
  try {
    if (history) {
      await store.resetSchema();
      await store.insertProducts(history.products);
      await store.insertHistories(history.histories);
    } else {
      const imported = await importInvoiceLines(
        f.input,
        {
          customer: f['customer-column']!,
          invoice: f['invoice-column']!,
          date: f['date-column']!,
          product: f['product-column']!,
          quantity: f['quantity-column']!,
          price: f['price-column']!,
          description: f['description-column'],
        },
        store,
      );
      const o = imported.leftOut;
      process.stderr.write(
        `read ${imported.read} invoice lines: ${imported.transactions} transactions of ${imported.customers} customers, ${imported.lines} purchase lines of ${imported.products} products; left out ${o.guest} of guest checkouts, ${o.cancelled} of cancellations, ${o.returned} returns or adjustments, ${o.invalid} invalid\n`,
      );
    }
    const summary = await materialize(store, {
      asOf: f['as-of'],
      currency: f.currency!,
      onProgress: progressReporter('materializing features'),
      workersOpen: f.sqlite ? { kind: 'sqlite', path: f.sqlite } : storeAddress(loadConfig().store),
    });
    process.stdout.write(`RFM segments as of ${summary.asOf} (${summary.customers} customers):\n`);
    for (const segment of RFM_SEGMENTS) {
      const n = summary.segmentCounts[segment] ?? 0;
      process.stdout.write(`  ${SEGMENT_DISPLAY_NAMES[segment].padEnd(20)} ${String(n).padStart(7)}\n`);
    }
    const t = summary.thresholds;
    process.stdout.write(
      `thresholds: recency ${t.recency.cuts.join('/')} days; frequency ${t.frequency.cuts.join('/')}; monetary ${t.monetary.cuts.map((c) => (c / 100).toFixed(2)).join('/')}\n`,
    );
  } finally {
    await backend.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`import failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
