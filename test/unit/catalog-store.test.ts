import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../src/decisioning/catalog-store.js';
import { createLogger } from '../../src/logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const catalog = (code: string) => ({
  currency: 'EUR',
  actions: [{ code, name: code, channel: 'email', value: { amount: 1 }, cost: 0, effect: { model: 'm' } }],
});

/** Writes the file with a modification time of its own, so that a rewrite is always seen. */
function write(dir: string, text: string, second: number) {
  const path = join(dir, 'actions.json');
  writeFileSync(path, text);
  utimesSync(path, second, second);
}

describe('the action catalogue in force', () => {
  it('is FAILED_PRECONDITION without a file, re-read when the file changes, and an invalid file keeps the last good one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    dirs.push(dir);
    const store = new CatalogStore(dir, createLogger('silent'), 0);
    expect(() => store.current()).toThrow(/no action catalogue/);
    write(dir, JSON.stringify(catalog('first')), 1_000);
    expect(store.current().actions[0]!.code).toBe('first');
    write(dir, JSON.stringify(catalog('second')), 2_000);
    expect(store.current().actions[0]!.code).toBe('second');
    write(dir, '{ not json', 3_000);
    expect(store.current().actions[0]!.code).toBe('second');
    write(dir, JSON.stringify({ ...catalog('third'), currency: 'EURO' }), 4_000);
    expect(store.current().actions[0]!.code).toBe('second');
    expect(store.stats.rejections).toBe(2);
    write(dir, JSON.stringify(catalog('fourth')), 5_000);
    expect(store.current().actions[0]!.code).toBe('fourth');
  });
});
