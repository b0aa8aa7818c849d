import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInputName } from '../../src/features/input-names.js';
import { type LabelledRow, pointInTimeRows } from '../../src/features/repository/point-in-time.js';
import { parseRepository } from '../../src/features/repository/repository-file.js';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { Random } from '../../src/random.js';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-pit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const stamp = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Random feature rows (a file view and a table view of the store's database) and random labels,
 * joined by DuckDB and by brute force: for every label and view, the row of the same customer with
 * the greatest event time at or before the label's, none past the ttl.
 */
describe('labels joined to views point in time', () => {
  const random = new Random(11, 5);
  const customers = 60;
  const fileRows: { id: string; t: number; v: number }[] = [];
  const tableRows: { id: string; t: number; v: number }[] = [];
  for (let c = 0; c < customers; c++) {
    for (let k = 0; k < 8; k++) {
      // Distinct times per customer: a tie on event time may pick either row.
      fileRows.push({
        id: `C${c}`,
        t: START + (k * 37 + Math.floor(random.uniform() * 36)) * DAY,
        v: c * 100 + k,
      });
      tableRows.push({
        id: `C${c}`,
        t: START + (k * 37 * 24 + Math.floor(random.uniform() * 36 * 24)) * 3_600_000,
        v: -(c * 100 + k + 1),
      });
    }
  }
  const labels = Array.from({ length: 400 }, (_, i) => ({
    id: `C${i % (customers + 5)}`,
    t: START + Math.floor(random.uniform() * 330 * 24) * 3_600_000,
    y: i % 2,
  }));
  writeFileSync(
    join(dir, 'scores.csv'),
    ['cust,at,score', ...fileRows.map((r) => `${r.id},${stamp(r.t)},${r.v}`)].join('\n'),
  );
  writeFileSync(
    join(dir, 'labels.csv'),
    ['cust,at,y', ...labels.map((l) => `${l.id},${stamp(l.t)},${l.y}`)].join('\n'),
  );
  const loaded = parseRepository(
    `sources:
  scores_file: { file: scores.csv }
  events: { table: events }
views:
  - { name: scores, source: scores_file, entityColumn: cust, timestampColumn: at, features: [{ name: score }] }
  - { name: events, source: events, entityColumn: customer_id, timestampColumn: happened_at, ttlDays: 30, features: [{ name: value }] }
`,
    join(dir, 'features.yaml'),
  );

  const expected = (rows: typeof fileRows, labelTime: number, id: string, ttlDays?: number) => {
    let best: (typeof rows)[number] | undefined;
    for (const r of rows) if (r.id === id && r.t <= labelTime && (!best || r.t > best.t)) best = r;
    if (!best) return null;
    if (ttlDays !== undefined && best.t <= labelTime - ttlDays * DAY) return null;
    return best.v;
  };

  it('never uses a value written after the label, and none older than the ttl', async () => {
    const backend = new SqliteBackend(join(dir, 'store.sqlite'));
    try {
      await backend.execute('CREATE TABLE events (customer_id TEXT, happened_at TEXT, value REAL)');
      await backend.insertRows(
        'events',
        ['customer_id', 'happened_at', 'value'],
        tableRows.map((r) => [r.id, stamp(r.t), r.v]),
      );
      const rows: LabelledRow[] = [];
      for await (const chunk of pointInTimeRows(
        backend,
        loaded,
        {
          source: { file: 'labels.csv' },
          path: join(dir, 'labels.csv'),
          customer: 'cust',
          timestamp: 'at',
          label: 'y',
        },
        ['scores.score', 'events.value'].map((n) => parseInputName(n)!),
      ))
        rows.push(...chunk);
      expect(rows).toHaveLength(labels.length);
      let checked = 0;
      let nulls = 0;
      for (const row of rows) {
        const t = Date.parse(`${row.labelTs.replace(' ', 'T')}Z`);
        expect(row.values[0]).toBe(expected(fileRows, t, row.customerId));
        expect(row.values[1]).toBe(expected(tableRows, t, row.customerId, 30));
        if (row.values[1] === null) nulls++;
        checked++;
      }
      expect(checked).toBe(400);
      // Both outcomes occur, so the comparison above could fail either way.
      expect(nulls).toBeGreaterThan(20);
      expect(nulls).toBeLessThan(380);
    } finally {
      await backend.close();
    }
  });
});
