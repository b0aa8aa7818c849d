import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/feature-set.js';
import { computeFeatures } from '../../src/offline/features/compute-features.js';
import {
  attachLines,
  attachPayments,
  parseLines,
  parsePayments,
} from '../../src/offline/import/lines-payments-csv.js';
import { historiesFromTransactions, ImportError } from '../../src/offline/import/transactions-csv.js';

const value = (f: Float64Array, name: (typeof FEATURE_NAMES)[number]) => f[FEATURE_NAMES.indexOf(name)]!;

describe('the optional import files', () => {
  const histories = () =>
    historiesFromTransactions([
      { customerId: 'A', date: '2024-01-10', amountCents: 5_000 },
      { customerId: 'A', date: '2024-06-01', amountCents: 2_000 },
      { customerId: 'B', date: '2024-03-01', amountCents: 1_000 },
    ]);

  it('reads lines by header name, builds the catalogue they name and feeds shares and recent items', () => {
    const lines = parseLines(
      'amount,product_code,customer_id,date,category,product_name\n' +
        '40,PHONE-1,A,2024-01-10,devices,A phone\n10,CASE-1,A,2024-01-10,accessories,\n20,DATA-5,A,2024-06-01,data,Data\n',
      ',',
      'YYYY-MM-DD',
    );
    expect(lines).toHaveLength(3);
    const hs = histories();
    const products = attachLines(hs, lines);
    expect(products.map((p) => [p.code, p.category, p.name])).toEqual([
      ['PHONE-1', 'devices', 'A phone'],
      ['CASE-1', 'accessories', 'CASE-1'],
      ['DATA-5', 'data', 'Data'],
    ]);
    const f = computeFeatures(hs[0]!, '2024-06-30')!;
    expect(value(f.features, 'share_devices_365d')).toBeCloseTo(40 / 70, 9);
    expect(value(f.features, 'share_data_365d')).toBeCloseTo(20 / 70, 9);
    expect(f.recentItems).toEqual(['DATA-5']);
  });

  it('reads payments and derives late, missed and overdue as they stood at the as-of date', () => {
    const bills = parsePayments(
      'customer_id,issued,due,amount,paid\n' +
        'A,2024-01-31,2024-02-20,30,2024-02-18\n' + // on time
        'A,2024-02-29,2024-03-20,30,2024-03-25\n' + // 5 days late
        'A,2024-03-31,2024-04-20,30,2024-06-01\n' + // 42 days late: missed
        'A,2024-05-31,2024-06-20,30,\n', // unpaid, 10 days overdue at 2024-06-30
      ',',
      'YYYY-MM-DD',
    );
    const hs = histories();
    attachPayments(hs, bills);
    const f = computeFeatures(hs[0]!, '2024-06-30')!.features;
    expect(value(f, 'bills_late_365d')).toBe(2); // the 5-day one and the open 10-day one
    expect(value(f, 'bills_missed_365d')).toBe(1);
    expect(value(f, 'overdue_amount')).toBe(30);
    // Before the late payment was made, the March bill was still open and overdue.
    const earlier = computeFeatures(hs[0]!, '2024-05-01')!.features;
    expect(value(earlier, 'overdue_amount')).toBe(30);
    expect(value(earlier, 'bills_missed_365d')).toBe(0);
  });

  it('names the line of a bad row, and refuses customers the transactions do not have', () => {
    expect(() =>
      parseLines('customer_id,date,product_code,amount\nA,2024-01-10,bad code!,1\n', ',', 'YYYY-MM-DD'),
    ).toThrow(/line 2: product code/);
    expect(() => parsePayments('customer_id,issued,due,amount\n', ',', 'YYYY-MM-DD')).toThrow(/lacks paid/);
    expect(() =>
      parsePayments('customer_id,issued,due,amount,paid\nA,2024-02-01,2024-01-01,3,\n', ',', 'YYYY-MM-DD'),
    ).toThrow(/line 2: due 2024-01-01 is before issued/);
    const lines = parseLines('customer_id,date,product_code,amount\nZ,2024-01-10,P,1\n', ',', 'YYYY-MM-DD');
    expect(() => attachLines(histories(), lines)).toThrow(ImportError);
    expect(() => attachLines(histories(), lines)).toThrow(/customer Z of the lines file has no transactions/);
  });
});
