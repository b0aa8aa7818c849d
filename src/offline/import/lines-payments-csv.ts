import { dayNumber, formatDateTime } from '../../calendar.js';
import type { CustomerHistory, Product } from '../history.js';
import { type CsvMapping, ImportError, split, toIsoDate } from './transactions-csv.js';

/**
 * The optional files of an import, beside the transactions: purchase lines (what was bought)
 * and bill payments. Both have a header line with the columns named below, in any order; other
 * columns are ignored. Their customers must appear in the transactions file.
 *
 * lines:    customer_id, date, product_code, amount [, category, product_name, quantity]
 * payments: customer_id, issued, due, amount, paid (empty when unpaid)
 */
export interface ImportedLine {
  customerId: string;
  date: string;
  productCode: string;
  category: string;
  productName: string;
  quantity: number;
  amountCents: number;
}

export interface ImportedBill {
  customerId: string;
  issued: string;
  due: string;
  amountCents: number;
  paid: string | null;
}

type Delimiter = CsvMapping['delimiter'];
type DateFormat = CsvMapping['dateFormat'];

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const TEXT_MAX = 128;

/** Rows of a headed file as column getters; errors name the line. */
function* rows(
  text: string,
  delimiter: Delimiter,
  required: readonly string[],
  optional: readonly string[],
): Generator<{ line: number; get: (name: string) => string | undefined }> {
  const lines = text.split(/\r?\n/);
  const header = split(lines[0] ?? '', delimiter);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length)
    throw new ImportError(`the header lacks ${missing.join(', ')} (has ${header.join(', ')})`);
  const index = new Map([...required, ...optional].map((c) => [c, header.indexOf(c)]));
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const fields = split(lines[i]!, delimiter);
    yield {
      line: i + 1,
      get: (name) => {
        const at = index.get(name) ?? -1;
        return at < 0 ? undefined : fields[at];
      },
    };
  }
}

function guarded<T>(line: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new ImportError(`line ${line}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function id(value: string | undefined): string {
  if (!value || !ID.test(value))
    throw new Error(`customer id ${JSON.stringify(value)} is not 1-64 of A-Z a-z 0-9 . _ -`);
  return value;
}

function cents(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || Math.abs(n) > 1e12)
    throw new Error(`${what} ${JSON.stringify(value)} is not a number`);
  return Math.round(n * 100);
}

function text(value: string | undefined, fallback: string): string {
  const v = (value ?? '').trim();
  if (v.length > TEXT_MAX) throw new Error(`${JSON.stringify(v.slice(0, 20))}... is longer than ${TEXT_MAX}`);
  return v === '' ? fallback : v;
}

export function parseLines(source: string, delimiter: Delimiter, dateFormat: DateFormat): ImportedLine[] {
  const out: ImportedLine[] = [];
  for (const r of rows(
    source,
    delimiter,
    ['customer_id', 'date', 'product_code', 'amount'],
    ['category', 'product_name', 'quantity'],
  )) {
    out.push(
      guarded(r.line, () => {
        const productCode = r.get('product_code') ?? '';
        if (!CODE.test(productCode))
          throw new Error(`product code ${JSON.stringify(productCode)} is not 1-64 of A-Z a-z 0-9 . _ -`);
        const quantity =
          r.get('quantity') === undefined || r.get('quantity') === '' ? 1 : Number(r.get('quantity'));
        if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000)
          throw new Error(`quantity ${JSON.stringify(r.get('quantity'))} is not a whole number from 1`);
        return {
          customerId: id(r.get('customer_id')),
          date: toIsoDate(r.get('date') ?? '', dateFormat),
          productCode,
          category: text(r.get('category'), ''),
          productName: text(r.get('product_name'), productCode),
          quantity,
          amountCents: cents(r.get('amount'), 'amount'),
        };
      }),
    );
  }
  return out;
}

export function parsePayments(source: string, delimiter: Delimiter, dateFormat: DateFormat): ImportedBill[] {
  const out: ImportedBill[] = [];
  for (const r of rows(source, delimiter, ['customer_id', 'issued', 'due', 'amount', 'paid'], [])) {
    out.push(
      guarded(r.line, () => {
        const issued = toIsoDate(r.get('issued') ?? '', dateFormat);
        const due = toIsoDate(r.get('due') ?? '', dateFormat);
        if (due < issued) throw new Error(`due ${due} is before issued ${issued}`);
        const paid = r.get('paid');
        return {
          customerId: id(r.get('customer_id')),
          issued,
          due,
          amountCents: cents(r.get('amount'), 'amount'),
          paid: paid === undefined || paid === '' ? null : toIsoDate(paid, dateFormat),
        };
      }),
    );
  }
  return out;
}

function historyOf(byId: Map<string, CustomerHistory>, customerId: string, file: string): CustomerHistory {
  const h = byId.get(customerId);
  if (!h) throw new ImportError(`customer ${customerId} of the ${file} file has no transactions`);
  return h;
}

/**
 * Adds the lines to the histories and returns the product catalogue they name (a product's
 * category and name from its first line, its price from its first line's unit amount).
 */
export function attachLines(
  histories: readonly CustomerHistory[],
  lines: readonly ImportedLine[],
): Product[] {
  const byId = new Map(histories.map((h) => [h.customer.customerId, h]));
  const products = new Map<string, Product>();
  for (const l of lines) {
    const h = historyOf(byId, l.customerId, 'lines');
    if (!products.has(l.productCode)) {
      products.set(l.productCode, {
        code: l.productCode,
        category: l.category,
        name: l.productName,
        priceCents: Math.round(l.amountCents / l.quantity),
      });
    }
    h.lines.push({
      occurredAt: formatDateTime(dayNumber(l.date), 12 * 3600),
      productCode: l.productCode,
      category: products.get(l.productCode)!.category,
      quantity: l.quantity,
      amountCents: l.amountCents,
    });
  }
  for (const h of histories)
    h.lines.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  return [...products.values()];
}

export function attachPayments(histories: readonly CustomerHistory[], bills: readonly ImportedBill[]): void {
  const byId = new Map(histories.map((h) => [h.customer.customerId, h]));
  for (const b of bills) {
    historyOf(byId, b.customerId, 'payments').bills.push({
      issuedOn: b.issued,
      dueOn: b.due,
      amountCents: b.amountCents,
      paidAt: b.paid === null ? null : formatDateTime(dayNumber(b.paid), 12 * 3600),
    });
  }
  for (const h of histories)
    h.bills.sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : a.issuedOn > b.issuedOn ? 1 : 0));
}
