import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CDNOW_MAPPING,
  historiesFromTransactions,
  ImportError,
  parseTransactions,
} from '../../src/offline/import/transactions-csv.js';
import { dataset } from '../helpers/datasets.js';

const CDNOW = dataset('cdnow-sample.txt');

describe('transaction import', () => {
  it('reads the CDNOW sample: 6,919 purchases of 2,357 customers', () => {
    const transactions = parseTransactions(readFileSync(CDNOW, 'utf8'), CDNOW_MAPPING);
    expect(transactions).toHaveLength(6_919);
    expect(transactions[0]).toEqual({ customerId: '00004', date: '1997-01-01', amountCents: 2933 });
    const histories = historiesFromTransactions(transactions);
    expect(histories).toHaveLength(2_357);
    expect(histories.every((h) => h.customer.signupDate < '1997-04-01')).toBe(true);
  });

  it('reads a CSV with a header by column names and another date format', () => {
    const text = 'amount;when;customer\n12.50;31/01/2024;A-1\n"7";01/02/2024;A-1\n3.3;15/02/2024;B.2\n';
    const rows = parseTransactions(text, {
      delimiter: ';',
      header: true,
      customerColumn: 'customer',
      dateColumn: 'when',
      amountColumn: 'amount',
      dateFormat: 'DD/MM/YYYY',
    });
    expect(rows).toEqual([
      { customerId: 'A-1', date: '2024-01-31', amountCents: 1250 },
      { customerId: 'A-1', date: '2024-02-01', amountCents: 700 },
      { customerId: 'B.2', date: '2024-02-15', amountCents: 330 },
    ]);
    const [a] = historiesFromTransactions(rows);
    expect(a!.customer.signupDate).toBe('2024-01-31');
    expect(a!.transactions).toHaveLength(2);
  });

  it('names the line of a bad row', () => {
    const mapping = { ...CDNOW_MAPPING };
    expect(() => parseTransactions(' 1 1 19970101 1 2.5\n 2 2 19970230 1 3.0\n', mapping)).toThrow(
      new ImportError('line 2: not a valid calendar date: 1997-02-30'),
    );
    expect(() => parseTransactions(' 1 1 19970101 1 abc\n', mapping)).toThrow(
      /line 1: amount "abc" is not a number/,
    );
    expect(() => parseTransactions(" 1' 1 19970101 1 2\n", mapping)).toThrow(/line 1: customer id/);
  });

  it('refuses a header that lacks a mapped column', () => {
    expect(() =>
      parseTransactions('id,date\n1,2024-01-01\n', {
        delimiter: ',',
        header: true,
        customerColumn: 'id',
        dateColumn: 'date',
        amountColumn: 'amount',
        dateFormat: 'YYYY-MM-DD',
      }),
    ).toThrow(/column "amount" \(amount\) is not in the header/);
  });
});
