import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { materialize } from '../../src/offline/features/materialize.js';
import {
  CDNOW_MAPPING,
  historiesFromTransactions,
  parseTransactions,
} from '../../src/offline/import/transactions-csv.js';
import { OfflineStore } from '../../src/offline/offline-store.js';
import { dataset } from '../helpers/datasets.js';

const CDNOW = dataset('cdnow-sample.txt');
const dir = mkdtempSync(join(tmpdir(), 'loyalty-cdnow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RFM of the CDNOW sample as of 1998-06-30 (the table in docs/data-and-features.md)', () => {
  it('imports the file, materializes it and counts each segment', async () => {
    const backend = new SqliteBackend(join(dir, 'cdnow.sqlite'));
    const store = new OfflineStore(backend);
    await store.resetSchema();
    await store.insertHistories(
      historiesFromTransactions(parseTransactions(readFileSync(CDNOW, 'utf8'), CDNOW_MAPPING)),
    );
    const summary = await materialize(store, { asOf: '1998-06-30', currency: 'USD' });
    await backend.close();

    expect(summary.customers).toBe(2_357);
    expect(summary.segmentCounts).toEqual({
      CHAMPIONS: 593,
      LOYAL: 273,
      POTENTIAL_LOYALIST: 144,
      NEED_ATTENTION: 78,
      ABOUT_TO_SLEEP: 332,
      AT_RISK: 159,
      CANNOT_LOSE_THEM: 15,
      HIBERNATING: 375,
      LOST: 388,
    });
    expect(summary.thresholds.recency.cuts).toEqual([152, 442, 486, 512]);
    expect(summary.thresholds.frequency.cuts).toEqual([1, 1, 2, 4]);
  });
});
