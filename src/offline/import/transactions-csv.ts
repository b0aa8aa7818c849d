import { dayNumber, formatDateTime, formatDay } from '../../calendar.js';
import { type CustomerHistory, emptyHistory } from '../history.js';

/**
 * Import of a transaction history (customer id, date, amount per line) from delimited text,
 * so RFM and later models can run on a user's own data. A mapping says where each value is:
 * a 0-based column index, or a header name when the file has a header line.
 */
export interface CsvMapping {
  /** ',' ';' '\t' or 'whitespace' (runs of spaces and tabs, leading ones ignored). */
  delimiter: ',' | ';' | '\t' | 'whitespace';
  header: boolean;
  customerColumn: number | string;
  dateColumn: number | string;
  amountColumn: number | string;
  /** How dates are written. */
  dateFormat: 'YYYY-MM-DD' | 'YYYYMMDD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';
}

/** The CDNOW files: customer id, id in sample, date YYYYMMDD, number of CDs, dollar value. */
export const CDNOW_MAPPING: CsvMapping = {
  delimiter: 'whitespace',
  header: false,
  customerColumn: 0,
  dateColumn: 2,
  amountColumn: 4,
  dateFormat: 'YYYYMMDD',
};

export interface ImportedTransaction {
  customerId: string;
  /** YYYY-MM-DD. */
  date: string;
  amountCents: number;
}

export class ImportError extends Error {}

const ID = /^[A-Za-z0-9._-]{1,64}$/;

export function split(line: string, delimiter: CsvMapping['delimiter']): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/[ \t]+/);
  // Quoted fields of simple CSV: "a","b" (no escaped quotes inside ids, dates or amounts).
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

export function toIsoDate(text: string, format: CsvMapping['dateFormat']): string {
  let y: string | undefined;
  let m: string | undefined;
  let d: string | undefined;
  switch (format) {
    case 'YYYY-MM-DD':
      [y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)?.slice(1) ?? [];
      break;
    case 'YYYYMMDD':
      [y, m, d] = /^(\d{4})(\d{2})(\d{2})$/.exec(text)?.slice(1) ?? [];
      break;
    case 'DD/MM/YYYY':
      [d, m, y] = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text)?.slice(1) ?? [];
      break;
    case 'MM/DD/YYYY':
      [m, d, y] = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text)?.slice(1) ?? [];
      break;
  }
  if (!y) throw new Error(`date ${JSON.stringify(text)} is not ${format}`);
  const iso = `${y}-${m}-${d}`;
  dayNumber(iso); // rejects 2023-02-30 and the like
  return iso;
}

/** Parses the text; throws ImportError naming the line of the first bad row. */
export function parseTransactions(text: string, mapping: CsvMapping): ImportedTransaction[] {
  const lines = text.split(/\r?\n/);
  let columns = { customer: -1, date: -1, amount: -1 };
  const resolve = (spec: number | string, header: string[] | undefined, what: string) => {
    if (typeof spec === 'number') return spec;
    const index = header?.indexOf(spec) ?? -1;
    if (index < 0) throw new ImportError(`column ${JSON.stringify(spec)} (${what}) is not in the header`);
    return index;
  };
  let first = 0;
  const header = mapping.header ? split(lines[0] ?? '', mapping.delimiter) : undefined;
  if (mapping.header) first = 1;
  columns = {
    customer: resolve(mapping.customerColumn, header, 'customer id'),
    date: resolve(mapping.dateColumn, header, 'date'),
    amount: resolve(mapping.amountColumn, header, 'amount'),
  };
  const out: ImportedTransaction[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const fields = split(line, mapping.delimiter);
    try {
      const customerId = fields[columns.customer] ?? '';
      if (!ID.test(customerId))
        throw new Error(`customer id ${JSON.stringify(customerId)} is not 1-64 of A-Z a-z 0-9 . _ -`);
      const date = toIsoDate(fields[columns.date] ?? '', mapping.dateFormat);
      const amount = Number(fields[columns.amount]);
      if (!Number.isFinite(amount))
        throw new Error(`amount ${JSON.stringify(fields[columns.amount])} is not a number`);
      out.push({ customerId, date, amountCents: Math.round(amount * 100) });
    } catch (err) {
      throw new ImportError(`line ${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/**
 * Customer histories from transactions alone: each customer signs up on the day of their
 * first purchase, in the lowest tier, with region and plan unknown.
 */
export function historiesFromTransactions(transactions: readonly ImportedTransaction[]): CustomerHistory[] {
  const byId = new Map<string, CustomerHistory>();
  const sorted = [...transactions].sort((a, b) =>
    a.customerId === b.customerId
      ? a.date < b.date
        ? -1
        : a.date > b.date
          ? 1
          : 0
      : a.customerId < b.customerId
        ? -1
        : 1,
  );
  for (const t of sorted) {
    let h = byId.get(t.customerId);
    if (!h) {
      h = emptyHistory({
        customerId: t.customerId,
        signupDate: formatDay(dayNumber(t.date)),
        tier: 'basic',
        region: 'unknown',
        plan: 'unknown',
        birthYear: null,
      });
      byId.set(t.customerId, h);
    }
    // Same-day purchases keep distinct times so they stay distinct transactions.
    h.transactions.push({
      occurredAt: formatDateTime(dayNumber(t.date), 12 * 3600 + h.transactions.length),
      amountCents: t.amountCents,
      channel: 'import',
    });
  }
  return [...byId.values()];
}
